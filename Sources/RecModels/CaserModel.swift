import RecData
import RecEval
import RecNN

/// Caser (Tang and Wang, "Personalized top-N sequential recommendation via convolutional
/// sequence embedding", WSDM 2018), as its authors' PyTorch code trains it.
///
/// The last `length` (L) items of a user form an image `E: (L, dim)` of item embeddings. Horizontal
/// filters of every height `h` in `1...L` (`horizontal` each, ReLU, max-pooled over time) catch
/// union-level and point-level patterns; `vertical` filters of `L x 1` take weighted sums of the
/// rows. Their concatenation goes through dropout and a fully connected layer to `dim` units
/// with ReLU, is concatenated with the user's embedding, and scores item `i` as
/// `x . W2[i] + b2[i]` with `W2: (items, 2 dim)`.
///
/// Training: every window of `L + T` consecutive items of a user's chronological sequence
/// (users shorter than that: one window padded on the left with a padding item) gives the
/// inputs (its first L items) and `T = targets` targets (its last T); each target has
/// `negatives` items the user never interacted with, drawn uniformly. The objective is binary
/// cross-entropy, `mean(-log sigmoid(pos)) + mean(-log(1 - sigmoid(neg)))`, with Adam and
/// coupled L2 (`l2`; lazy rows for the embedding tables), mini-batches of `batch` windows.
/// Embeddings start `N(0, 1/dim^2)` (user, item) and `N(0, 1/(2 dim)^2)` (`W2`), `b2` at 0, as in
/// the paper's code. Scoring reads the last L training items (padded on the left) and the user
/// embedding (the mean user embedding for a user unseen in training or a history given at
/// request time).
public struct CaserModel: Recommender, HistoryScorer, Codable {
  public var length: Int
  public var targets: Int
  public var horizontal: Int
  public var vertical: Int
  public var dim: Int
  public var dropout: Float
  public var negatives: Int
  public var epochs: Int
  public var learningRate: Float
  public var l2: Float
  public var batch: Int
  public var seed: UInt64

  public private(set) var itemCount = 0
  private(set) var userCount = 0
  /// Every parameter, in `Network.parameters` order (value copies: real snapshots, thread-safe).
  private(set) var weights: [Tensor] = []
  /// Each training user's chronological items.
  private(set) var sequences: [[Int32]] = []

  public init(
    length: Int = 5, targets: Int = 3, horizontal: Int = 16, vertical: Int = 4, dim: Int = 50,
    dropout: Float = 0.5, negatives: Int = 3, epochs: Int = 30, learningRate: Float = 1e-3, l2: Float = 1e-6,
    batch: Int = 512, seed: UInt64 = 42
  ) {
    self.length = length
    self.targets = targets
    self.horizontal = horizontal
    self.vertical = vertical
    self.dim = dim
    self.dropout = dropout
    self.negatives = negatives
    self.epochs = epochs
    self.learningRate = learningRate
    self.l2 = l2
    self.batch = batch
    self.seed = seed
  }

  public var name: String { "caser" }

  /// One training window: the user, `length` input items (the padding item where absent) and
  /// `targets` target items (-1 where the window is too short to have one).
  struct Window {
    var user: Int
    var inputs: [Int]
    var targets: [Int]
  }

  /// The windows of one user's sequence, newest first as in the reference code (the order does
  /// not matter: every epoch shuffles them).
  static func windows(user: Int, sequence s: [Int32], length L: Int, targets T: Int, padding: Int) -> [Window]
  {
    guard s.count >= 2 else { return [] }
    let w = L + T
    if s.count >= w {
      return (0...(s.count - w)).reversed().map { start in
        Window(
          user: user, inputs: s[start..<(start + L)].map { Int($0) },
          targets: s[(start + L)..<(start + w)].map { Int($0) })
      }
    }
    // Shorter than a window: left-pad to L + T; targets are the last T positions (a padded one
    // is no target).
    let padded = [Int](repeating: -1, count: w - s.count) + s.map { Int($0) }
    return [
      Window(
        user: user, inputs: padded[0..<L].map { $0 < 0 ? padding : $0 }, targets: Array(padded[L..<w]))
    ]
  }

  // MARK: - Fit

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    let seqs = try UserSequences.chronological(data, model: "caser")
    let n = data.itemCount
    guard n > 0 else { throw ModelError("caser needs at least one item") }
    itemCount = n
    userCount = data.userCount
    sequences = seqs
    var rng = SeededGenerator(seed: seed)
    let net = Network(config: self, items: n, users: data.userCount, weights: nil, using: &rng)
    let dropLayer = Dropout(p: dropout, seed: rng.next())
    weights = net.parameters.map(\.value)
    var windows: [Window] = []
    for (u, s) in seqs.enumerated() {
      windows += Self.windows(user: u, sequence: s, length: length, targets: targets, padding: n)
    }
    let positives = (0..<data.userCount).map { u in Set(data.byUser.columns(ofRow: u).map { Int($0) }) }
    let sampler = NegativeSampler(itemCount: n, positives: positives)
    let adam = Adam(learningRate: learningRate, weightDecay: l2)
    let (batch, negatives) = (batch, negatives)
    var order = SeededGenerator(seed: seed, stream: 0x6361_7365)
    return EpochTrainer.run(
      &self, epochs: context.epochs ?? epochs, examplesPerEpoch: windows.count, context: context
    ) { model, _, reporter in
      var total = 0.0
      var done = 0
      for b in TrainingLoop.shuffledBatches(count: windows.count, batchSize: batch, using: &order) {
        let ws = b.map { windows[$0] }
        var negs: [[Int]] = []
        for w in ws {
          negs.append(
            (0..<(w.targets.count * negatives)).map { _ in sampler.sample(for: w.user, using: &order) ?? -1 })
        }
        let loss = net.step(ws, negatives: negs, dropout: dropLayer)
        adam.step(net.parameters)
        total += Double(loss) * Double(ws.count)
        done += ws.count
        if !reporter.report(done: done, loss: total / Double(done)) { return nil }
      }
      model.weights = net.parameters.map(\.value)
      return done > 0 ? total / Double(done) : 0
    }
  }

  // MARK: - Scoring

  /// The last `length` items of `history`, padded on the left with the padding item.
  private func lastItems(_ history: ArraySlice<Int32>) -> [Int] {
    let tail = history.suffix(length).map { Int($0) }
    return [Int](repeating: itemCount, count: length - tail.count) + tail
  }

  /// Scores for `(user or nil, last items)` rows into `scores: (rows, width)`: one forward pass
  /// without dropout, then one sgemm against `W2`; `-infinity` beyond the model's items.
  private func score(_ rows: [(user: Int?, items: [Int])], width: Int, into scores: inout [Float]) {
    let n = min(itemCount, width)
    let m = rows.count
    guard !weights.isEmpty else {
      for k in 0..<(m * width) { scores[k] = k % width < n ? 0 : -.infinity }
      return
    }
    var rng = SeededGenerator(seed: 0)
    let net = Network(config: self, items: itemCount, users: userCount, weights: weights, using: &rng)
    let x = net.features(rows.map(\.items), users: rows.map(\.user), dropout: nil).scalars
    let outBias = weights[weights.count - 1].scalars
    for r in 0..<m {
      for i in 0..<n { scores[r * width + i] = outBias[i] }
      for i in n..<width { scores[r * width + i] = -.infinity }
    }
    guard n > 0 else { return }
    Kernels.gemm(
      transA: false, transB: true, m: m, n: n, k: 2 * dim, a: x, b: weights[weights.count - 2].scalars,
      ldb: 2 * dim, beta: 1, c: &scores, ldc: width)
  }

  private func row(user: Int) -> (user: Int?, items: [Int]) {
    guard user >= 0 && user < sequences.count else { return (nil, lastItems([])) }
    return (user, lastItems(sequences[user][...]))
  }

  public func score(user: Int, into scores: inout [Float]) {
    score([row(user: user)], width: scores.count, into: &scores)
  }

  /// All of `users` in one forward pass and one sgemm against the output table.
  public func score(users: [Int], itemCount width: Int, into scores: inout [Float]) {
    guard !users.isEmpty else { return }
    precondition(scores.count >= users.count * width)
    score(users.map(row(user:)), width: width, into: &scores)
  }

  /// Scores after `history` (oldest first), read as a new user's (the mean user embedding).
  public func score(history: [Int], into scores: inout [Float]) {
    let known = UserSequences.known(history, itemCount: itemCount)
    score([(nil, lastItems(known[...]))], width: scores.count, into: &scores)
  }
}

extension CaserModel {
  /// The layers of one fit (or of one scoring call, built from stored weights).
  final class Network {
    let L: Int
    let dim: Int
    let items: Embedding  // (items + 1, dim); the last row is the padding item
    let users: Embedding  // (users, dim)
    let verticalConv: VerticalConvolution
    let horizontalConvs: [HorizontalConvolution]
    let convActivations: [ReLU]
    let pools: [MaxPoolOverTime]
    let fc: Linear
    let fcActivation = ReLU()
    let convConcat = Concat()
    let userConcat = Concat()
    let outWeight: Embedding  // W2: (items, 2 dim)
    let outBias: Embedding  // b2: (items, 1)
    let parameters: [Parameter]
    private var candidates: [Int] = []
    private var x = Tensor(shape: [0, 0])
    private var userRows: [Int] = []

    init(
      config c: CaserModel, items n: Int, users m: Int, weights: [Tensor]?, using rng: inout SeededGenerator
    ) {
      L = c.length
      dim = c.dim
      let d = c.dim
      // The embedding tables come from `weights` without drawing (scoring builds a network per
      // call); the small layers are drawn, then overwritten below.
      items = Embedding(weight: weights?[0] ?? .normal(shape: [n + 1, d], std: 1 / Float(d), using: &rng))
      users = Embedding(
        weight: weights?[1] ?? .normal(shape: [max(m, 1), d], std: 1 / Float(d), using: &rng))
      verticalConv = VerticalConvolution(length: c.length, filters: c.vertical, using: &rng)
      horizontalConvs = (1...c.length).map {
        HorizontalConvolution(height: $0, dim: d, filters: c.horizontal, using: &rng)
      }
      convActivations = (1...c.length).map { _ in ReLU() }
      pools = (1...c.length).map { _ in MaxPoolOverTime() }
      let fcIn = c.vertical * d + c.horizontal * c.length
      let a = 1 / Float(fcIn).squareRoot()
      fc = Linear(
        weight: .uniform(shape: [d, fcIn], low: -a, high: a, using: &rng),
        bias: .uniform(shape: [d], low: -a, high: a, using: &rng))
      if let weights, weights.count >= 2 {
        outWeight = Embedding(weight: weights[weights.count - 2])
        outBias = Embedding(weight: weights[weights.count - 1])
      } else {
        outWeight = Embedding(weight: .normal(shape: [n, 2 * d], std: 1 / Float(2 * d), using: &rng))
        outBias = Embedding(weight: Tensor(shape: [n, 1]))
      }
      parameters =
        items.parameters + users.parameters + verticalConv.parameters + horizontalConvs.flatMap(\.parameters)
        + fc.parameters + outWeight.parameters + outBias.parameters
      if let weights {
        precondition(weights.count == parameters.count)
        for (p, w) in zip(parameters, weights) where p.value.shape == w.shape { p.value = w }
      }
    }

    /// The sequence-and-user representation `x: (rows, 2 dim)` of rows of L items; a nil user
    /// has the mean user embedding. With `dropout`, training mode (caches for `backward`).
    func features(_ seqs: [[Int]], users us: [Int?], dropout: Dropout?) -> Tensor {
      let B = seqs.count
      let e = items.forward(seqs.flatMap { $0 }).reshaped([B, L, dim])
      var parts = [verticalConv.forward(e).reshaped([B, verticalConv.filters * dim])]
      for h in 0..<L {
        parts.append(pools[h].forward(convActivations[h].forward(horizontalConvs[h].forward(e))))
      }
      var o = convConcat.forward(parts)
      if let dropout { o = dropout.forward(o) }
      let z = fcActivation.forward(fc.forward(o))
      userRows = us.map { $0 ?? -1 }
      var u = users.forward(us.map { $0 ?? 0 })
      if us.contains(where: { $0 == nil }) {
        // No user (a cold one, a history): the mean user embedding, the "average user".
        let table = users.weight.value.scalars
        let count = users.count
        var mean = [Float](repeating: 0, count: dim)
        for r in 0..<count {
          for j in 0..<dim { mean[j] += table[r * dim + j] }
        }
        for j in 0..<dim { mean[j] /= Float(max(count, 1)) }
        for (r, user) in us.enumerated() where user == nil {
          for j in 0..<dim { u.scalars[r * dim + j] = mean[j] }
        }
      }
      return userConcat.forward([z, u])
    }

    /// Zeroes the gradients, runs forward and backward on a batch of windows with their
    /// negatives (`negatives[b]`: `targets.count * k` items, -1 for none), returns the loss.
    func step(_ ws: [Window], negatives: [[Int]], dropout: Dropout) -> Float {
      for p in parameters { p.zeroGrad() }
      let B = ws.count
      let x = features(ws.map(\.inputs), users: ws.map(\.user), dropout: dropout)
      let D = 2 * dim
      // Candidates per row: the valid targets, then the valid negatives.
      var cand: [Int] = []
      var row: [Int] = []
      var isPositive: [Bool] = []
      for (b, w) in ws.enumerated() {
        for t in w.targets where t >= 0 {
          cand.append(t)
          row.append(b)
          isPositive.append(true)
        }
        for t in negatives[b] where t >= 0 {
          cand.append(t)
          row.append(b)
          isPositive.append(false)
        }
      }
      let wRows = outWeight.forward(cand).scalars
      let bRows = outBias.forward(cand).scalars
      var logits = [Float](repeating: 0, count: cand.count)
      for k in cand.indices {
        var s = bRows[k]
        for j in 0..<D { s += x.scalars[row[k] * D + j] * wRows[k * D + j] }
        logits[k] = s
      }
      let pos = cand.indices.filter { isPositive[$0] }
      let neg = cand.indices.filter { !isPositive[$0] }
      let (lp, dp) = Loss.binaryCrossEntropyWithLogits(
        logits: Tensor(shape: [pos.count], scalars: pos.map { logits[$0] }),
        targets: Tensor(shape: [pos.count], repeating: 1))
      let (ln, dn) = Loss.binaryCrossEntropyWithLogits(
        logits: Tensor(shape: [neg.count], scalars: neg.map { logits[$0] }),
        targets: Tensor(shape: [neg.count], repeating: 0))
      var dLogits = [Float](repeating: 0, count: cand.count)
      for (j, k) in pos.enumerated() { dLogits[k] = dp.scalars[j] }
      for (j, k) in neg.enumerated() { dLogits[k] = dn.scalars[j] }
      // Output layer: dW2[cand k] = dl_k x_row, db2 = dl_k, dx_row += dl_k W2[cand k].
      var dW = [Float](repeating: 0, count: cand.count * D)
      var dx = [Float](repeating: 0, count: B * D)
      for k in cand.indices {
        let g = dLogits[k]
        let r = row[k]
        for j in 0..<D {
          dW[k * D + j] = g * x.scalars[r * D + j]
          dx[r * D + j] += g * wRows[k * D + j]
        }
      }
      outWeight.backward(Tensor(shape: [cand.count, D], scalars: dW))
      outBias.backward(Tensor(shape: [cand.count, 1], scalars: dLogits))
      backward(Tensor(shape: [B, D], scalars: dx), dropout: dropout)
      return lp + ln
    }

    /// Backward from `dx: (rows, 2 dim)` through the representation (after `features`).
    private func backward(_ dx: Tensor, dropout: Dropout) {
      let B = dx.rows
      let dParts = userConcat.backward(dx)
      var du = dParts[1]
      for (r, user) in userRows.enumerated() where user < 0 {
        for j in 0..<dim { du.scalars[r * dim + j] = 0 }
      }
      users.backward(du)
      let dO = dropout.backward(fc.backward(fcActivation.backward(dParts[0])))
      let dConv = convConcat.backward(dO)
      var de = verticalConv.backward(dConv[0].reshaped([B, verticalConv.filters, dim]))
      for h in 0..<L {
        let d = horizontalConvs[h].backward(convActivations[h].backward(pools[h].backward(dConv[h + 1])))
        for i in 0..<de.count { de.scalars[i] += d.scalars[i] }
      }
      items.backward(de.reshaped([B * L, dim]))
    }
  }
}

extension CaserModel {
  public static let type = ModelType(
    name: "caser", family: "sequence", paper: "Tang and Wang, WSDM 2018",
    summary: "convolutions over the embeddings of a user's last L items, plus the user, score the next items",
    iterative: true,
    options: [
      ModelOption("length", .int(min: 1, max: 50), default: "5", "L: the last items the model reads"),
      ModelOption("targets", .int(min: 1, max: 50), default: "3", "T: next items trained per window"),
      ModelOption(
        "horizontal", .int(min: 1, max: 1024), default: "16", "horizontal filters per height 1...L"),
      ModelOption("vertical", .int(min: 1, max: 1024), default: "4", "vertical filters"),
      ModelOption("dim", .int(min: 1, max: 4096), default: "50", "embedding and hidden size"),
      ModelOption("dropout", .double(min: 0, max: 0.95), default: "0.5", "dropout before the hidden layer"),
      ModelOption("negatives", .int(min: 1, max: 1000), default: "3", "negatives per target"),
      ModelOption("epochs", .int(min: 0, max: 100_000), default: "30", "passes over the windows"),
      ModelOption("learning-rate", .double(min: 1e-7, max: 10), default: "0.001", "Adam step size"),
      ModelOption("l2", .double(min: 0, max: 10), default: "0.000001", "L2 weight decay"),
      ModelOption("batch", .int(min: 1, max: 1_000_000), default: "512", "windows per mini-batch"),
      ModelCatalog.seedOption,
    ],
    coldStart: "yes: the last L items of a history given at request time, with the mean user",
    speed: "about 8 CPU s per epoch on ml-100k (92k windows), 30 epochs",
    make: { o throws(ModelError) in
      CaserModel(
        length: o.int("length", 5), targets: o.int("targets", 3), horizontal: o.int("horizontal", 16),
        vertical: o.int("vertical", 4), dim: o.int("dim", 50), dropout: Float(o.double("dropout", 0.5)),
        negatives: o.int("negatives", 3), epochs: o.int("epochs", 30),
        learningRate: Float(o.double("learning-rate", 1e-3)), l2: Float(o.double("l2", 1e-6)),
        batch: o.int("batch", 512), seed: o.modelSeed)
    })
}
