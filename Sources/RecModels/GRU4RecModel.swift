import RecData
import RecEval
import RecNN

/// GRU4Rec (Hidasi, Karatzoglou, Baltrunas and Tikk, "Session-based recommendations with
/// recurrent neural networks", ICLR 2016), with the sampled ranking losses of Hidasi and
/// Karatzoglou, "Recurrent neural networks with top-k gains for session-based
/// recommendations", CIKM 2018.
///
/// Each user's chronological training sequence is one session. The network reads item
/// embeddings `(items + 1, embedding)` (the last row is padding) through `layers` stacked GRUs
/// (`hidden` units) and scores every item from the hidden state with an output layer
/// `(items, hidden)` plus bias. Dropout (`dropout`) is applied to the embeddings and to the
/// hidden states before the output layer. At every position `t` the target is the next item:
///
/// - `softmax`: cross-entropy over all items (the fused `Loss.linearSoftmaxCrossEntropy` head);
/// - `sampled`: cross-entropy over the target and `negatives` items shared by the batch, drawn
///   in proportion to `popularity^0.75`;
/// - `bpr-max` / `top1-max`: the CIKM 2018 losses over the same shared negatives
///   (`Loss.bprMax` with score regularisation 1, `Loss.top1Max`).
///
/// A negative equal to a row's target is masked out of that row. Training: Adam (lazy rows for
/// the item embeddings), mini-batches of `batch` users of similar length (users sorted by length,
/// cut into batches, batch order shuffled each epoch), the whole sequence per user (or its last
/// `maxLength + 1` items). Scoring runs the user's sequence (its last `maxLength` items) through
/// the GRU and takes one product with the output layer; all users at once is one sgemm.
///
/// Weights are stored as value arrays (not the layers' classes), so the copies `EpochTrainer`
/// keeps are real snapshots and scoring is safe from several threads.
public struct GRU4RecModel: Recommender, HistoryScorer, Codable {
  /// The training objective (`loss=`).
  public enum Objective: String, CaseIterable, Sendable, Codable {
    case softmax
    case sampled
    case bprMax = "bpr-max"
    case top1Max = "top1-max"
  }

  public var embeddingDim: Int
  public var hiddenDim: Int
  public var layers: Int
  public var dropout: Float
  /// Items of history the model reads (0: the whole sequence).
  public var maxLength: Int
  public var objective: Objective
  /// Shared negatives per batch for the sampled objectives.
  public var negatives: Int
  /// Users per mini-batch.
  public var batchUsers: Int
  public var epochs: Int
  public var learningRate: Float
  public var seed: UInt64

  /// One GRU layer's weights, in `RecNN.GRU`'s layout.
  struct LayerWeights: Sendable, Codable {
    var weightIH: Tensor
    var weightHH: Tensor
    var biasIH: Tensor
    var biasHH: Tensor
  }

  public private(set) var itemCount = 0
  /// `(items + 1, embeddingDim)`; row `itemCount` is the padding row (zeros).
  private(set) var itemEmbedding: [Float] = []
  private(set) var gru: [LayerWeights] = []
  /// `(items, hiddenDim)` and `(items)`.
  private(set) var outputWeight: [Float] = []
  private(set) var outputBias: [Float] = []
  /// Each training user's chronological items.
  private(set) var sequences: [[Int32]] = []

  public init(
    embeddingDim: Int = 64, hiddenDim: Int = 64, layers: Int = 1, dropout: Float = 0.25, maxLength: Int = 0,
    objective: Objective = .softmax, negatives: Int = 128, batchUsers: Int = 32, epochs: Int = 18,
    learningRate: Float = 0.003, seed: UInt64 = 42
  ) {
    self.embeddingDim = embeddingDim
    self.hiddenDim = hiddenDim
    self.layers = layers
    self.dropout = dropout
    self.maxLength = maxLength
    self.objective = objective
    self.negatives = negatives
    self.batchUsers = batchUsers
    self.epochs = epochs
    self.learningRate = learningRate
    self.seed = seed
  }

  public var name: String { "gru4rec" }

  // MARK: - Fit

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    let seqs = try UserSequences.chronological(data, model: "gru4rec")
    let n = data.itemCount
    guard n > 0 else { throw ModelError("gru4rec needs at least one item") }
    let (E, H) = (embeddingDim, hiddenDim)
    var rng = SeededGenerator(seed: seed)
    // PyTorch's defaults, as the reference implementation: N(0, 1) embeddings, U(+-1/sqrt(H))
    // for the GRU and the output layer.
    var table = Tensor.normal(shape: [n + 1, E], std: 1, using: &rng)
    for j in 0..<E { table.scalars[n * E + j] = 0 }
    let emb = Embedding(weight: table, paddingIndex: n)
    let grus = (0..<layers).map { l in GRU(inputs: l == 0 ? E : H, hidden: H, using: &rng) }
    let a = 1 / Float(H).squareRoot()
    let head = Linear(
      weight: .uniform(shape: [n, H], low: -a, high: a, using: &rng),
      bias: .uniform(shape: [n], low: -a, high: a, using: &rng))
    let net = Network(
      items: n, embedding: emb, grus: grus, head: head, dropIn: Dropout(p: dropout, seed: rng.next()),
      dropOut: Dropout(p: dropout, seed: rng.next()))
    itemCount = n
    sequences = seqs
    capture(net)

    // Training sequences: the last maxLength + 1 items (inputs and their next items).
    let train = seqs.map { Array(UserSequences.suffix($0, maxLength: maxLength > 0 ? maxLength + 1 : 0)) }
      .filter { $0.count >= 2 }
    let examples = train.reduce(0) { $0 + $1.count - 1 }
    var counts = [Int](repeating: 0, count: n)
    for i in data.item { counts[Int(i)] += 1 }
    let sampler = NegativeSampler(
      itemCount: n, positives: [], itemCounts: counts, distribution: .popularity(alpha: 0.75))
    let adam = Adam(learningRate: learningRate)
    let (batchUsers, objective, negatives) = (batchUsers, objective, negatives)
    var order = SeededGenerator(seed: seed, stream: 0x6772_7534)
    return EpochTrainer.run(
      &self, epochs: context.epochs ?? epochs, examplesPerEpoch: examples, context: context
    ) { model, _, reporter in
      var total = 0.0
      var done = 0
      for batch in Self.lengthBuckets(train, size: batchUsers, using: &order) {
        let negs: [Int] =
          objective == .softmax
          ? [] : (0..<negatives).map { _ in sampler.sample(for: 0, using: &order) ?? 0 }
        let (loss, rows) = net.step(batch.map { train[$0] }, objective: objective, negatives: negs)
        adam.step(net.parameters)
        total += Double(loss) * Double(rows)
        done += rows
        if !reporter.report(done: done, loss: done > 0 ? total / Double(done) : 0) { return nil }
      }
      model.capture(net)
      return done > 0 ? total / Double(done) : 0
    }
  }

  /// Batches of `size` users of similar length: users sorted by length (stable), cut in order,
  /// the batch order shuffled (the reference implementation's bucketing: little padding).
  static func lengthBuckets(_ seqs: [[Int32]], size: Int, using rng: inout SeededGenerator) -> [[Int]] {
    let sorted = seqs.indices.sorted { (seqs[$0].count, $0) < (seqs[$1].count, $1) }
    var batches = stride(from: 0, to: sorted.count, by: size).map {
      Array(sorted[$0..<min($0 + size, sorted.count)])
    }
    rng.shuffle(&batches)
    return batches
  }

  /// Copies the trained weights out of the layers into this value.
  private mutating func capture(_ net: Network) {
    itemEmbedding = net.embedding.weight.value.scalars
    gru = net.grus.map {
      LayerWeights(
        weightIH: $0.weightIH.value, weightHH: $0.weightHH.value, biasIH: $0.biasIH.value,
        biasHH: $0.biasHH.value)
    }
    outputWeight = net.head.weight.value.scalars
    outputBias = net.head.bias?.value.scalars ?? [Float](repeating: 0, count: itemCount)
  }

  // MARK: - Scoring

  /// The last hidden state of the top GRU layer after each sequence: `(sequences.count, hidden)`.
  /// Builds its own layers from the stored weights, so concurrent calls share nothing mutable.
  func finalStates(_ seqs: [ArraySlice<Int32>]) -> [Float] {
    let (B, E, H) = (seqs.count, embeddingDim, hiddenDim)
    let T = seqs.map(\.count).max() ?? 0
    guard B > 0, T > 0, !gru.isEmpty else { return [Float](repeating: 0, count: B * H) }
    var idx = [Int](repeating: itemCount, count: B * T)
    for (b, s) in seqs.enumerated() {
      for (t, i) in s.enumerated() { idx[b * T + t] = Int(i) }
    }
    var x = [Float](repeating: 0, count: B * T * E)
    Kernels.gatherRows(table: itemEmbedding, dim: E, indices: idx, into: &x)
    var h = Tensor(shape: [B, T, E], scalars: x)
    var last = Tensor(shape: [B, H])
    let lengths = seqs.map(\.count)
    for w in gru {
      let layer = GRU(weightIH: w.weightIH, weightHH: w.weightHH, biasIH: w.biasIH, biasHH: w.biasHH)
      (h, last) = layer.forward(h, lengths: lengths)
    }
    return last.scalars
  }

  /// Scores for the hidden states `states: (rows, hidden)` into `scores: (rows, width)`:
  /// bias rows, then one sgemm against the output layer; `-infinity` beyond the model's items.
  func scores(states: [Float], rows: Int, width: Int, into scores: inout [Float]) {
    let n = min(itemCount, width)
    for r in 0..<rows {
      for i in 0..<n { scores[r * width + i] = outputBias[i] }
      for i in n..<width { scores[r * width + i] = -.infinity }
    }
    guard n > 0 else { return }
    Kernels.gemm(
      transA: false, transB: true, m: rows, n: n, k: hiddenDim, a: states, b: outputWeight, ldb: hiddenDim,
      beta: 1, c: &scores, ldc: width)
  }

  private func history(of user: Int) -> ArraySlice<Int32> {
    user >= 0 && user < sequences.count ? UserSequences.suffix(sequences[user], maxLength: maxLength) : []
  }

  public func score(user: Int, into scores: inout [Float]) {
    self.scores(states: finalStates([history(of: user)]), rows: 1, width: scores.count, into: &scores)
  }

  /// All of `users` through the GRU as one batch, then one sgemm against the output layer.
  public func score(users: [Int], itemCount width: Int, into scores: inout [Float]) {
    guard !users.isEmpty else { return }
    precondition(scores.count >= users.count * width)
    let states = finalStates(users.map(history(of:)))
    self.scores(states: states, rows: users.count, width: width, into: &scores)
  }

  /// Scores the next item after `history` (oldest first); an empty history gives the output
  /// layer's bias. Items outside the catalogue are skipped (the caller rejects them).
  public func score(history: [Int], into scores: inout [Float]) {
    let known = UserSequences.known(history, itemCount: itemCount)
    let h = UserSequences.suffix(known, maxLength: maxLength)
    self.scores(states: finalStates([h]), rows: 1, width: scores.count, into: &scores)
  }

  /// Items whose output vectors have the highest cosine with `item`'s.
  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    guard item >= 0 && item < itemCount else { return nil }
    let H = hiddenDim
    let q = Array(outputWeight[(item * H)..<((item + 1) * H)])
    var dots = [Float](repeating: 0, count: itemCount)
    Kernels.scoreRows(table: outputWeight, rows: itemCount, dim: H, query: q, into: &dots)
    let norms = (0..<itemCount).map { i in
      (0..<H).reduce(Float(0)) { $0 + outputWeight[i * H + $1] * outputWeight[i * H + $1] }.squareRoot()
    }
    for i in 0..<itemCount { dots[i] /= max(norms[item], 1e-12) * max(norms[i], 1e-12) }
    return TopK.select(dots, k: count, excluding: [Int32(item)]).map {
      ScoredItem(item: Int($0), score: dots[Int($0)])
    }
  }
}

extension GRU4RecModel {
  /// The layers of one fit and the forward/backward pass of a batch.
  final class Network {
    let items: Int
    let embedding: Embedding
    let grus: [GRU]
    let head: Linear
    let dropIn: Dropout
    let dropOut: Dropout
    let parameters: [Parameter]

    init(items: Int, embedding: Embedding, grus: [GRU], head: Linear, dropIn: Dropout, dropOut: Dropout) {
      self.items = items
      self.embedding = embedding
      self.grus = grus
      self.head = head
      self.dropIn = dropIn
      self.dropOut = dropOut
      parameters = embedding.parameters + grus.flatMap(\.parameters) + head.parameters
    }

    /// Zeroes the gradients, runs forward and backward on `batch` (each sequence at least two
    /// items: inputs `s[0..<n-1]`, targets `s[1...]`), leaving the gradients in the parameters.
    /// Returns the mean loss and the number of predicted positions.
    func step(_ batch: [[Int32]], objective: Objective, negatives: [Int]) -> (Float, Int) {
      let B = batch.count
      let lengths = batch.map { $0.count - 1 }
      let T = lengths.max() ?? 0
      let (E, H) = (embedding.dim, grus.last?.hidden ?? 0)
      var idx = [Int](repeating: items, count: B * T)
      var targets: [Int] = []
      var positions: [Int] = []
      for (b, s) in batch.enumerated() {
        for t in 0..<(s.count - 1) {
          idx[b * T + t] = Int(s[t])
          targets.append(Int(s[t + 1]))
          positions.append(b * T + t)
        }
      }
      for p in parameters { p.zeroGrad() }
      var h = dropIn.forward(embedding.forward(idx).reshaped([B, T, E]))
      for g in grus { h = g.forward(h, lengths: lengths).outputs }
      // Only the valid positions go through dropout and the output layer.
      let m = positions.count
      var rows = [Float](repeating: 0, count: m * H)
      h.scalars.withUnsafeBufferPointer { hs in
        for (r, p) in positions.enumerated() {
          for j in 0..<H { rows[r * H + j] = hs[p * H + j] }
        }
      }
      let x = dropOut.forward(Tensor(shape: [m, H], scalars: rows))
      let (loss, dx): (Float, Tensor)
      if objective == .softmax {
        (loss, dx) = Loss.linearSoftmaxCrossEntropy(head, input: x, targets: targets)
      } else {
        (loss, dx) = sampledHead(x, targets: targets, negatives: negatives, objective: objective)
      }
      let dRows = dropOut.backward(dx).scalars
      var dh = [Float](repeating: 0, count: B * T * H)
      for (r, p) in positions.enumerated() {
        for j in 0..<H { dh[p * H + j] = dRows[r * H + j] }
      }
      var d = Tensor(shape: [B, T, H], scalars: dh)
      for g in grus.reversed() { d = g.backward(dOutputs: d, dLast: nil) }
      embedding.backward(dropIn.backward(d).reshaped([B * T, E]))
      return (loss, m)
    }

    /// The output layer restricted to each row's target and the shared `negatives`, the sampled
    /// objective on those logits, and the backward pass into `head`'s gradients.
    /// Shapes: `x: (rows, hidden)`; returns `dx: (rows, hidden)`.
    func sampledHead(_ x: Tensor, targets: [Int], negatives negs: [Int], objective: Objective) -> (
      Float, Tensor
    ) {
      let (m, H, S) = (x.rows, x.columns, negs.count)
      let w = head.weight.value.scalars
      let bias = head.bias?.value.scalars ?? [Float](repeating: 0, count: items)
      var wTarget = [Float](repeating: 0, count: m * H)
      Kernels.gatherRows(table: w, dim: H, indices: targets, into: &wTarget)
      var wNeg = [Float](repeating: 0, count: S * H)
      Kernels.gatherRows(table: w, dim: H, indices: negs, into: &wNeg)
      var pos = [Float](repeating: 0, count: m)
      for r in 0..<m {
        var s = bias[targets[r]]
        for j in 0..<H { s += x.scalars[r * H + j] * wTarget[r * H + j] }
        pos[r] = s
      }
      var neg = [Float](repeating: 0, count: m * S)
      for r in 0..<m {
        for k in 0..<S { neg[r * S + k] = bias[negs[k]] }
      }
      Kernels.gemm(transA: false, transB: true, m: m, n: S, k: H, a: x.scalars, b: wNeg, beta: 1, c: &neg)
      var mask = [Float](repeating: 1, count: m * S)
      for r in 0..<m {
        for k in 0..<S where negs[k] == targets[r] { mask[r * S + k] = 0 }
      }
      var dPos: [Float]
      var dNeg: [Float]
      let loss: Float
      switch objective {
      case .sampled:
        // Column 0: the target; masked negatives get a logit that contributes exp(...) = 0.
        var logits = [Float](repeating: 0, count: m * (S + 1))
        for r in 0..<m {
          logits[r * (S + 1)] = pos[r]
          for k in 0..<S { logits[r * (S + 1) + 1 + k] = mask[r * S + k] == 0 ? -1e30 : neg[r * S + k] }
        }
        let (l, d) = Loss.softmaxCrossEntropy(
          logits: Tensor(shape: [m, S + 1], scalars: logits), targets: [Int](repeating: 0, count: m))
        loss = l
        dPos = (0..<m).map { d.scalars[$0 * (S + 1)] }
        dNeg = [Float](repeating: 0, count: m * S)
        for r in 0..<m {
          for k in 0..<S { dNeg[r * S + k] = d.scalars[r * (S + 1) + 1 + k] }
        }
      case .bprMax, .top1Max:
        let p = Tensor(shape: [m], scalars: pos)
        let q = Tensor(shape: [m, S], scalars: neg)
        let r =
          objective == .bprMax
          ? Loss.bprMax(positive: p, negatives: q, mask: mask)
          : Loss.top1Max(positive: p, negatives: q, mask: mask)
        loss = r.loss
        dPos = r.dPositive.scalars
        dNeg = r.dNegatives.scalars
      case .softmax:
        preconditionFailure("the full softmax uses the fused head")
      }
      // dx = dPos * w_target + dNeg W_neg.
      var dx = [Float](repeating: 0, count: m * H)
      for r in 0..<m {
        for j in 0..<H { dx[r * H + j] = dPos[r] * wTarget[r * H + j] }
      }
      Kernels.gemm(transA: false, transB: false, m: m, n: H, k: S, a: dNeg, b: wNeg, beta: 1, c: &dx)
      // Weight gradients: rows of the targets and of the negatives.
      var dWNeg = [Float](repeating: 0, count: S * H)
      Kernels.gemm(transA: true, transB: false, m: S, n: H, k: m, a: dNeg, b: x.scalars, beta: 0, c: &dWNeg)
      var dW = head.weight.grad.scalars
      head.weight.grad.scalars = []
      for r in 0..<m {
        let t = targets[r]
        for j in 0..<H { dW[t * H + j] += dPos[r] * x.scalars[r * H + j] }
      }
      for k in 0..<S {
        for j in 0..<H { dW[negs[k] * H + j] += dWNeg[k * H + j] }
      }
      head.weight.grad.scalars = dW
      if let b = head.bias {
        var db = b.grad.scalars
        for r in 0..<m { db[targets[r]] += dPos[r] }
        for r in 0..<m {
          for k in 0..<S { db[negs[k]] += dNeg[r * S + k] }
        }
        b.grad.scalars = db
      }
      return (loss, Tensor(shape: [m, H], scalars: dx))
    }
  }
}

extension GRU4RecModel {
  public static let type = ModelType(
    name: "gru4rec", family: "sequence",
    paper: "Hidasi et al., ICLR 2016; Hidasi and Karatzoglou, CIKM 2018",
    summary: "a GRU over each user's chronological history that scores the next item",
    iterative: true,
    options: [
      ModelOption("embedding", .int(min: 1, max: 4096), default: "64", "item embedding size"),
      ModelOption("hidden", .int(min: 1, max: 4096), default: "64", "GRU hidden units"),
      ModelOption("layers", .int(min: 1, max: 8), default: "1", "stacked GRU layers"),
      ModelOption("dropout", .double(min: 0, max: 0.95), default: "0.25", "dropout on embeddings and states"),
      ModelOption(
        "max-length", .int(min: 0, max: 1_000_000), default: "0", "items of history read (0: all)"),
      ModelOption(
        "loss", .choice(Objective.allCases.map(\.rawValue)), default: "softmax",
        "softmax over all items, or over sampled negatives (sampled, bpr-max, top1-max)"),
      ModelOption(
        "negatives", .int(min: 1, max: 100_000), default: "128", "shared negatives per batch (sampled losses)"
      ),
      ModelOption("batch", .int(min: 1, max: 1_000_000), default: "32", "users per mini-batch"),
      ModelOption("epochs", .int(min: 0, max: 100_000), default: "18", "passes over the sequences"),
      ModelOption("learning-rate", .double(min: 1e-7, max: 10), default: "0.003", "Adam step size"),
      ModelCatalog.seedOption,
    ],
    coldStart: "yes for a history given at request time; a user without one gets the output bias",
    speed: "about 3.7 CPU s per epoch on ml-100k (full softmax), 18 epochs",
    make: { o throws(ModelError) in
      GRU4RecModel(
        embeddingDim: o.int("embedding", 64), hiddenDim: o.int("hidden", 64), layers: o.int("layers", 1),
        dropout: Float(o.double("dropout", 0.25)), maxLength: o.int("max-length", 0),
        objective: Objective(rawValue: o.text("loss", "softmax")) ?? .softmax,
        negatives: o.int("negatives", 128), batchUsers: o.int("batch", 32), epochs: o.int("epochs", 18),
        learningRate: Float(o.double("learning-rate", 0.003)), seed: o.modelSeed)
    })
}
