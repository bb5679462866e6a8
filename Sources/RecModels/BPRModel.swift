import Foundation
import RecData
import RecEval
import RecNN

/// Matrix factorisation for implicit feedback trained by SGD on a pairwise ranking loss:
/// BPR-MF (Rendle, Freudenthaler, Gantner and Schmidt-Thieme, "BPR: Bayesian Personalized
/// Ranking from Implicit Feedback", UAI 2009) as implicit's `bpr.pyx` trains it, or WARP
/// (Weston, Bengio and Usunier, "WSABIE: Scaling Up to Large Vocabulary Image Annotation",
/// IJCAI 2011) as LightFM's `fit_warp` trains it.
///
/// Scores are `x_u . y_i + b_i`: each row carries one extra column, the user's fixed at 1 and the
/// item's its bias (implicit's trick, so scoring stays one dot product and one sgemm).
///
/// `loss=bpr` (implicit): an epoch draws as many samples as there are distinct (user, item)
/// pairs. A sample is a uniformly drawn pair (u, i) and the item j of another uniformly drawn
/// pair (so negatives follow popularity, as in implicit); if u has j the sample is skipped.
/// With `z = 1 - sigma(x_ui - x_uj)` (times the pair's summed weight) and rate `lr`:
///
///     x_u += lr (z (y_i - y_j) - reg x_u);  y_i += lr (z x_u - reg y_i);  y_j += lr (-z x_u - reg y_j)
///
/// (biases likewise, as the extra column). Factors start uniform in `[-0.5, 0.5) / factors`,
/// zero for users and items without events. The epoch loss is the mean `-log sigma(x_ui - x_uj)`.
///
/// `loss=warp` (LightFM): an epoch visits every pair once in a seeded shuffled order; for a pair
/// (u, i) it draws uniform items the user does not have until one violates the margin
/// (`x_uj > x_ui - 1`) or `max-sampled` were drawn. On a violation after `n` draws the pair's
/// weight times `min(10, log(max(1, floor((items - 1) / n))))` scales the hinge gradient, and
/// each parameter takes an Adagrad step `p -= lr / sqrt(G) g; G += g^2` (`G` starting at 1,
/// LightFM's default schedule); `regularization` adds `reg p` to `g` (LightFM's lazy item/user
/// alpha is the same penalty). LightFM's user bias is left out: it cannot change a ranking.
/// The epoch loss is the mean over pairs of the weighted hinge `L (1 - x_ui + x_uj)` at
/// violations (0 otherwise).
///
/// Threads: training is single-threaded (implicit and LightFM run Hogwild, whose result depends
/// on the thread schedule), so factors are bit-identical for a seed whatever `Parallel.threads`.
/// - Complexity: per epoch O(pairs * factors) (WARP: times the draws until a violation).
public struct BPRModel: Recommender, Codable {
  /// The ranking loss.
  public enum Loss: String, Sendable, CaseIterable, Codable {
    case bpr, warp
  }

  public var factors: Int
  public var learningRate: Float
  public var regularization: Float
  public var epochs: Int
  public var loss: Loss
  /// WARP: negatives drawn per positive before giving up.
  public var maxSampled: Int
  public var seed: UInt64
  var tables = FactorScoring.empty
  /// Adagrad sums of squared gradients (WARP), the shapes of the factor tables.
  var userSquares: [Float] = []
  var itemSquares: [Float] = []

  public init(
    factors: Int = 64, learningRate: Float = 0.01, regularization: Float = 0.01, epochs: Int = 100,
    loss: Loss = .bpr, maxSampled: Int = 10, seed: UInt64 = 42
  ) {
    precondition(factors > 0 && maxSampled > 0 && epochs >= 0)
    self.factors = factors
    self.learningRate = learningRate
    self.regularization = regularization
    self.epochs = epochs
    self.loss = loss
    self.maxSampled = maxSampled
    self.seed = seed
  }

  public var name: String { loss == .bpr ? "bpr" : "bpr (warp)" }
  public var itemCount: Int { tables.itemCount }
  /// Users seen in fit.
  public var userCount: Int { tables.userCount }
  /// Row length of the tables: `factors + 1` rounded up to a multiple of 8, zero-padded.
  public var stride: Int { tables.stride }
  /// `(userCount, stride)`: columns `0..<factors` the factors, column `factors` the constant 1.
  public var userFactors: [Float] { tables.users }
  /// `(itemCount, stride)`: columns `0..<factors` the factors, column `factors` the item bias.
  public var itemFactors: [Float] { tables.items }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    try data.requireNonNegativeWeights(model: "bpr")
    let f = factors
    let s = FactorScoring.paddedStride(f + 1)
    let rows = WeightedRows(data.byUser, weights: data.weight)
    let nUsers = data.userCount
    let nItems = data.itemCount
    var g = SeededGenerator(seed: seed)
    func initial(_ count: Int, active: (Int) -> Bool, bias: Bool) -> [Float] {
      var t = [Float](repeating: 0, count: count * s)
      for r in 0..<count {
        for j in 0..<(bias ? f + 1 : f) { t[r * s + j] = (g.nextFloat() - 0.5) / Float(f) }
        if !active(r) { for j in 0..<s { t[r * s + j] = 0 } }
      }
      return t
    }
    var users: [Float]
    var items: [Float]
    if loss == .bpr {
      items = initial(nItems, active: { data.byItem.count(ofRow: $0) > 0 }, bias: true)
      users = initial(nUsers, active: { data.byUser.count(ofRow: $0) > 0 }, bias: true)
    } else {
      items = initial(nItems, active: { _ in true }, bias: false)
      users = initial(nUsers, active: { _ in true }, bias: false)
    }
    for u in 0..<nUsers { users[u * s + f] = 1 }
    tables = FactorScoring(
      users: users, items: items, stride: s, cold: Self.biases(items, stride: s, column: f))
    userSquares = loss == .warp ? [Float](repeating: 1, count: users.count) : []
    itemSquares = loss == .warp ? [Float](repeating: 1, count: items.count) : []
    // The distinct pairs, by user, each packed as `user << 32 | item`: a sample's random pick is
    // then one cache miss instead of one per array (the epoch is bound by those misses).
    var pairs = [UInt64](repeating: 0, count: rows.count)
    for u in 0..<nUsers {
      for k in rows.offsets[u]..<rows.offsets[u + 1] { pairs[k] = UInt64(u) << 32 | UInt64(rows.columns[k]) }
    }
    let step = SGDStep(
      factors: f, stride: s, learningRate: learningRate, regularization: regularization,
      maxSampled: maxSampled,
      itemCount: nItems)
    var rng = SeededGenerator(seed: seed, stream: 1)
    let kind = loss
    return EpochTrainer.run(
      &self, epochs: context.epochs ?? epochs, examplesPerEpoch: rows.count, context: context
    ) { m, _, reporter in
      var t = m.tables
      var us = m.userSquares
      var its = m.itemSquares
      let result: Double?
      if kind == .bpr {
        result = step.bprEpoch(users: &t.users, items: &t.items, rows: rows, pairs: pairs, rng: &rng) {
          reporter.report(done: $0, loss: $1)
        }
      } else {
        result = step.warpEpoch(
          users: &t.users, items: &t.items, userSquares: &us, itemSquares: &its, rows: rows,
          pairs: pairs,
          rng: &rng
        ) { reporter.report(done: $0, loss: $1) }
      }
      guard let result else { return nil }
      t.cold = Self.biases(t.items, stride: s, column: f)
      m.tables = t
      m.userSquares = us
      m.itemSquares = its
      return result
    }
  }

  /// Column `column` of every row: the item biases, a cold user's scores.
  static func biases(_ items: [Float], stride: Int, column: Int) -> [Float] {
    (0..<(items.count / stride)).map { items[$0 * stride + column] }
  }

  public func score(user: Int, into scores: inout [Float]) { tables.score(user: user, into: &scores) }

  /// All users at once: one sgemm (see `FactorScoring`).
  public func score(users: [Int], itemCount: Int, into scores: inout [Float]) {
    tables.score(users: users, itemCount: itemCount, into: &scores)
  }

  /// Items by the cosine of their factors (the bias left out).
  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    tables.similarItems(to: item, count: count, dims: factors)
  }
}

/// The SGD epochs of `BPRModel` on raw rows of `stride` floats (column `factors`: the user's
/// constant 1, the item's bias).
struct SGDStep: Sendable {
  let factors: Int
  let stride: Int
  let learningRate: Float
  let regularization: Float
  let maxSampled: Int
  let itemCount: Int
  /// Samples between progress reports (and Ctrl-C polls).
  static let reportEvery = 1 << 15

  /// One implicit-style BPR epoch; returns the mean `-log sigma(x_ui - x_uj)` over the samples not
  /// skipped, or nil when `report` says stop.
  func bprEpoch(
    users: inout [Float], items: inout [Float], rows: WeightedRows, pairs: [UInt64],
    rng: inout SeededGenerator, report: (Int, Double) -> Bool
  ) -> Double? {
    let n = rows.count
    guard n > 0 else { return 0 }
    let s = stride
    let vecs = s / 8
    let lr = SIMD8<Float>(repeating: learningRate)
    let reg = SIMD8<Float>(repeating: regularization)
    // Without a weight role every pair weighs 1: skip that random read.
    let weighted = rows.values.contains { $0 != 1 }
    var lossSum = 0.0
    var used = 0
    var stopped = false
    var sink: Float = 0
    users.withUnsafeMutableBufferPointer { ub in
      items.withUnsafeMutableBufferPointer { ib in
        let up = UnsafeMutableRawPointer(ub.baseAddress!)
        let ip = UnsafeMutableRawPointer(ib.baseAddress!)
        // The epoch is bound by the latency of its random reads. Software pipelining: the next
        // sample is drawn one step ahead and its pair, user and item rows are read before this
        // sample's update, so those cache misses overlap the arithmetic (the draws keep their
        // order, so the result is the same as drawing in turn). `sink` keeps the reads alive.
        func draw() -> (liked: Int, pair: UInt64, negative: UInt64) {
          let liked = rng.nextInt(below: n)
          let disliked = rng.nextInt(below: n)
          let pair = pairs[liked]
          let negative = pairs[disliked]
          sink +=
            ub[Int(pair >> 32) * s] + ib[Int(pair & 0xFFFF_FFFF) * s] + ib[Int(negative & 0xFFFF_FFFF) * s]
          return (liked, pair, negative)
        }
        var next = draw()
        for sample in 0..<n {
          if sample % Self.reportEvery == 0 && sample > 0 {
            if !report(sample, used > 0 ? lossSum / Double(used) : 0) {
              stopped = true
              return
            }
          }
          let (liked, pair, negative) = next
          if sample + 1 < n { next = draw() }
          let u = Int(pair >> 32)
          let i = Int(pair & 0xFFFF_FFFF)
          let jItem = Int32(truncatingIfNeeded: negative & 0xFFFF_FFFF)
          if rows.contains(row: u, column: jItem) { continue }
          let j = Int(jItem)
          let uo = u * s * 4
          let io = i * s * 4
          let jo = j * s * 4
          var acc = SIMD8<Float>()
          for v in 0..<vecs {
            let d =
              ip.loadUnaligned(fromByteOffset: io + v * 32, as: SIMD8<Float>.self)
              - ip.loadUnaligned(fromByteOffset: jo + v * 32, as: SIMD8<Float>.self)
            acc += up.loadUnaligned(fromByteOffset: uo + v * 32, as: SIMD8<Float>.self) * d
          }
          let score = acc.sum()
          // z = 1 - sigma(score) = 1 / (1 + e^score); loss = -log sigma(score) = log(1 + e^-score),
          // from the one exponential (for score > 0 through e^-score = 1 / e^score, no overflow).
          let e = exp(Double(score))
          lossSum += score > 0 ? log1p(1 / e) : Double(-score) + log1p(e)
          used += 1
          let w = weighted ? rows.values[liked] : 1
          let z = SIMD8<Float>(repeating: Float(1 / (1 + e)) * w)
          for v in 0..<vecs {
            let o = v * 32
            let xu = up.loadUnaligned(fromByteOffset: uo + o, as: SIMD8<Float>.self)
            let yi = ip.loadUnaligned(fromByteOffset: io + o, as: SIMD8<Float>.self)
            let yj = ip.loadUnaligned(fromByteOffset: jo + o, as: SIMD8<Float>.self)
            up.storeBytes(
              of: xu + lr * (z * (yi - yj) - reg * xu), toByteOffset: uo + o, as: SIMD8<Float>.self)
            ip.storeBytes(of: yi + lr * (z * xu - reg * yi), toByteOffset: io + o, as: SIMD8<Float>.self)
            ip.storeBytes(of: yj + lr * (-z * xu - reg * yj), toByteOffset: jo + o, as: SIMD8<Float>.self)
          }
          // The user's bias column is the constant 1 (only the items' biases learn).
          ub[u * s + factors] = 1
        }
      }
    }
    if stopped { return nil }
    // Reads `sink`, so the pipelined loads are not optimised away (adding 0 changes nothing).
    if sink.isNaN { lossSum += 0 }
    return used > 0 ? lossSum / Double(used) : 0
  }

  /// One LightFM-style WARP epoch with Adagrad; returns the mean weighted hinge loss over the
  /// pairs, or nil when `report` says stop.
  func warpEpoch(
    users: inout [Float], items: inout [Float], userSquares: inout [Float], itemSquares: inout [Float],
    rows: WeightedRows, pairs: [UInt64], rng: inout SeededGenerator, report: (Int, Double) -> Bool
  ) -> Double? {
    let n = rows.count
    guard n > 0, itemCount > 1 else { return 0 }
    let s = stride
    let vecs = s / 8
    var order = Array(0..<n)
    rng.shuffle(&order)
    let lr = SIMD8<Float>(repeating: learningRate)
    let reg = SIMD8<Float>(repeating: regularization)
    // Draws (hits on the user's own items included) before a pair is given up: a user who has
    // nearly every item would otherwise loop for long (LightFM has no bound).
    let drawLimit = 100 * maxSampled + itemCount
    var lossSum = 0.0
    var stopped = false
    users.withUnsafeMutableBufferPointer { ub in
      items.withUnsafeMutableBufferPointer { ib in
        userSquares.withUnsafeMutableBufferPointer { usb in
          itemSquares.withUnsafeMutableBufferPointer { isb in
            let up = UnsafeMutableRawPointer(ub.baseAddress!)
            let ip = UnsafeMutableRawPointer(ib.baseAddress!)
            let ug = UnsafeMutableRawPointer(usb.baseAddress!)
            let ig = UnsafeMutableRawPointer(isb.baseAddress!)
            for (done, pair) in order.enumerated() {
              if done % Self.reportEvery == 0 && done > 0 {
                if !report(done, lossSum / Double(done)) {
                  stopped = true
                  return
                }
              }
              let weight = rows.values[pair]
              guard weight > 0 else { continue }
              let u = Int(pairs[pair] >> 32)
              let i = Int(pairs[pair] & 0xFFFF_FFFF)
              let uo = u * s * 4
              let io = i * s * 4
              let positive = Kernels.dot(ub.baseAddress! + u * s, ib.baseAddress! + i * s, count: s)
              var sampled = 0
              var draws = 0
              while sampled < maxSampled && draws < drawLimit {
                draws += 1
                let jItem = Int32(rng.nextInt(below: itemCount))
                if rows.contains(row: u, column: jItem) { continue }
                sampled += 1
                let j = Int(jItem)
                let negative = Kernels.dot(ub.baseAddress! + u * s, ib.baseAddress! + j * s, count: s)
                guard negative > positive - 1 else { continue }
                let rank = max(1, (Float(itemCount - 1) / Float(sampled)).rounded(.down))
                let l = min(10, weight * Foundation.log(rank))
                lossSum += Double(l * (1 - positive + negative))
                let lv = SIMD8<Float>(repeating: l)
                let jo = j * s * 4
                for v in 0..<vecs {
                  let o = v * 32
                  let xu = up.loadUnaligned(fromByteOffset: uo + o, as: SIMD8<Float>.self)
                  let yi = ip.loadUnaligned(fromByteOffset: io + o, as: SIMD8<Float>.self)
                  let yj = ip.loadUnaligned(fromByteOffset: jo + o, as: SIMD8<Float>.self)
                  let gi = -lv * xu + reg * yi
                  let gj = lv * xu + reg * yj
                  let gu = lv * (yj - yi) + reg * xu
                  let si = ig.loadUnaligned(fromByteOffset: io + o, as: SIMD8<Float>.self)
                  let sj = ig.loadUnaligned(fromByteOffset: jo + o, as: SIMD8<Float>.self)
                  let su = ug.loadUnaligned(fromByteOffset: uo + o, as: SIMD8<Float>.self)
                  ip.storeBytes(
                    of: yi - lr / si.squareRoot() * gi, toByteOffset: io + o, as: SIMD8<Float>.self)
                  ip.storeBytes(
                    of: yj - lr / sj.squareRoot() * gj, toByteOffset: jo + o, as: SIMD8<Float>.self)
                  up.storeBytes(
                    of: xu - lr / su.squareRoot() * gu, toByteOffset: uo + o, as: SIMD8<Float>.self)
                  ig.storeBytes(of: si + gi * gi, toByteOffset: io + o, as: SIMD8<Float>.self)
                  ig.storeBytes(of: sj + gj * gj, toByteOffset: jo + o, as: SIMD8<Float>.self)
                  ug.storeBytes(of: su + gu * gu, toByteOffset: uo + o, as: SIMD8<Float>.self)
                }
                ub[u * s + factors] = 1
                break
              }
            }
          }
        }
      }
    }
    if stopped { return nil }
    return lossSum / Double(n)
  }
}

extension BPRModel {
  public static let type = ModelType(
    name: "bpr", family: "factorization",
    paper: "Rendle et al., UAI 2009 (BPR); Weston, Bengio and Usunier, IJCAI 2011 (WARP)",
    summary: "matrix factorisation by SGD on a pairwise ranking loss (BPR as implicit, or WARP as LightFM)",
    iterative: true,
    options: [
      ModelOption("factors", .int(min: 1, max: 1024), default: "64", "latent factors (plus one bias column)"),
      ModelOption(
        "learning-rate", .double(min: 0, max: 100), default: "0.01 (warp: 0.05)",
        "SGD step; with loss=warp the Adagrad base rate"),
      ModelOption(
        "regularization", .double(min: 0, max: 1e6), default: "0.01 (warp: 0)",
        "L2 penalty on the rows a step touches"
      ),
      ModelOption(
        "epochs", .int(min: 1, max: 100_000), default: "100 (warp: 20)", "passes (implicit: iterations)"),
      ModelOption(
        "loss", .choice(Loss.allCases.map(\.rawValue)), default: "bpr", "bpr (implicit) or warp (LightFM)"),
      ModelOption(
        "max-sampled", .int(min: 1, max: 100_000), default: "10", "WARP: negatives drawn per positive"),
      ModelCatalog.seedOption,
    ],
    make: { o throws(ModelError) in
      guard let loss = Loss(rawValue: o.text("loss", "bpr")) else {
        throw ModelError("bpr: loss must be bpr or warp, got '\(o.text("loss", ""))'")
      }
      let warp = loss == .warp
      let factors = o.int("factors", 64)
      let lr = o.double("learning-rate", warp ? 0.05 : 0.01)
      let reg = o.double("regularization", warp ? 0 : 0.01)
      // WARP's 20: the best of 15, 20, 30 epochs on the validation split (NDCG@10 0.0660, 0.0668, 0.0647
      // over seeds 1-3; LightFM's peer ran 30).
      let epochs = o.int("epochs", warp ? 20 : 100)
      let maxSampled = o.int("max-sampled", 10)
      guard (1...1024).contains(factors) else {
        throw ModelError("bpr: factors must be 1...1024, got \(factors)")
      }
      guard lr > 0 && lr.isFinite else { throw ModelError("bpr: learning-rate must be > 0, got \(lr)") }
      guard reg >= 0 && reg.isFinite else { throw ModelError("bpr: regularization must be >= 0, got \(reg)") }
      guard epochs >= 1 else { throw ModelError("bpr: epochs must be >= 1, got \(epochs)") }
      guard maxSampled >= 1 else { throw ModelError("bpr: max-sampled must be >= 1, got \(maxSampled)") }
      return BPRModel(
        factors: factors, learningRate: Float(lr), regularization: Float(reg), epochs: epochs, loss: loss,
        maxSampled: maxSampled, seed: o.modelSeed)
    })
}
