import RecData
import RecEval
import RecNN

/// Biased matrix factorisation for explicit ratings ("SVD"; Funk 2006; Koren, Bell and Volinsky,
/// IEEE Computer 2009, eq. 5), trained by plain SGD exactly as Surprise's `SVD` does.
///
/// Prediction: `r_hat(u, i) = mu + b_u + b_i + q_i . p_u`, with `mu` the mean training rating.
/// Objective: `sum (r_ui - r_hat)^2 + reg (b_u^2 + b_i^2 + |p_u|^2 + |q_i|^2)` over the training
/// ratings. Each rating, with `e = r_ui - r_hat` computed before any update:
///
///     b_u += lr (e - reg b_u);   b_i += lr (e - reg b_i)
///     p_u += lr (e q_i - reg p_u);   q_i += lr (e p_u - reg q_i)   (both from the old values)
///
/// Biases start at 0, factors at `N(0, initStd^2)`. Like Surprise, ratings are visited user by
/// user in the same order every epoch (no shuffling), so a fit is one fixed sequence of updates;
/// the arithmetic is in Double, as Surprise's is.
///
/// Unknown users or items (no training rating) fall back as in Surprise: their bias and factors
/// count as zero. Predictions are clipped to the rating range seen in fit; as a ranker the score
/// of an item is its clipped predicted rating, so `evaluate` reports RMSE and MAE of `predict`.
public struct SVDModel: Recommender, Codable {
  public var factors: Int
  public var epochs: Int
  public var learningRate: Double
  public var regularization: Double
  public var initStd: Double
  public var seed: UInt64

  /// The mean training rating `mu`.
  public private(set) var globalMean = 0.0
  /// `b_u: (users)`.
  public private(set) var userBias: [Double] = []
  /// `b_i: (items)`.
  public private(set) var itemBias: [Double] = []
  /// `p: (users, factors)`, row-major.
  public private(set) var userFactors: [Double] = []
  /// `q: (items, factors)`, row-major.
  public private(set) var itemFactors: [Double] = []
  /// The smallest and largest training rating (predictions are clipped to them).
  public private(set) var ratingRange: ClosedRange<Double> = 0...0
  /// Whether each user / item had a training rating.
  private var knownUser: [Bool] = []
  private var knownItem: [Bool] = []
  /// Float copies of `p` and `q` for scoring with sgemm (`q` zeroed for unknown items).
  private var userFactorsF: [Float] = []
  private var itemFactorsF: [Float] = []

  public init(
    factors: Int = 100, epochs: Int = 20, learningRate: Double = 0.005, regularization: Double = 0.02,
    initStd: Double = 0.1, seed: UInt64 = 42
  ) {
    self.factors = factors
    self.epochs = epochs
    self.learningRate = learningRate
    self.regularization = regularization
    self.initStd = initStd
    self.seed = seed
  }

  public var name: String { "svd" }
  public var itemCount: Int { itemBias.count }
  public var userCount: Int { userBias.count }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    guard let ratings = data.rating else {
      throw ModelError("svd needs explicit ratings: give the split a rating role (split ... rating=COL)")
    }
    guard factors > 0 else { throw ModelError("svd needs factors >= 1, got \(factors)") }
    let users = data.userCount
    let items = data.itemCount
    let k = factors
    var g = SeededGenerator(seed: seed)
    // Surprise draws p then q from one normal stream.
    userFactors = (0..<(users * k)).map { _ in g.nextGaussian() * initStd }
    itemFactors = (0..<(items * k)).map { _ in g.nextGaussian() * initStd }
    userBias = [Double](repeating: 0, count: users)
    itemBias = [Double](repeating: 0, count: items)
    globalMean = data.count > 0 ? ratings.reduce(0, +) / Double(data.count) : 0
    ratingRange = (ratings.min() ?? 0)...(ratings.max() ?? 0)
    knownUser = (0..<users).map { data.byUser.count(ofRow: $0) > 0 }
    knownItem = (0..<items).map { data.byItem.count(ofRow: $0) > 0 }
    // Events in the order they are visited: user by user (as Surprise's `all_ratings`).
    let order = data.byUser.events
    let report = EpochTrainer.run(
      &self, epochs: context.epochs ?? epochs, examplesPerEpoch: data.count, context: context
    ) { model, _, reporter in
      model.sgdEpoch(data: data, ratings: ratings, order: order, reporter: reporter)
    }
    makeScoringCopies()
    return report
  }

  /// One pass of SGD over every rating; returns the mean squared error before each update, or
  /// nil when the reporter says stop.
  mutating func sgdEpoch(data: Interactions, ratings: [Double], order: [Int32], reporter: BatchReporter)
    -> Double?
  {
    let k = factors
    let lr = learningRate
    let reg = regularization
    let mu = globalMean
    var total = 0.0
    var bu = userBias
    var bi = itemBias
    var p = userFactors
    var q = itemFactors
    userBias = []
    itemBias = []
    userFactors = []
    itemFactors = []
    defer {
      userBias = bu
      itemBias = bi
      userFactors = p
      itemFactors = q
    }
    for (n, e32) in order.enumerated() {
      let e = Int(e32)
      let u = Int(data.user[e])
      let i = Int(data.item[e])
      let pu = u * k
      let qi = i * k
      var dot = 0.0
      for f in 0..<k { dot += q[qi + f] * p[pu + f] }
      let err = ratings[e] - (mu + bu[u] + bi[i] + dot)
      total += err * err
      bu[u] += lr * (err - reg * bu[u])
      bi[i] += lr * (err - reg * bi[i])
      for f in 0..<k {
        let puf = p[pu + f]
        let qif = q[qi + f]
        p[pu + f] += lr * (err * qif - reg * puf)
        q[qi + f] += lr * (err * puf - reg * qif)
      }
      if n % 8192 == 8191, !reporter.report(done: n + 1, loss: total / Double(n + 1)) { return nil }
    }
    return order.isEmpty ? 0 : total / Double(order.count)
  }

  /// Float factors for scoring; unknown users and items get zero factors (their term drops out).
  private mutating func makeScoringCopies() {
    let k = factors
    userFactorsF = [Float](repeating: 0, count: userFactors.count)
    itemFactorsF = [Float](repeating: 0, count: itemFactors.count)
    for u in 0..<userCount where knownUser[u] {
      for f in 0..<k { userFactorsF[u * k + f] = Float(userFactors[u * k + f]) }
    }
    for i in 0..<itemCount where knownItem[i] {
      for f in 0..<k { itemFactorsF[i * k + f] = Float(itemFactors[i * k + f]) }
    }
  }

  /// The predicted rating of `item` by `user`, clipped to the training rating range. Users and
  /// items outside the fitted maps, or without training ratings, count with zero bias and factors.
  public func predict(user: Int, item: Int) -> Double {
    var r = globalMean
    let ku = user >= 0 && user < userCount && knownUser[user]
    let ki = item >= 0 && item < itemCount && knownItem[item]
    if ku { r += userBias[user] }
    if ki { r += itemBias[item] }
    if ku && ki {
      let k = factors
      for f in 0..<k { r += userFactors[user * k + f] * itemFactors[item * k + f] }
    }
    return min(max(r, ratingRange.lowerBound), ratingRange.upperBound)
  }

  public func score(user: Int, into scores: inout [Float]) {
    let n = min(itemCount, scores.count)
    for i in 0..<n { scores[i] = Float(predict(user: user, item: i)) }
    scores.rankUnknownLast(from: n)
  }

  /// All users of the block in one sgemm, `(users, k) . (items, k)^T`, then biases and clipping.
  public func score(users: [Int], itemCount n: Int, into scores: inout [Float]) {
    guard !users.isEmpty else { return }
    let k = factors
    let m = min(n, itemCount)
    var a = [Float](repeating: 0, count: users.count * k)
    for (r, u) in users.enumerated() where u >= 0 && u < userCount {
      for f in 0..<k { a[r * k + f] = userFactorsF[u * k + f] }
    }
    if m > 0 {
      Kernels.gemm(
        transA: false, transB: true, m: users.count, n: m, k: k, a: a, b: itemFactorsF, ldb: k, beta: 0,
        c: &scores, ldc: n)
    }
    let lo = Float(ratingRange.lowerBound)
    let hi = Float(ratingRange.upperBound)
    for (r, u) in users.enumerated() {
      let bu = u >= 0 && u < userCount && knownUser[u] ? userBias[u] : 0
      for i in 0..<m {
        let bi = knownItem[i] ? itemBias[i] : 0
        let s = Float(globalMean + bu + bi) + scores[r * n + i]
        scores[r * n + i] = min(max(s, lo), hi)
      }
      for i in m..<n { scores[r * n + i] = -.infinity }
    }
  }

  /// Items whose factor vectors have the highest cosine with `item`'s.
  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    guard item >= 0 && item < itemCount && knownItem[item] else { return nil }
    let k = factors
    func norm(_ i: Int) -> Float {
      var s: Float = 0
      for f in 0..<k { s += itemFactorsF[i * k + f] * itemFactorsF[i * k + f] }
      return s.squareRoot()
    }
    var sims = [Float](repeating: 0, count: itemCount)
    let query = Array(itemFactorsF[(item * k)..<((item + 1) * k)])
    Kernels.scoreRows(table: itemFactorsF, rows: itemCount, dim: k, query: query, into: &sims)
    let nq = norm(item)
    for i in 0..<itemCount {
      let d = nq * norm(i)
      sims[i] = d > 0 ? sims[i] / d : -1
    }
    return TopK.select(sims, k: count, excluding: [Int32(item)]).map {
      ScoredItem(item: Int($0), score: sims[Int($0)])
    }
  }
}

extension SVDModel {
  public static let type = ModelType(
    name: "svd", family: "factorization",
    paper: "Funk 2006; Koren, Bell and Volinsky, IEEE Computer 2009",
    summary: "biased matrix factorisation of explicit ratings by SGD (Surprise's SVD)",
    needs: .ratings, iterative: true,
    options: [
      ModelOption("factors", .int(min: 1, max: 4096), default: "100", "latent factors per user and item"),
      ModelOption("epochs", .int(min: 0, max: 100_000), default: "20", "passes of SGD over the ratings"),
      ModelOption("learning-rate", .double(min: 0, max: 10), default: "0.005", "SGD step size"),
      ModelOption(
        "regularization", .double(min: 0, max: 100), default: "0.02", "L2 penalty on biases and factors"),
      ModelOption(
        "init-std", .double(min: 0, max: 10), default: "0.1", "standard deviation of the initial factors"),
      ModelCatalog.seedOption,
    ],
    make: { o throws(ModelError) in
      SVDModel(
        factors: o.int("factors", 100), epochs: o.int("epochs", 20),
        learningRate: o.double("learning-rate", 0.005), regularization: o.double("regularization", 0.02),
        initStd: o.double("init-std", 0.1), seed: o.modelSeed)
    })
}
