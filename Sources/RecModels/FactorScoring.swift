import RecEval
import RecNN

/// Scoring shared by the trained latent-factor models (`ALSModel`, `BPRModel`):
/// `score(u, i) = users[u] . items[i]` over rows of `stride` floats (zero-padded to a multiple
/// of 8 so the SIMD loops need no tails), cold users scored by a fallback row, and item
/// similarity by cosine.
struct FactorScoring: Codable {
  /// `(userCount, stride)`, row-major.
  var users: [Float]
  /// `(itemCount, stride)`, row-major.
  var items: [Float]
  var stride: Int
  /// The scores of a user the fit never saw (popularity, or item biases): `(itemCount)`.
  var cold: [Float]
  var userCount: Int { stride == 0 ? 0 : users.count / stride }
  var itemCount: Int { stride == 0 ? 0 : items.count / stride }

  static let empty = FactorScoring(users: [], items: [], stride: 0, cold: [])

  /// One user: one sgemv over the item table (`Kernels.scoreRows`; sgemm packs its operands
  /// and loses for one row, PLATFORM.md).
  /// Items past `itemCount` score `-infinity`; an unseen user (index past the fitted users)
  /// gets the `cold` row.
  func score(user: Int, into scores: inout [Float]) {
    let n = min(itemCount, scores.count)
    if user >= 0 && user < userCount {
      let q = Array(users[(user * stride)..<((user + 1) * stride)])
      Kernels.scoreRows(table: items, rows: n, dim: stride, query: q, into: &scores)
    } else {
      for i in 0..<n { scores[i] = cold[i] }
    }
    scores.rankUnknownLast(from: n)
  }

  /// Several users: their rows gathered into `(users, stride)`, one sgemm against the item
  /// table into `scores: (users.count, n)`; cold users' rows are then overwritten.
  func score(users list: [Int], itemCount n: Int, into scores: inout [Float]) {
    guard !list.isEmpty, n > 0 else { return }
    let m = min(n, itemCount)
    let rows = list.map { $0 >= 0 && $0 < userCount ? $0 : 0 }
    if m > 0 && userCount > 0 {
      var a = [Float](repeating: 0, count: list.count * stride)
      Kernels.gatherRows(table: users, dim: stride, indices: rows, into: &a)
      Kernels.gemm(
        transA: false, transB: true, m: list.count, n: m, k: stride, a: a, b: items, ldb: stride, beta: 0,
        c: &scores, ldc: n)
    }
    for (j, u) in list.enumerated() {
      let base = j * n
      if !(u >= 0 && u < userCount) { for i in 0..<m { scores[base + i] = cold[i] } }
      if n > m { for i in m..<n { scores[base + i] = -.infinity } }
    }
  }

  /// The `count` items closest to `item` by the cosine of the first `dims` factors, best first,
  /// without `item` itself; `[]` for an item outside the table. Zero vectors have cosine 0.
  /// - Complexity: O(items * dims) plus a top-k scan.
  func similarItems(to item: Int, count: Int, dims: Int) -> [ScoredItem] {
    guard item >= 0 && item < itemCount, count > 0 else { return [] }
    let n = itemCount
    var sims = [Float](repeating: 0, count: n)
    items.withUnsafeBufferPointer { t in
      guard let base = t.baseAddress else { return }
      let q = base + item * stride
      let qn = Kernels.dot(q, q, count: dims).squareRoot()
      for i in 0..<n {
        let r = base + i * stride
        let rn = Kernels.dot(r, r, count: dims).squareRoot()
        let d = Kernels.dot(q, r, count: dims)
        sims[i] = qn > 0 && rn > 0 ? d / (qn * rn) : 0
      }
    }
    let top = TopK.select(sims, k: count, excluding: [Int32(item)])
    return top.map { ScoredItem(item: Int($0), score: sims[Int($0)]) }
  }

  /// `dims` rounded up to a multiple of 8 (the padded row length).
  static func paddedStride(_ dims: Int) -> Int { (dims + 7) / 8 * 8 }
}
