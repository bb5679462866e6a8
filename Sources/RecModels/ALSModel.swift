import RecData
import RecEval
import RecNN

/// Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren and Volinsky,
/// "Collaborative Filtering for Implicit Feedback Datasets", ICDM 2008), each least-squares
/// solve done by a few conjugate-gradient steps warm-started at the current factors (Takacs,
/// Pilaszy and Tikk, "Applications of the Conjugate Gradient Method for Implicit Feedback
/// Collaborative Filtering", RecSys 2011), step for step as implicit's `least_squares_cg`.
///
/// Objective over every (user, item) cell, `F = factors`, `x_u, y_i: (F)`:
///
///     L = sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)
///
/// where the user has events on the item: `p_ui = 1`, `c_ui = 1 + alpha * w_ui` (`w_ui` the
/// summed event weights, 1 per event without a weight role); elsewhere `p_ui = 0`, `c_ui = 1`.
/// implicit instead scales the data by alpha and uses it as the confidence (`c = alpha * w`),
/// so implicit's `alpha=a` on binary data is `alpha=a-1` here.
///
/// One epoch is one ALS iteration: every user solved with the items fixed, then every item with
/// the users fixed. A user's solve is the normal equations
/// `(YtY + lambda I + sum_i (c_ui - 1) y_i y_i^T) x_u = sum_i c_ui y_i`: `YtY` is one sgemm per
/// half-iteration, and the sparse part is never formed, CG multiplies by it through the user's
/// items. A row without events gets the zero vector (as implicit).
///
/// The epoch loss is `L / C` (`C` the total confidence of all cells, implicit's
/// `calculate_loss` normalisation) at the factors after the epoch's user half: the item half
/// needs each item's residual `b - A y` anyway, and `y^T A y - 2 b^T y + sum c` is then a few
/// dot products, so the exact objective costs no extra pass. Each half-step can only lower `L`
/// (CG lowers the quadratic it is started on), so the losses decrease.
///
/// Threads: rows are split into two chunks of equal work (by event count) on `Parallel`; each
/// row's solve reads only the fixed side, so the factors are bit-identical with 1 or 2 threads.
/// - Complexity: per epoch `(cgSteps + 1) (rows F^2 + 4 events F)` flops per side.
public struct ALSModel: Recommender, Codable {
  public var factors: Int
  public var regularization: Float
  public var alpha: Float
  public var epochs: Int
  public var cgSteps: Int
  public var seed: UInt64
  var tables = FactorScoring.empty

  public init(
    factors: Int = 64, regularization: Float = 0.01, alpha: Float = 1, epochs: Int = 15, cgSteps: Int = 3,
    seed: UInt64 = 42
  ) {
    precondition(factors > 0 && cgSteps > 0 && epochs >= 0)
    self.factors = factors
    self.regularization = regularization
    self.alpha = alpha
    self.epochs = epochs
    self.cgSteps = cgSteps
    self.seed = seed
  }

  public var name: String { "als" }
  public var itemCount: Int { tables.itemCount }
  /// Users seen in fit.
  public var userCount: Int { tables.userCount }
  /// Row length of the factor tables: `factors` rounded up to a multiple of 8, zero-padded.
  public var stride: Int { tables.stride }
  /// `(userCount, stride)`, row-major; columns `factors..<stride` are zero.
  public var userFactors: [Float] { tables.users }
  /// `(itemCount, stride)`, row-major; columns `factors..<stride` are zero.
  public var itemFactors: [Float] { tables.items }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    try data.requireNonNegativeWeights(model: "als")
    let s = FactorScoring.paddedStride(factors)
    let byUser = WeightedRows(data.byUser, weights: data.weight)
    let byItem = WeightedRows(data.byItem, weights: data.weight)
    // implicit: uniform [0, 0.01) for every factor, users first.
    var g = SeededGenerator(seed: seed)
    func initial(_ rows: Int) -> [Float] {
      var t = [Float](repeating: 0, count: rows * s)
      for r in 0..<rows { for j in 0..<factors { t[r * s + j] = g.nextFloat() * 0.01 } }
      return t
    }
    let users = initial(data.userCount)
    let items = initial(data.itemCount)
    // Cold users get popularity (summed weights).
    let popularity = (0..<data.itemCount).map { i in
      byItem.values[byItem.offsets[i]..<byItem.offsets[i + 1]].reduce(0, +)
    }
    tables = FactorScoring(users: users, items: items, stride: s, cold: popularity)
    let nonzeroConfidence = byUser.values.reduce(0.0) { $0 + 1 + Double(alpha) * Double($1) }
    let cells = Double(data.userCount) * Double(data.itemCount) - Double(byUser.count) + nonzeroConfidence
    let solver = ConjugateGradientALS(
      factors: factors, stride: s, regularization: regularization, alpha: alpha, steps: cgSteps)
    let events = data.count
    var lastLoss = 0.0
    return EpochTrainer.run(
      &self, epochs: context.epochs ?? epochs, examplesPerEpoch: events, context: context
    ) { m, _, reporter in
      var t = m.tables
      _ = solver.halfStep(rows: byUser, solving: &t.users, fixed: t.items)
      guard reporter.report(done: events / 2, loss: lastLoss) else { return nil }
      let itemSide = solver.halfStep(rows: byItem, solving: &t.items, fixed: t.users)
      let userNorms = t.users.withUnsafeBufferPointer { u in
        u.baseAddress.map { Double(Kernels.dot($0, $0, count: u.count)) } ?? 0
      }
      let loss = (itemSide + Double(solver.regularization) * userNorms) / max(cells, 1)
      m.tables = t
      lastLoss = loss
      guard reporter.report(done: events, loss: loss) else { return nil }
      return loss
    }
  }

  public func score(user: Int, into scores: inout [Float]) { tables.score(user: user, into: &scores) }

  /// All users at once: one sgemm (see `FactorScoring`).
  public func score(users: [Int], itemCount: Int, into scores: inout [Float]) {
    tables.score(users: users, itemCount: itemCount, into: &scores)
  }

  /// Items by the cosine of their factors.
  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    tables.similarItems(to: item, count: count, dims: factors)
  }

  /// The objective `L / C` of the type's doc comment at the current factors, summed cell by cell
  /// in Double: the check on the cheap per-epoch loss, for tests and small data.
  /// - Complexity: O(users * items * factors).
  public func objective(on data: Interactions) -> Double {
    let rows = WeightedRows(data.byUser, weights: data.weight)
    let s = stride
    var loss = 0.0
    var confidence = 0.0
    for u in 0..<min(userCount, data.userCount) {
      var k = rows.offsets[u]
      for i in 0..<min(itemCount, data.itemCount) {
        var pred = 0.0
        for j in 0..<factors { pred += Double(tables.users[u * s + j]) * Double(tables.items[i * s + j]) }
        var c = 1.0
        var p = 0.0
        if k < rows.offsets[u + 1] && rows.columns[k] == Int32(i) {
          c = 1 + Double(alpha) * Double(rows.values[k])
          p = 1
          k += 1
        }
        loss += c * (p - pred) * (p - pred)
        confidence += c
      }
    }
    var norms = 0.0
    for v in tables.users { norms += Double(v) * Double(v) }
    for v in tables.items { norms += Double(v) * Double(v) }
    return (loss + Double(regularization) * norms) / max(confidence, 1)
  }
}

/// One ALS half-iteration: every row of one side solved by CG with the other side fixed.
struct ConjugateGradientALS: Sendable {
  let factors: Int
  let stride: Int
  let regularization: Float
  let alpha: Float
  let steps: Int

  /// Updates every row of `x: (rows.rowCount, stride)` with `y: (_, stride)` fixed and returns
  /// the sum over rows of `x^T A x - 2 b^T x + sum c` at the rows' values before the update
  /// (the objective's share of this side, its own L2 term included).
  func halfStep(rows: WeightedRows, solving x: inout [Float], fixed y: [Float]) -> Double {
    let s = stride
    let n = rows.rowCount
    guard n > 0 else { return 0 }
    // Gram = YtY + lambda I on the real factors; the padding stays zero.
    var gram = [Float](repeating: 0, count: s * s)
    let fixedRows = y.count / s
    if fixedRows > 0 {
      Kernels.gemm(
        transA: true, transB: false, m: s, n: s, k: fixedRows, a: y, lda: s, b: y, ldb: s, beta: 0, c: &gram)
    }
    for j in 0..<factors { gram[j * s + j] += regularization }
    // Two chunks of equal work when there is enough of it: a row costs about s^2 + 4 s n_r.
    let work = n * s + 4 * rows.count
    let chunks = Parallel.chunkCount(work: work * s, grain: 1 << 18)
    var bounds = [0, n]
    if chunks == 2 {
      var acc = 0
      var mid = n
      for r in 0..<n {
        acc += s + 4 * (rows.offsets[r + 1] - rows.offsets[r])
        if 2 * acc >= work {
          mid = r + 1
          break
        }
      }
      bounds = [0, mid, n]
    }
    var partial = [Double](repeating: 0, count: chunks)
    x.withUnsafeMutableBufferPointer { xb in
      y.withUnsafeBufferPointer { yb in
        gram.withUnsafeBufferPointer { gb in
          rows.columns.withUnsafeBufferPointer { cb in
            rows.values.withUnsafeBufferPointer { vb in
              rows.offsets.withUnsafeBufferPointer { ob in
                partial.withUnsafeMutableBufferPointer { pb in
                  Parallel.forEachChunk(chunks) { c in
                    pb[c] = solve(
                      bounds[c]..<bounds[c + 1], x: xb.baseAddress!, y: yb.baseAddress, gram: gb.baseAddress!,
                      offsets: ob.baseAddress!, columns: cb.baseAddress, values: vb.baseAddress)
                  }
                }
              }
            }
          }
        }
      }
    }
    return partial.reduce(0, +)
  }

  /// The CG solves of `range`, implicit's `_least_squares_cg` loop body, on raw rows.
  func solve(
    _ range: Range<Int>, x xs: UnsafeMutablePointer<Float>, y ys: UnsafePointer<Float>?,
    gram: UnsafePointer<Float>, offsets: UnsafePointer<Int>, columns: UnsafePointer<Int32>?,
    values: UnsafePointer<Float>?
  ) -> Double {
    let s = stride
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 3 * s)
    defer { scratch.deallocate() }
    scratch.initialize(repeating: 0, count: 3 * s)
    let r = scratch
    let p = scratch + s
    let ap = scratch + 2 * s
    var loss = 0.0
    for u in range {
      let x = xs + u * s
      let lo = offsets[u]
      let hi = offsets[u + 1]
      // r = b - A x = -Gram x + sum_i (c_i - (c_i - 1) y_i . x) y_i
      Kernels.symmetricMatVec(gram, x, into: r, count: s)
      for j in 0..<s { r[j] = -r[j] }
      var bx = 0.0
      var sumC = 0.0
      if let ys, let columns, let values {
        for k in lo..<hi {
          let yi = ys + Int(columns[k]) * s
          let aw = alpha * values[k]
          let c = 1 + aw
          let t = Kernels.dot(yi, x, count: s)
          Kernels.axpy(c - aw * t, yi, r, count: s)
          bx += Double(c * t)
          sumC += Double(c)
        }
      }
      // x^T A x - 2 b^T x + sum c = -x . r - b . x + sum c.
      loss += -Double(Kernels.dot(x, r, count: s)) - bx + sumC
      guard hi > lo, let ys, let columns, let values else {
        x.update(repeating: 0, count: s)
        continue
      }
      p.update(from: r, count: s)
      var rsold = Kernels.dot(r, r, count: s)
      if rsold < 1e-20 { continue }
      for _ in 0..<steps {
        // Ap = Gram p + sum_i (c_i - 1) (y_i . p) y_i, without forming the sparse part.
        Kernels.symmetricMatVec(gram, p, into: ap, count: s)
        for k in lo..<hi {
          let yi = ys + Int(columns[k]) * s
          Kernels.axpy(alpha * values[k] * Kernels.dot(yi, p, count: s), yi, ap, count: s)
        }
        let a = rsold / Kernels.dot(p, ap, count: s)
        Kernels.axpy(a, p, x, count: s)
        Kernels.axpy(-a, ap, r, count: s)
        let rsnew = Kernels.dot(r, r, count: s)
        if rsnew < 1e-20 { break }
        let beta = rsnew / rsold
        for j in 0..<s { p[j] = r[j] + beta * p[j] }
        rsold = rsnew
      }
    }
    return loss
  }
}

extension ALSModel {
  public static let type = ModelType(
    name: "als", family: "factorization",
    paper: "Hu, Koren and Volinsky, ICDM 2008; CG solver: Takacs, Pilaszy and Tikk, RecSys 2011",
    summary: "implicit-feedback matrix factorisation: alternating least squares, conjugate-gradient solves",
    iterative: true,
    options: [
      ModelOption("factors", .int(min: 1, max: 1024), default: "64", "latent factors per user and item"),
      ModelOption("regularization", .double(min: 0, max: 1e6), default: "0.01", "L2 penalty on every factor"),
      ModelOption(
        "alpha", .double(min: 0, max: 1e6), default: "1",
        "confidence of a positive is 1 + alpha * weight (implicit's alpha minus 1)"),
      ModelOption(
        "epochs", .int(min: 1, max: 100_000), default: "15", "ALS iterations (implicit: iterations)"),
      ModelOption("cg-steps", .int(min: 1, max: 1024), default: "3", "conjugate-gradient steps per solve"),
      ModelCatalog.seedOption,
    ],
    make: { o throws(ModelError) in
      let factors = o.int("factors", 64)
      let reg = o.double("regularization", 0.01)
      let alpha = o.double("alpha", 1)
      let epochs = o.int("epochs", 15)
      let steps = o.int("cg-steps", 3)
      guard (1...1024).contains(factors) else {
        throw ModelError("als: factors must be 1...1024, got \(factors)")
      }
      guard reg >= 0 && reg.isFinite else { throw ModelError("als: regularization must be >= 0, got \(reg)") }
      guard alpha >= 0 && alpha.isFinite else { throw ModelError("als: alpha must be >= 0, got \(alpha)") }
      guard epochs >= 1 else { throw ModelError("als: epochs must be >= 1, got \(epochs)") }
      guard (1...1024).contains(steps) else {
        throw ModelError("als: cg-steps must be 1...1024, got \(steps)")
      }
      return ALSModel(
        factors: factors, regularization: Float(reg), alpha: Float(alpha), epochs: epochs, cgSteps: steps,
        seed: o.modelSeed)
    })
}
