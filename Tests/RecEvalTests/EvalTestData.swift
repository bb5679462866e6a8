import Foundation
import RecData
import TestSupport

@testable import RecEval

/// Paths and readers for the shared protocol files.
enum Peers {
  static var dir: String {
    TestPaths.root.deletingLastPathComponent().appendingPathComponent("shared/bench/peers").path
  }
  static var has: Bool { FileManager.default.fileExists(atPath: dir + "/splits/loo_train.tsv") }
  static let missing = "../shared/bench/peers not found: conformance with the shared protocol not checked"

  /// A headerless TSV of ints with the given column names.
  static func readTSV(_ path: String, columns: [String]) throws -> Table {
    var o = CSVOptions()
    o.header = false
    o.separator = UInt8(ascii: "\t")
    o.columnNames = columns
    o.quoting = false
    o.types = Dictionary(uniqueKeysWithValues: columns.map { ($0, ColumnType.int) })
    return try CSVReader.read(path: path, options: o).0
  }

  static let roles = InteractionRoles(user: "user", item: "item", rating: "rating", time: "timestamp")

  /// The prepared leave-one-out split as a Recbook `Split`.
  static func looSplit() throws -> Split {
    let cols = ["user", "item", "rating", "timestamp"]
    let train = try readTSV(dir + "/splits/loo_train.tsv", columns: cols)
    let test = try readTSV(dir + "/splits/loo_test.tsv", columns: cols)
    let parts = try Interactions.build(tables: [("loo_train", train), ("loo_test", test)], roles: roles)
    return Split(name: "peers loo", method: .leaveOneOut, seed: 0, train: parts[0], test: parts[1])
  }

  /// `results.json`: jobs[system].metrics[protocol][metric].
  static func result(_ system: String, _ proto: String, _ metric: String) throws -> Double? {
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/results.json"))
    let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let jobs = json?["jobs"] as? [String: Any]
    let job = jobs?[system] as? [String: Any]
    let metrics = job?["metrics"] as? [String: Any]
    let p = metrics?[proto] as? [String: Any]
    return p?[metric] as? Double
  }
}

/// A scorer that looks scores up in a file's `(user, item) -> score` triples; others are NaN.
struct LookupScorer: ItemScorer {
  let name: String
  let scores: [Int: [(Int, Float)]]
  func score(user: Int, into out: inout [Float]) {
    for i in out.indices { out[i] = .nan }
    for (i, s) in scores[user] ?? [] { out[i] = s }
  }
}

/// A scorer from a fixed dense matrix `(users, items)`.
struct MatrixScorer: ItemScorer {
  let name = "matrix"
  let items: Int
  let values: [Float]
  func score(user: Int, into out: inout [Float]) {
    for i in 0..<items { out[i] = values[user * items + i] }
  }
}

/// `|a - b| < 1e-12` (false when `a` is nil): keeps formula literals typed as `Double`.
func close(_ a: Double?, _ b: Double) -> Bool {
  guard let a else { return false }
  return abs(a - b) < 1e-12
}
