import RecData
import RecEval
import RecNN

/// DeepFM (Guo, Tang, Ye, Li and He, "DeepFM: A Factorization-Machine based Neural Network for
/// CTR Prediction", IJCAI 2017): a factorization machine and an MLP over one shared embedding of
/// the fields user id, item id, and the named user and item feature columns.
///
/// **Fields.** User id and item id (one feature each); every `features=` column of the item
/// table and `user-features=` column of the user table (``SideFeatures``): categorical, one
/// feature; multi-valued (`a|b`), an embedding bag with values `1/n` (the mean of its tags'
/// vectors); text (`text=`), a bag of words valued `tf / sum tf`; numeric columns are cut into
/// `buckets` quantile buckets and embedded as categories (so price bands get vectors of their
/// own rather than one vector scaled by price).
///
/// **Objective.** `p(u, i) = sigmoid(b + sum_j w_j x_j + FM + DNN)` (``DeepFMNetwork``), trained
/// with binary cross-entropy on every training event as a positive (weighted by the weight role
/// when present) and `negatives` items per positive drawn uniformly from the items with training
/// events that the user did not choose (RecNN `NegativeSampler`; items without training events
/// are never drawn: the model must not learn that new items are bad). Adam with coupled L2
/// (`l2`), dropout on the hidden layers, `epochs` epochs through ``EpochTrainer``.
///
/// **New items and users.** An item (or user) with features but no training event has an id
/// embedding that no gradient touched: its `N(0, 0.01^2)` initial value, close to zero. Its
/// score then comes from its feature fields (category, brand, tags, ...), which were trained on
/// the other items that share them. A user index beyond the map has no fields of its own.
///
/// **Wide & Deep** (Cheng et al., "Wide & Deep Learning for Recommender Systems", DLRS 2016) is
/// the same model with `factorizationMachine` off and `crosses`: the wide part is a linear model
/// over the features (the first-order terms) and over crossed pairs `usercol:itemcol` (one
/// weight per pair of a user value and an item value, such as segment=premium x
/// category=phone), which memorises feature interactions; the deep part is the MLP over the
/// embeddings, which generalises. Both are trained jointly, as in the paper (with Adam rather
/// than FTRL for the wide part).
///
/// - Complexity: a step costs O(rows * fields * dim) for the embeddings and FM plus the MLP's
///   products; scoring a user is one `(items, h1) x (h1, h2)` product per further layer, the
///   items' part of the first layer being precomputed after each epoch.
public struct DeepFMModel: Recommender, Codable {
  public var items: Table?
  public var itemKey: String?
  public var features: [String]
  public var text: [String]
  public var users: Table?
  public var userKey: String?
  public var userFeatures: [String]
  public var buckets: Int
  public var factors: Int
  public var layers: [Int]
  public var epochs: Int
  /// Positives per batch; nil: `positives / 50` clamped to 16...256, so that small data still gets
  /// about 50 steps an epoch and large data full batches.
  public var batchSize: Int?
  public var learningRate: Double
  public var l2: Double
  public var dropout: Double
  public var negatives: Int
  public var seed: UInt64
  /// The FM term (DeepFM); off for Wide & Deep.
  public var factorizationMachine: Bool
  /// Crossed pairs `usercol:itemcol` (Wide & Deep's wide part); each column must be a feature.
  public var crosses: [String]

  /// The fitted weights.
  var weights = DeepFMWeights()
  var userEntries = FieldEntries()
  var itemEntries = FieldEntries()
  /// Fields of the user group (id + user features) and of the item group.
  var userFields = 0
  var itemFields = 0
  var fittedItems = 0
  /// Per item, from `weights` (refreshed after each epoch): the pooled item fields
  /// `(items, itemFields * dim)`, their sum `(items, dim)`, sum of squares, first-order sum, and
  /// the item columns' part of the first DNN layer `(items, h1)`.
  var itemPooled: [Float] = []
  var itemSum: [Float] = []
  var itemSquares: [Float] = []
  var itemLinear: [Float] = []
  var itemHidden: [Float] = []
  /// Where each crossed pair's features and weights are (from `prepare`).
  var crossSpecs: [CrossSpec] = []

  public init(
    items: Table? = nil, itemKey: String? = nil, features: [String] = [], text: [String] = [],
    users: Table? = nil, userKey: String? = nil, userFeatures: [String] = [], buckets: Int = 10,
    factors: Int = 16, layers: [Int] = [64, 32], epochs: Int = 10, batchSize: Int? = nil,
    learningRate: Double = 0.005, l2: Double = 0, dropout: Double = 0.1, negatives: Int = 4,
    seed: UInt64 = 42,
    factorizationMachine: Bool = true, crosses: [String] = []
  ) {
    self.items = items
    self.itemKey = itemKey
    self.features = features
    self.text = text
    self.users = users
    self.userKey = userKey
    self.userFeatures = userFeatures
    self.buckets = buckets
    self.factors = factors
    self.layers = layers.filter { $0 > 0 }
    self.epochs = epochs
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.l2 = l2
    self.dropout = dropout
    self.negatives = negatives
    self.seed = seed
    self.factorizationMachine = factorizationMachine
    self.crosses = crosses
  }

  /// Everything but the side tables, which `fit` has already encoded (a loaded model scores
  /// without them; refitting needs `items=`/`users=` again).
  enum CodingKeys: String, CodingKey {
    case itemKey, features, text, userKey, userFeatures, buckets, factors, layers, epochs, batchSize
    case learningRate, l2, dropout, negatives, seed, weights, userEntries, itemEntries, userFields
    case itemFields, fittedItems, itemPooled, itemSum, itemSquares, itemLinear, itemHidden
    case factorizationMachine, crosses, crossSpecs
  }

  public var name: String { factorizationMachine ? "deepfm" : "widedeep" }
  public var itemCount: Int { fittedItems }

  /// Builds the field layout and a fresh network for `data` (also used by the tests).
  mutating func prepare(_ data: Interactions) throws -> DeepFMNetwork {
    let itemSide = try items.map {
      try SideFeatures(
        table: $0, role: "items", key: itemKey ?? data.roles.item, columns: features, text: text,
        map: data.items
      ).bucketised(buckets: buckets)
    }
    let userSide = try users.map {
      try SideFeatures(
        table: $0, role: "users", key: userKey ?? data.roles.user, columns: userFeatures, map: data.users
      ).bucketised(buckets: buckets)
    }
    // Global features: user ids, item ids, user side vocabularies, item side vocabularies.
    let userSideBase = data.userCount + data.itemCount
    let itemSideBase = userSideBase + (userSide?.fields.reduce(0) { $0 + $1.vocabulary.count } ?? 0)
    let featureCount = itemSideBase + (itemSide?.fields.reduce(0) { $0 + $1.vocabulary.count } ?? 0)
    userEntries = FieldEntries(count: data.userCount, idBase: 0, side: userSide, sideBase: userSideBase)
    itemEntries = FieldEntries(
      count: data.itemCount, idBase: data.userCount, side: itemSide, sideBase: itemSideBase)
    userFields = 1 + (userSide?.fields.count ?? 0)
    itemFields = 1 + (itemSide?.fields.count ?? 0)
    fittedItems = data.itemCount
    crossSpecs = try CrossSpec.layout(
      crosses, users: userSide, userBase: userSideBase, items: itemSide, itemBase: itemSideBase)
    var rng = SeededGenerator(seed: seed, stream: 1)
    let net = DeepFMNetwork(
      features: featureCount, fields: userFields + itemFields, dim: factors, layers: layers,
      dropout: Float(dropout), factorizationMachine: factorizationMachine,
      crosses: crossSpecs.last.map { $0.base + $0.userVocabulary * $0.itemVocabulary } ?? 0, using: &rng)
    net.setTraining(false)
    weights = net.snapshot()
    refreshCache()
    return net
  }

  /// The flat entries `(slot, feature, value)` of examples `(user, item)`, one row each.
  func entries(_ pairs: [(user: Int, item: Int)]) -> (slot: [Int], feature: [Int], value: [Float]) {
    var slot = [Int]()
    var feature = [Int]()
    var value = [Float]()
    let fields = userFields + itemFields
    for (r, p) in pairs.enumerated() {
      for (group, entity, offset) in [(userEntries, p.user, 0), (itemEntries, p.item, userFields)]
      where entity >= 0 && entity < group.count {
        for k in group.start[entity]..<group.start[entity + 1] {
          slot.append(r * fields + offset + Int(group.field[k]))
          feature.append(Int(group.feature[k]))
          value.append(group.value[k])
        }
      }
    }
    return (slot, feature, value)
  }

  /// The crossed-feature entries of examples `(user, item)`: for every cross, every pair of the
  /// user's value and the item's value, valued by the product of their values.
  func crossEntries(_ pairs: [(user: Int, item: Int)]) -> DeepFMNetwork.Crosses {
    var out = DeepFMNetwork.Crosses()
    guard !crossSpecs.isEmpty else { return out }
    for (r, p) in pairs.enumerated() {
      guard p.user >= 0 && p.user < userEntries.count && p.item >= 0 && p.item < itemEntries.count else {
        continue
      }
      for c in crossSpecs {
        for a in userEntries.start[p.user]..<userEntries.start[p.user + 1]
        where userEntries.field[a] == c.userField {
          let ua = Int(userEntries.feature[a]) - c.userOffset
          for b in itemEntries.start[p.item]..<itemEntries.start[p.item + 1]
          where itemEntries.field[b] == c.itemField {
            out.row.append(r)
            out.feature.append(c.base + ua * c.itemVocabulary + Int(itemEntries.feature[b]) - c.itemOffset)
            out.value.append(userEntries.value[a] * itemEntries.value[b])
          }
        }
      }
    }
    return out
  }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    let net = try prepare(data)
    guard data.count > 0 else { return FitReport() }
    var positives = [Set<Int>](repeating: [], count: data.userCount)
    var counts = [Int](repeating: 0, count: data.itemCount)
    for e in 0..<data.count {
      positives[Int(data.user[e])].insert(Int(data.item[e]))
      counts[Int(data.item[e])] += 1
    }
    // alpha 0: uniform over the items with at least one training event.
    let sampler = NegativeSampler(
      itemCount: data.itemCount, positives: positives, itemCounts: counts, distribution: .popularity(alpha: 0)
    )
    let optimizer = Adam(learningRate: Float(learningRate), weightDecay: Float(l2))
    let (seed, negatives) = (self.seed, self.negatives)
    let batchSize = self.batchSize ?? min(256, max(16, data.count / 50))
    let parameters = net.parameters
    return EpochTrainer.run(
      &self, epochs: context.epochs ?? epochs, examplesPerEpoch: data.count * (1 + negatives),
      context: context
    ) { model, epoch, reporter in
      var rng = SeededGenerator(seed: seed, stream: 100 + UInt64(epoch))
      var order = Array(0..<data.count)
      rng.shuffle(&order)
      net.setTraining(true)
      var total = 0.0
      var done = 0
      for (b, from) in stride(from: 0, to: order.count, by: batchSize).enumerated() {
        var pairs = [(user: Int, item: Int)]()
        var targets = [Float]()
        var rowWeights = [Float]()
        for e in order[from..<min(from + batchSize, order.count)] {
          let u = Int(data.user[e])
          pairs.append((u, Int(data.item[e])))
          targets.append(1)
          rowWeights.append(Float(data.weight?[e] ?? 1))
          for _ in 0..<negatives {
            guard let j = sampler.sample(for: u, using: &rng) else { break }
            pairs.append((u, j))
            targets.append(0)
            rowWeights.append(1)
          }
        }
        let x = model.entries(pairs)
        let logits = net.forward(
          rows: pairs.count, slot: x.slot, feature: x.feature, value: x.value,
          crosses: model.crossEntries(pairs))
        let (loss, d) = Loss.binaryCrossEntropyWithLogits(
          logits: Tensor(shape: [pairs.count], scalars: logits),
          targets: Tensor(shape: [pairs.count], scalars: targets))
        var dLogits = d.scalars
        if data.weight != nil { for r in 0..<dLogits.count { dLogits[r] *= rowWeights[r] } }
        net.backward(dLogits)
        optimizer.step(parameters)
        for p in parameters { p.zeroGrad() }
        total += Double(loss) * Double(pairs.count)
        done += pairs.count
        if b % 8 == 0, !reporter.report(done: done, loss: total / Double(done)) { return nil }
      }
      net.setTraining(false)
      model.weights = net.snapshot()
      model.refreshCache()
      return done > 0 ? total / Double(done) : 0
    }
  }

  /// Pools the fields of one entity into `out[offset ..< offset + fields * dim]` and returns the
  /// first-order sum.
  func pool(_ group: FieldEntries, _ entity: Int, into out: inout [Float], at offset: Int) -> Float {
    let k = weights.dim
    var linear: Float = 0
    guard entity >= 0 && entity < group.count else { return 0 }
    for t in group.start[entity]..<group.start[entity + 1] {
      let base = offset + Int(group.field[t]) * k
      let f = Int(group.feature[t])
      let v = group.value[t]
      for d in 0..<k { out[base + d] += v * weights.embedding[f * k + d] }
      linear += v * weights.firstOrder[f]
    }
    return linear
  }

  /// Recomputes the per-item caches from `weights`.
  mutating func refreshCache() {
    let k = weights.dim
    let n = fittedItems
    let width = itemFields * k
    var pooled = [Float](repeating: 0, count: n * width)
    var sums = [Float](repeating: 0, count: n * k)
    var squares = [Float](repeating: 0, count: n)
    var linear = [Float](repeating: 0, count: n)
    for i in 0..<n {
      linear[i] = pool(itemEntries, i, into: &pooled, at: i * width)
      for f in 0..<itemFields {
        for d in 0..<k {
          let x = pooled[i * width + f * k + d]
          sums[i * k + d] += x
          squares[i] += x * x
        }
      }
    }
    guard let first = weights.layers.first else { return }
    var hidden = [Float](repeating: 0, count: n * first.outputs)
    // (items, itemFields * dim) x (the item columns of W1)^T: W1 is (h1, fields * dim).
    Kernels.gemm(
      transA: false, transB: true, m: n, n: first.outputs, k: width, a: pooled, b: first.weight,
      bOffset: userFields * k, ldb: first.inputs, beta: 0, c: &hidden)
    itemPooled = pooled
    itemSum = sums
    itemSquares = squares
    itemLinear = linear
    itemHidden = hidden
  }

  public func score(user: Int, into scores: inout [Float]) {
    let n = min(fittedItems, scores.count)
    scores.rankUnknownLast(from: n)
    guard n > 0, let first = weights.layers.first else { return }
    let k = weights.dim
    var u = [Float](repeating: 0, count: userFields * k)
    let userLinear = pool(userEntries, user, into: &u, at: 0)
    var su = [Float](repeating: 0, count: k)
    var qu: Float = 0
    for f in 0..<userFields {
      for d in 0..<k {
        su[d] += u[f * k + d]
        qu += u[f * k + d] * u[f * k + d]
      }
    }
    // The user's part of the first layer, W1[:, user columns] u + b1, added to every item's part.
    var h = Array(itemHidden[0..<(n * first.outputs)])
    for o in 0..<first.outputs {
      var s = first.bias[o]
      for j in 0..<(userFields * k) { s += first.weight[o * first.inputs + j] * u[j] }
      for i in 0..<n { h[i * first.outputs + o] += s }
    }
    var width = first.outputs
    for layer in weights.layers.dropFirst() {
      for j in 0..<h.count { h[j] = max(h[j], 0) }  // ReLU after each hidden layer
      var next = [Float](repeating: 0, count: n * layer.outputs)
      Kernels.fillRows(&next, rows: n, with: layer.bias)
      Kernels.gemm(
        transA: false, transB: true, m: n, n: layer.outputs, k: width, a: h, b: layer.weight, beta: 1,
        c: &next)
      h = next
      width = layer.outputs
    }
    let base = weights.bias + userLinear
    for i in 0..<n {
      var fm: Float = 0
      if factorizationMachine {
        var total: Float = 0
        for d in 0..<k {
          let s = su[d] + itemSum[i * k + d]
          total += s * s
        }
        fm = 0.5 * (total - qu - itemSquares[i])
      }
      scores[i] = base + itemLinear[i] + fm + h[i]
    }
    addCrossScores(user: user, items: n, into: &scores)
  }

  /// Adds the crossed features' terms: per cross, the user's values fold the weight matrix
  /// `(user values, item values)` into one weight per item value, which each item's values read.
  func addCrossScores(user: Int, items n: Int, into scores: inout [Float]) {
    guard user >= 0 && user < userEntries.count else { return }
    for c in crossSpecs {
      var z = [Float](repeating: 0, count: c.itemVocabulary)
      for a in userEntries.start[user]..<userEntries.start[user + 1] where userEntries.field[a] == c.userField
      {
        let row = c.base + (Int(userEntries.feature[a]) - c.userOffset) * c.itemVocabulary
        let v = userEntries.value[a]
        for b in 0..<c.itemVocabulary { z[b] += v * weights.cross[row + b] }
      }
      for i in 0..<n {
        var s: Float = 0
        for b in itemEntries.start[i]..<itemEntries.start[i + 1] where itemEntries.field[b] == c.itemField {
          s += itemEntries.value[b] * z[Int(itemEntries.feature[b]) - c.itemOffset]
        }
        scores[i] += s
      }
    }
  }
}

/// Where one crossed pair `usercol:itemcol` lives: the fields it reads in each group, where their
/// features start globally, and its block `base ..< base + userVocabulary * itemVocabulary` of the
/// cross weights (row-major by user value).
struct CrossSpec: Sendable, Equatable, Codable {
  var userField: Int32
  var itemField: Int32
  var userOffset: Int
  var itemOffset: Int
  var userVocabulary: Int
  var itemVocabulary: Int
  var base: Int

  /// The layout of `crosses` (`usercol:itemcol` each) over the user and item side fields, whose
  /// features start at `userBase` and `itemBase`. Names are checked when the model is defined.
  static func layout(
    _ crosses: [String], users: SideFeatures?, userBase: Int, items: SideFeatures?, itemBase: Int
  ) throws(ModelError) -> [CrossSpec] {
    var out = [CrossSpec]()
    var base = 0
    for cross in crosses {
      let parts = cross.split(separator: ":").map(String.init)
      guard parts.count == 2, let users, let items,
        let uf = users.fields.firstIndex(where: { $0.name == parts[0] }),
        let itf = items.fields.firstIndex(where: { $0.name == parts[1] })
      else {
        throw ModelError("cross '\(cross)' must name a user feature and an item feature: usercol:itemcol")
      }
      let uOffset = userBase + users.fields[..<uf].reduce(0) { $0 + $1.vocabulary.count }
      let iOffset = itemBase + items.fields[..<itf].reduce(0) { $0 + $1.vocabulary.count }
      let spec = CrossSpec(
        userField: Int32(uf + 1), itemField: Int32(itf + 1), userOffset: uOffset, itemOffset: iOffset,
        userVocabulary: users.fields[uf].vocabulary.count, itemVocabulary: items.fields[itf].vocabulary.count,
        base: base)
      base += spec.userVocabulary * spec.itemVocabulary
      out.append(spec)
    }
    return out
  }
}

/// One group's (users' or items') field entries, CSR by entity: entity `e` owns entries
/// `start[e] ..< start[e + 1]`, each `(field within the group, global feature, value)`.
struct FieldEntries: Sendable, Equatable, Codable {
  var start: [Int] = [0]
  var field: [Int32] = []
  var feature: [Int32] = []
  var value: [Float] = []
  var count: Int { start.count - 1 }

  init() {}

  /// Field 0 is the id (feature `idBase + e`); fields 1... are the side fields, whose features
  /// start at `sideBase` in field order. Bags are valued `1/n` (multi-hot) or `tf / sum tf` (text).
  init(count: Int, idBase: Int, side: SideFeatures?, sideBase: Int) {
    var offsets = [Int]()
    var o = sideBase
    for f in side?.fields ?? [] {
      offsets.append(o)
      o += f.vocabulary.count
    }
    for e in 0..<count {
      field.append(0)
      feature.append(Int32(idBase + e))
      value.append(1)
      if let side {
        for f in 0..<side.fields.count {
          let r = side.entries(e, f)
          let total = r.reduce(Float(0)) { $0 + side.value[$1] }
          for k in r {
            field.append(Int32(f + 1))
            feature.append(Int32(offsets[f]) + side.feature[k])
            value.append(total > 0 ? side.value[k] / total : 0)
          }
        }
      }
      start.append(feature.count)
    }
  }
}

extension DeepFMModel {
  public static let type = ModelType(
    name: "deepfm", family: "neural", paper: "Guo, Tang, Ye, Li and He, IJCAI 2017",
    summary: "factorization machine + MLP over user, item and feature embeddings",
    iterative: true, options: sharedOptions(layersHelp: "hidden layer widths (0: FM only)"),
    coldStart: coldStart,
    make: { o throws(ModelError) in try make(o, factorizationMachine: true) })

  public static let wideAndDeepType = ModelType(
    name: "widedeep", family: "neural", paper: "Cheng et al., DLRS 2016",
    summary: "a linear model over features and crossed features + an MLP over embeddings",
    iterative: true,
    options: sharedOptions(layersHelp: "hidden layer widths (0: the wide part only)") + [
      ModelOption(
        "crosses", .columns,
        "crossed pairs usercol:itemcol, each a user-features= and a features= column (the wide part)")
    ],
    coldStart: coldStart,
    make: { o throws(ModelError) in try make(o, factorizationMachine: false) })

  static let coldStart = "yes, from features (users and items with features but no events)"

  /// The options DeepFM and Wide & Deep share.
  static func sharedOptions(layersHelp: String) -> [ModelOption] {
    [
      ModelOption("items", .table, "the item table with item features"),
      ModelOption("item-key", .columns, default: "the split's item column", "the item id column of items="),
      ModelOption("features", .columns, "item columns: categorical, multi-valued (a|b) or numeric"),
      ModelOption("text", .columns, "item text columns, as bags of lower-cased words"),
      ModelOption("users", .table, "the user table with user features"),
      ModelOption("user-key", .columns, default: "the split's user column", "the user id column of users="),
      ModelOption("user-features", .columns, "user columns: categorical, multi-valued or numeric"),
      ModelOption("buckets", .int(min: 2, max: 1000), default: "10", "quantile buckets per numeric column"),
      ModelOption("factors", .int(min: 1, max: 1024), default: "16", "embedding dimension"),
      ModelOption("layers", .ints(min: 0, max: 4096), default: "64,32", layersHelp),
      ModelOption("epochs", .int(min: 1, max: 10_000), default: "10", "passes over the training events"),
      ModelOption(
        "batch-size", .int(min: 1, max: 1 << 20), default: "positives/50 in 16...256", "positives per batch"),
      ModelOption("learning-rate", .double(min: 1e-7, max: 1), default: "0.005", "Adam step size"),
      ModelOption("l2", .double(min: 0, max: 1), default: "0", "L2 penalty (Adam weight decay)"),
      ModelOption("dropout", .double(min: 0, max: 0.9), default: "0.1", "dropout on hidden layers"),
      ModelOption("negatives", .int(min: 1, max: 100), default: "4", "sampled negatives per positive"),
      ModelCatalog.seedOption,
    ]
  }

  /// A model from checked options: DeepFM with the FM term, Wide & Deep without it and with `crosses=`.
  static func make(_ o: ModelOptions, factorizationMachine: Bool) throws(ModelError) -> DeepFMModel {
    let features = o.names("features") ?? []
    let text = o.names("text") ?? []
    let userFeatures = o.names("user-features") ?? []
    let crosses = o.names("crosses") ?? []
    let items = o.table("items")
    let users = o.table("users")
    let itemKey = o.names("item-key")?.first
    let userKey = o.names("user-key")?.first
    if let items {
      try SideFeatures.check(table: items, role: "items", key: itemKey, columns: features, text: text)
    } else if !features.isEmpty || !text.isEmpty {
      throw ModelError("features= and text= need the item table: give items=TABLE")
    }
    if let users {
      try SideFeatures.check(table: users, role: "users", key: userKey, columns: userFeatures)
    } else if !userFeatures.isEmpty {
      throw ModelError("user-features= needs the user table: give users=TABLE")
    }
    for cross in crosses {
      let parts = cross.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard parts.count == 2 else { throw ModelError("cross '\(cross)' must be usercol:itemcol") }
      guard userFeatures.contains(parts[0]) else {
        throw ModelError(
          "cross '\(cross)': '\(parts[0])' is not one of user-features= "
            + "(\(userFeatures.isEmpty ? "none given" : userFeatures.joined(separator: ", ")))")
      }
      guard features.contains(parts[1]) else {
        throw ModelError(
          "cross '\(cross)': '\(parts[1])' is not one of features= "
            + "(\(features.isEmpty ? "none given" : features.joined(separator: ", ")))")
      }
    }
    return DeepFMModel(
      items: items, itemKey: itemKey, features: features, text: text, users: users, userKey: userKey,
      userFeatures: userFeatures, buckets: o.int("buckets", 10), factors: o.int("factors", 16),
      layers: o.ints("layers", [64, 32]), epochs: o.int("epochs", 10),
      batchSize: o.values["batch-size"] == nil ? nil : o.int("batch-size", 128),
      learningRate: o.double("learning-rate", 0.005), l2: o.double("l2", 0),
      dropout: o.double("dropout", 0.1), negatives: o.int("negatives", 4), seed: o.modelSeed,
      factorizationMachine: factorizationMachine, crosses: crosses)
  }
}
