import Foundation
import RecData

/// Negative candidates per test user for sampled ranking: each user's test items are
/// ranked against these items only.
public struct Candidates: Sendable {
  /// Negatives by dense user index (empty for users without test items).
  public let negatives: [[Int32]]
  /// Where they came from, for the protocol card (`99 sampled, seed 42` or a path).
  public let source: String
  /// The number of negatives per user (the largest, if they differ).
  public var count: Int { negatives.map(\.count).max() ?? 0 }

  public init(negatives: [[Int32]], source: String) {
    self.negatives = negatives
    self.source = source
  }

  /// `count` negatives per test user, drawn uniformly without replacement from the items
  /// the user never interacted with (history, validation or test), users in ascending order.
  public static func sample(for split: Split, count: Int, seed: UInt64) throws(EvalError) -> Candidates {
    guard count > 0 else { throw .invalidK(count) }
    let history = split.history
    let test = split.test
    var g = SeededGenerator(seed: seed)
    var out = [[Int32]](repeating: [], count: test.userCount)
    var pool = [Int32]()
    var touched = [Bool](repeating: false, count: test.itemCount)
    for u in 0..<test.userCount where test.byUser.count(ofRow: u) > 0 {
      for i in history.byUser.columns(ofRow: u) { touched[Int(i)] = true }
      for i in test.byUser.columns(ofRow: u) { touched[Int(i)] = true }
      pool.removeAll(keepingCapacity: true)
      for i in 0..<test.itemCount where !touched[i] { pool.append(Int32(i)) }
      for i in history.byUser.columns(ofRow: u) { touched[Int(i)] = false }
      for i in test.byUser.columns(ofRow: u) { touched[Int(i)] = false }
      guard pool.count >= count else {
        throw .invalidArgument(
          "user '\(test.users.text(at: u))' has only \(pool.count) items never interacted with;"
            + " cannot sample \(count) negatives")
      }
      for j in 0..<count {
        let r = j + g.nextInt(below: pool.count - j)
        pool.swapAt(j, r)
      }
      out[u] = Array(pool.prefix(count))
    }
    return Candidates(negatives: out, source: "\(count) negatives sampled uniformly, seed \(seed)")
  }

  /// Reads a candidates file: whitespace-separated lines `user test_item neg_1 ... neg_n` with
  /// raw ids (the shared protocol's `loo_negatives.tsv`). Each test user needs a line whose
  /// second field is one of their test items; negatives must be known items the user has
  /// not interacted with. Anything else is ``EvalError/candidateMismatch(path:line:message:)``.
  public static func read(path: String, for split: Split) throws(EvalError) -> Candidates {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .io(path: path, message: "cannot read the file")
    }
    let text = String(decoding: data, as: UTF8.self)
    let test = split.test
    let history = split.history
    var out = [[Int32]](repeating: [], count: test.userCount)
    var seenUser = [Bool](repeating: false, count: test.userCount)
    var lineNo = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNo += 1
      let f = line.split(whereSeparator: { $0 == "\t" || $0 == " " || $0 == "\r" })
      if f.isEmpty { continue }
      func fail(_ m: String) -> EvalError { .candidateMismatch(path: path, line: lineNo, message: m) }
      guard f.count >= 3 else { throw fail("expected `user test_item neg ...`, found \(f.count) field(s)") }
      guard let u = test.users.index(ofText: f[0]), test.byUser.count(ofRow: u) > 0 else {
        throw fail("user '\(f[0])' has no test items in split '\(split.name)'")
      }
      guard let pos = test.items.index(ofText: f[1]), test.byUser.contains(row: u, column: Int32(pos)) else {
        throw fail("item '\(f[1])' is not a test item of user '\(f[0])'")
      }
      var negs = out[u]
      for t in f.dropFirst(2) {
        guard let i = test.items.index(ofText: t) else { throw fail("unknown item '\(t)'") }
        if history.byUser.contains(row: u, column: Int32(i)) {
          throw fail("negative '\(t)' is in the training data of user '\(f[0])'")
        }
        if test.byUser.contains(row: u, column: Int32(i)) {
          throw fail("negative '\(t)' is a test item of user '\(f[0])'")
        }
        negs.append(Int32(i))
      }
      // Several lines for one user (one per test item) share the negatives; duplicates count once.
      out[u] = Array(Set(negs)).sorted()
      seenUser[u] = true
    }
    for u in 0..<test.userCount where test.byUser.count(ofRow: u) > 0 && !seenUser[u] {
      throw .candidateMismatch(
        path: path, line: 0, message: "no candidates for test user '\(test.users.text(at: u))'")
    }
    return Candidates(negatives: out, source: path)
  }
}
