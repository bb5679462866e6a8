import COpenBLAS
import RecData
import RecEval
import RecNN

/// EASE, the embarrassingly shallow autoencoder (Steck, "Embarrassingly Shallow Autoencoders for
/// Sparse Data", WWW 2019): an item-item weight matrix `B` with a zero diagonal that
/// reconstructs each user's row, `min_B |X - X B|^2 + lambda |B|^2  s.t.  diag(B) = 0`.
///
/// Closed form (the paper's eq. 8): with the Gram matrix `G = X^T X + lambda I` and `P = G^-1`,
/// `B[i, j] = -P[i, j] / P[j, j]` for `i != j` and `B[j, j] = 0`. Scores: `score(u, .) = x_u B`.
/// `X` is the (user x item) matrix of summed event weights (1 per event without a weight role).
///
/// `G` is built by sparse co-occurrence counting in Double, then inverted by LAPACK's Cholesky
/// routines (`dpotrf` + `dpotri`, OpenBLAS, one thread): `G` is symmetric positive definite for
/// `lambda > 0`, and Cholesky costs about a third of an LU inverse. Double because `lambda`
/// dominates the diagonal of a Float `G` badly at ML-1M counts (entries up to ~3,000).
///
/// Memory: `items^2` Doubles for `G`/`P` and `items^2` Floats for `B` during fit; ``maxItems``
/// bounds it (20,000 items would need about 6.4 GB by the `items^2 * 8 bytes * 2` estimate).
/// - Complexity: fit O(sum over users of items(u)^2) for `G` plus about `items^3` flops for the
///   inverse; score one user O(items(u) * items); all users one sgemm on dense data.
public struct EASEModel: Recommender, Codable {
  /// The L2 penalty `lambda` (the paper tunes 200-1000 on ML-20M-like data).
  public var lambda: Double
  /// The largest catalogue `fit` accepts (the dense matrices are `items^2`).
  public var maxItems: Int

  /// `B: (items, items)`, row-major (after `fit`).
  public private(set) var weights: [Float] = []
  /// The training matrix by user: the rows `x_u` that `score` multiplies by `B`.
  public private(set) var history = ImplicitMatrix.Rows(offsets: [0], indices: [], values: [])
  public private(set) var itemCount: Int = 0

  public init(lambda: Double = 500, maxItems: Int = 20_000) {
    self.lambda = lambda
    self.maxItems = maxItems
  }

  public var name: String { "ease" }

  /// Throws for a `lambda` that cannot give an inverse: `X^T X` alone is singular as soon as
  /// two items always occur together (or an item never occurs), so `lambda` must be positive.
  public func validate() throws(ModelError) {
    guard lambda > 0 else {
      throw ModelError("needs lambda > 0 (X^T X alone is singular for most data), got \(lambda)")
    }
  }

  /// Bytes the fit needs for `items` items by the `items^2 * 8 bytes * 2` estimate (G and B).
  public static func memoryEstimate(items: Int) -> Double { Double(items) * Double(items) * 8 * 2 }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    let n = data.itemCount
    try validate()
    guard n <= maxItems else {
      throw ModelError(
        "ease keeps dense items x items matrices: \(n) items is above max-items=\(maxItems); it would need "
          + "about \(Self.gigabytes(Self.memoryEstimate(items: n))) (items^2 * 8 bytes * 2). "
          + "Raise max-items if the memory is there, or keep fewer items (a k-core, or the most popular)")
    }
    let x = ImplicitMatrix(data)
    guard var p = Self.gram(x, lambda: lambda, context: context) else {
      return FitReport(outcome: .cancelled(afterEpoch: 0))
    }
    try Self.invertInPlace(&p, n: n, lambda: lambda)
    if context.isCancelled() { return FitReport(outcome: .cancelled(afterEpoch: 0)) }
    // B[i, j] = -P[i, j] / P[j, j]: column j divided by its diagonal entry.
    var b = [Float](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n where j != i { b[i * n + j] = Float(-p[i * n + j] / p[j * n + j]) }
    }
    weights = b
    history = x.byUser
    itemCount = n
    context.onProgress(FitProgress(epoch: 1, epochs: 1, fraction: 1))
    return FitReport()
  }

  static func gigabytes(_ bytes: Double) -> String {
    bytes >= 1e9 ? "\(Double(Int(bytes / 1e8)) / 10) GB" : "\(Int((bytes / 1e6).rounded())) MB"
  }

  /// `X^T X + lambda I: (items, items)` row-major, in Double, by sparse co-occurrence counting:
  /// row `i` sums `x[u, i] * x_u` over the users `u` of `i`. Rows go in blocks on the calling
  /// thread (cancel and progress between blocks), each block split into `Parallel` fixed chunks
  /// that write disjoint rows, so the result does not depend on the thread count.
  /// - Returns: nil when cancelled.
  static func gram(_ x: ImplicitMatrix, lambda: Double, context: FitContext) -> [Double]? {
    let n = x.itemCount
    var g = [Double](repeating: 0, count: n * n)
    let blockSize = 256
    var start = 0
    while start < n {
      if context.isCancelled() { return nil }
      let block = start..<min(n, start + blockSize)
      let chunks = Parallel.chunkCount(work: block.count, grain: 32)
      g.withUnsafeMutableBufferPointer { g in
        Parallel.forEachChunk(chunks) { c in
          let part = Parallel.range(ofChunk: c, of: chunks, count: block.count)
          for i in (block.lowerBound + part.lowerBound)..<(block.lowerBound + part.upperBound) {
            let row = g.baseAddress! + i * n
            for p in x.byItem.span(ofRow: i) {
              let u = Int(x.byItem.indices[p])
              let w = Double(x.byItem.values[p])
              for q in x.byUser.span(ofRow: u) {
                row[Int(x.byUser.indices[q])] += w * Double(x.byUser.values[q])
              }
            }
            row[i] += lambda
          }
        }
      }
      start = block.upperBound
      // The Gram matrix is about the first half of the fit at ML-100K scale.
      context.onProgress(FitProgress(epoch: 1, epochs: 1, fraction: 0.5 * Double(start) / Double(n)))
    }
    return g
  }

  /// Replaces the symmetric positive-definite `a: (n, n)` by its inverse (Cholesky: `dpotrf`,
  /// then `dpotri`). LAPACK is column-major and fills one triangle; `a` is symmetric, so its
  /// row-major layout is the same matrix, and the triangle is mirrored afterwards.
  static func invertInPlace(_ a: inout [Double], n: Int, lambda: Double) throws(ModelError) {
    guard n > 0 else { return }
    // One BLAS thread, as RecNN keeps it (PLATFORM.md: its threads gain nothing here, and the
    // result would depend on OpenBLAS's split).
    openblas_set_num_threads(1)
    var uplo = CChar(UInt8(ascii: "L"))
    var nn = blasint(n)
    var lda = blasint(n)
    var info: blasint = 0
    a.withUnsafeMutableBufferPointer { a in _ = dpotrf_(&uplo, &nn, a.baseAddress, &lda, &info) }
    if info > 0 {
      throw ModelError(
        "ease: X^T X + lambda I is not positive definite (lambda=\(lambda), pivot \(info)); use lambda > 0")
    }
    guard info == 0 else { throw ModelError("ease: dpotrf rejected argument \(-info) (internal error)") }
    a.withUnsafeMutableBufferPointer { a in _ = dpotri_(&uplo, &nn, a.baseAddress, &lda, &info) }
    guard info == 0 else {
      throw ModelError("ease: the Cholesky inverse failed (dpotri info \(info), lambda=\(lambda))")
    }
    // Column-major lower triangle = row-major upper triangle (j >= i): mirror it down.
    for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { a[j * n + i] = a[i * n + j] } }
  }

  public func score(user: Int, into scores: inout [Float]) {
    let span = history.span(ofRow: user)
    accumulate(
      scores: &scores, count: span.count, item: { Int(history.indices[span.lowerBound + $0]) },
      weight: { history.values[span.lowerBound + $0] })
  }

  /// `scores = sum over the entries e of weight(e) * B[item(e), .]`; -infinity beyond `itemCount`.
  private func accumulate(
    scores: inout [Float], count: Int, item: (Int) -> Int, weight: (Int) -> Float
  ) {
    let n = scores.resetScores(known: itemCount)
    weights.withUnsafeBufferPointer { b in
      scores.withUnsafeMutableBufferPointer { s in
        for e in 0..<count {
          let r = item(e)
          guard r >= 0 && r < itemCount else { continue }
          let x = weight(e)
          let row = b.baseAddress! + r * itemCount
          for j in 0..<n { s[j] += x * row[j] }
        }
      }
    }
  }

  /// All of `users` at once: their rows of `X` densified into `(users, items)` times `B` in one
  /// sgemm (`Kernels.gemm`) when the rows are dense enough, else one sparse pass per user.
  ///
  /// Why both: sgemm costs `2 users items^2` flops whatever the density, the sparse pass
  /// `nnz * items` multiply-adds streaming rows of `B`. Measured for all users of ml-100k
  /// (density 6%, 32-user blocks, `recbook-bench models` top-10 time, loaded machine): sparse
  /// 0.40 s, sgemm 0.89-1.01 s. With cost linear in density the two cross near 15%, the
  /// threshold below; the sparse pass is also bit-identical to ``score(user:into:)``.
  public func score(users: [Int], itemCount n: Int, into scores: inout [Float]) {
    guard !users.isEmpty else { return }
    let nonzeros = users.reduce(0) { $0 + history.span(ofRow: $1).count }
    let dense = Double(nonzeros) >= 0.15 * Double(users.count) * Double(max(itemCount, 1))
    guard dense, n <= itemCount, itemCount > 0 else {
      // Sparse rows, or a larger catalogue than the fit's (the per-user path writes -infinity beyond).
      var row = [Float](repeating: 0, count: n)
      for (k, u) in users.enumerated() {
        score(user: u, into: &row)
        for i in 0..<n { scores[k * n + i] = row[i] }
      }
      return
    }
    var a = [Float](repeating: 0, count: users.count * itemCount)
    for (k, u) in users.enumerated() {
      for p in history.span(ofRow: u) { a[k * itemCount + Int(history.indices[p])] = history.values[p] }
    }
    Kernels.gemm(
      transA: false, transB: false, m: users.count, n: n, k: itemCount, a: a, b: weights, ldb: itemCount,
      beta: 0, c: &scores)
  }

  /// The items with the largest positive weights `B[item, j]` (how much `item` in a history
  /// raises `j`); a negative or zero weight does not make an item similar.
  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    guard item >= 0 && item < itemCount else { return [] }
    let row = Array(weights[(item * itemCount)..<((item + 1) * itemCount)])
    return TopK.select(row, k: count, excluding: [Int32(item)]).filter { row[Int($0)] > 0 }.map {
      ScoredItem(item: Int($0), score: row[Int($0)])
    }
  }
}

extension EASEModel: HistoryScorer {
  /// Scores for a history given at request time: `x B` with `x` 1 on each listed item (a
  /// repeat adds up), as a training user's events count without a weight role.
  public func score(history items: [Int], into scores: inout [Float]) {
    accumulate(scores: &scores, count: items.count, item: { items[$0] }, weight: { _ in 1 })
  }
}

extension EASEModel {
  public static let type = ModelType(
    name: "ease", family: "linear", paper: "Steck, WWW 2019",
    summary: "closed-form item-item linear autoencoder with a zero diagonal, B = I - P / diag(P)",
    options: [
      ModelOption(
        "lambda", .double(min: 0, max: 1e12), default: "500",
        "L2 penalty on B, > 0 (larger: closer to popularity)"
      ),
      ModelOption(
        "max-items", .int(min: 1, max: 1_000_000), default: "20000",
        "refuse larger catalogues (memory items^2 * 16 bytes)"),
    ],
    make: { o throws(ModelError) in
      let m = EASEModel(lambda: o.double("lambda", 500), maxItems: o.int("max-items", 20_000))
      try m.validate()
      return m
    })
}
