import RecData
import RecEval
import RecNN

/// The training hyperparameters shared by GMF, MLP and NeuMF.
public struct NCFTraining: Sendable, Equatable, Codable {
  public enum Method: String, Sendable, Equatable, Codable {
    /// Adam (Kingma and Ba 2015), lazy on embedding rows: what the NCF code uses from scratch.
    case adam
    /// Plain SGD: what the paper uses to fine-tune a NeuMF initialised from pretrained models.
    case sgd
  }
  public var epochs = 20
  public var batchSize = 256
  public var learningRate: Float = 0.001
  /// Coupled L2 penalty: `l2 * p` added to the gradient of every touched parameter.
  public var l2: Float = 0
  /// Sampled negatives per positive, resampled every epoch.
  public var negatives = 4
  public var method = Method.adam
  public var seed: UInt64 = 42
  public init() {}
}

/// One fit of an ``NCFNetwork``: log loss over each positive and `negatives` uniformly sampled
/// non-positives (He et al. 2017, eq. 7), resampled and shuffled every epoch, minibatch Adam or SGD.
///
/// Why a fused step instead of RecNN's layers: RecNN's generic layers allocate a tensor per
/// layer output and gradient and run the optimizer over parameter objects; at NeuMF's shapes
/// (batch 256, widths 64/32/16/8) that overhead dominated (about 0.8 ms a step). Here one pass
/// gathers the embeddings, runs every product as an sgemm on buffers allocated once
/// (`Kernels.gemm` with offsets into the flat `dense` array, the first layer split into its
/// user and item halves so the concatenation is never built), computes the BCE gradient,
/// backpropagates, and applies Adam to the dense parameters in one fused call and to only the
/// touched embedding rows (`Kernels.adamUpdateRows`, PyTorch's SparseAdam / TF's LazyAdam).
/// All work runs on the calling thread, so results are the same for any thread count.
///
/// Shapes (B = batch): `gu, gi: (B, factors)`, `xu, xi: (B, half)`, `z[l], a[l]: (B, layers[l+1])`.
final class NCFTrainer {
  let training: NCFTraining
  let f: Int
  let h: Int
  let layers: [Int]
  let maxBatch: Int
  // The batch.
  var bu: [Int] = []
  var bi: [Int] = []
  var by: [Float] = []
  var bw: [Float] = []
  // Activations and their gradients.
  var gu: [Float]
  var gi: [Float]
  var xu: [Float]
  var xi: [Float]
  var z: [[Float]]
  var a: [[Float]]
  var dz: [[Float]]
  var da: [[Float]]
  var dxu: [Float]
  var dxi: [Float]
  var logit: [Float]
  var dLogit: [Float]
  // GMF: `g = gu (*) gi`, `outer = dLogit h_G^T`, and the gradients of `gu` and `gi`: (B, factors).
  var g: [Float]
  var outer: [Float]
  var dgu: [Float]
  var dgi: [Float]
  // Parameter gradients (tables are row-sparse: only touched rows are non-zero).
  var dGmfUser: [Float]
  var dGmfItem: [Float]
  var dMlpUser: [Float]
  var dMlpItem: [Float]
  var dDense: [Float]
  var touchedUser: [Bool]
  var touchedItem: [Bool]
  var userRows: [Int] = []
  var itemRows: [Int] = []
  // Adam moments (same layout as the parameters) and the step count.
  var m: [[Float]]
  var v: [[Float]]
  var step = 0

  init(network net: NCFNetwork, training: NCFTraining) {
    self.training = training
    f = net.factors
    h = net.half
    layers = net.layers
    let b = max(training.batchSize, 1)
    maxBatch = b
    gu = [Float](repeating: 0, count: b * f)
    gi = gu
    xu = [Float](repeating: 0, count: b * h)
    xi = xu
    let widths = layers.dropFirst().map { $0 * b }
    z = widths.map { [Float](repeating: 0, count: $0) }
    a = z
    dz = z
    da = z
    dxu = xu
    dxi = xu
    dLogit = [Float](repeating: 0, count: b)
    logit = dLogit
    g = gu
    outer = gu
    dgu = gu
    dgi = gu
    dGmfUser = [Float](repeating: 0, count: net.gmfUser.count)
    dGmfItem = [Float](repeating: 0, count: net.gmfItem.count)
    dMlpUser = [Float](repeating: 0, count: net.mlpUser.count)
    dMlpItem = [Float](repeating: 0, count: net.mlpItem.count)
    dDense = [Float](repeating: 0, count: net.dense.count)
    touchedUser = [Bool](repeating: false, count: net.users)
    touchedItem = [Bool](repeating: false, count: net.items)
    let sizes = [net.gmfUser.count, net.gmfItem.count, net.mlpUser.count, net.mlpItem.count, net.dense.count]
    m = sizes.map { [Float](repeating: 0, count: $0) }
    v = m
  }

  /// Forward and backward over the current batch (`bu, bi, by, bw`); accumulates the gradients
  /// of `sum_b w_b l_b / B` (`l_b` the BCE of logit b) and returns that loss in Double.
  func forwardBackward(_ net: NCFNetwork) -> Double {
    let B = bu.count
    precondition(B <= maxBatch && bi.count == B && by.count == B && bw.count == B)
    guard B > 0 else { return 0 }
    let L = layers.count - 1  // hidden layers (-1 without an MLP branch)
    let outO = net.outOffset
    let d = net.dense
    // Forward.
    if f > 0 {
      Kernels.gatherRows(table: net.gmfUser, dim: f, indices: bu, into: &gu)
      Kernels.gatherRows(table: net.gmfItem, dim: f, indices: bi, into: &gi)
    }
    if L > 0 {
      Kernels.gatherRows(table: net.mlpUser, dim: h, indices: bu, into: &xu)
      Kernels.gatherRows(table: net.mlpItem, dim: h, indices: bi, into: &xi)
      for l in 0..<L {
        let (nIn, nOut) = (layers[l], layers[l + 1])
        Kernels.fillRows(&z[l], rows: B, with: Array(d[net.biasOffsets[l]..<(net.biasOffsets[l] + nOut)]))
        if l == 0 {
          Kernels.gemm(
            transA: false, transB: true, m: B, n: nOut, k: h, a: xu, b: d, bOffset: net.weightOffsets[0],
            ldb: nIn, beta: 1, c: &z[0])
          Kernels.gemm(
            transA: false, transB: true, m: B, n: nOut, k: h, a: xi, b: d, bOffset: net.weightOffsets[0] + h,
            ldb: nIn, beta: 1, c: &z[0])
        } else {
          Kernels.gemm(
            transA: false, transB: true, m: B, n: nOut, k: nIn, a: a[l - 1], b: d,
            bOffset: net.weightOffsets[l],
            beta: 1, c: &z[l])
        }
        Kernels.relu(z[l], into: &a[l], count: B * nOut)
      }
    }
    // Logits `s = c + h_G . (gu (*) gi) + h_M . a_L`, each term one sgemm with n = 1.
    let nL = L > 0 ? layers[L] : 0
    let BF = B * f
    Kernels.fillRows(&logit, rows: B, with: [d[net.outBiasOffset]])
    if f > 0 {
      Kernels.multiply(gu, gi, into: &g, count: BF)
      Kernels.gemm(
        transA: false, transB: true, m: B, n: 1, k: f, a: g, b: d, bOffset: outO, beta: 1, c: &logit)
    }
    if L > 0 {
      Kernels.gemm(
        transA: false, transB: true, m: B, n: 1, k: nL, a: a[L - 1], b: d, bOffset: outO + f, beta: 1,
        c: &logit)
    }
    // The weighted log loss and dLoss/dLogit (B scalars; the buffers are moved into locals first:
    // element access through a class property pays a dynamic exclusivity check each time).
    let (logit, by, bw) = (self.logit, self.by, self.bw)
    var dLogit = self.dLogit
    self.dLogit = []
    var total = 0.0
    var dc: Float = 0
    let invB = 1 / Float(B)
    for b in 0..<B {
      let (s, y, w) = (logit[b], by[b], bw[b])
      total += Double(w) * (Double(max(s, 0)) - Double(s) * Double(y) + log1p(exp(-Double(abs(s)))))
      dLogit[b] = w * (sigmoid(s) - y) * invB
      dc += dLogit[b]
    }
    self.dLogit = dLogit
    dDense[net.outBiasOffset] += dc
    // The prediction layer's gradients: dh = dLogit^T [g ; a_L]; dg = dLogit h_G^T, so
    // dgu = dg (*) gi and dgi = dg (*) gu; da_L = dLogit h_M^T.
    if f > 0 {
      Kernels.gemm(
        transA: true, transB: false, m: 1, n: f, k: B, a: dLogit, b: g, beta: 1, c: &dDense, cOffset: outO)
      Kernels.gemm(
        transA: false, transB: false, m: B, n: f, k: 1, a: dLogit, b: d, bOffset: outO, beta: 0, c: &outer)
      Kernels.multiply(outer, gi, into: &dgu, count: BF)
      Kernels.multiply(outer, gu, into: &dgi, count: BF)
      Kernels.scatterAddRows(dgu, dim: f, indices: bu, skip: nil, into: &dGmfUser)
      Kernels.scatterAddRows(dgi, dim: f, indices: bi, skip: nil, into: &dGmfItem)
    }
    if L > 0 {
      Kernels.gemm(
        transA: true, transB: false, m: 1, n: nL, k: B, a: dLogit, b: a[L - 1], beta: 1, c: &dDense,
        cOffset: outO + f)
      Kernels.gemm(
        transA: false, transB: false, m: B, n: nL, k: 1, a: dLogit, b: d, bOffset: outO + f, beta: 0,
        c: &da[L - 1])
    }
    // MLP branch, top down.
    if L > 0 {
      for l in stride(from: L - 1, through: 0, by: -1) {
        let (nIn, nOut) = (layers[l], layers[l + 1])
        Kernels.reluBackward(da[l], input: z[l], into: &dz[l], count: B * nOut)
        let wo = net.weightOffsets[l]
        if l == 0 {
          // dW_0 = dz^T [xu ; xi], written into the left and right column halves of W_0.
          Kernels.gemm(
            transA: true, transB: false, m: nOut, n: h, k: B, a: dz[0], b: xu, beta: 1, c: &dDense,
            cOffset: wo,
            ldc: nIn)
          Kernels.gemm(
            transA: true, transB: false, m: nOut, n: h, k: B, a: dz[0], b: xi, beta: 1, c: &dDense,
            cOffset: wo + h, ldc: nIn)
          Kernels.gemm(
            transA: false, transB: false, m: B, n: h, k: nOut, a: dz[0], b: d, bOffset: wo, ldb: nIn, beta: 0,
            c: &dxu)
          Kernels.gemm(
            transA: false, transB: false, m: B, n: h, k: nOut, a: dz[0], b: d, bOffset: wo + h, ldb: nIn,
            beta: 0, c: &dxi)
        } else {
          Kernels.gemm(
            transA: true, transB: false, m: nOut, n: nIn, k: B, a: dz[l], b: a[l - 1], beta: 1, c: &dDense,
            cOffset: wo)
          Kernels.gemm(
            transA: false, transB: false, m: B, n: nIn, k: nOut, a: dz[l], b: d, bOffset: wo, beta: 0,
            c: &da[l - 1])
        }
        Kernels.addColumnSums(of: dz[l], rows: B, columns: nOut, into: &dDense, at: net.biasOffsets[l])
      }
      Kernels.scatterAddRows(dxu, dim: h, indices: bu, skip: nil, into: &dMlpUser)
      Kernels.scatterAddRows(dxi, dim: h, indices: bi, skip: nil, into: &dMlpItem)
    }
    NCFTrainer.markTouched(bu, &touchedUser, &userRows)
    NCFTrainer.markTouched(bi, &touchedItem, &itemRows)
    return total / Double(B)
  }

  /// Applies one optimizer step with the accumulated gradients, then clears them.
  func apply(to net: inout NCFNetwork) {
    let lr = training.learningRate
    let l2 = training.l2
    if l2 != 0 {
      for k in 0..<dDense.count { dDense[k] += l2 * net.dense[k] }
      addL2(&dGmfUser, net.gmfUser, rows: userRows, dim: f, l2)
      addL2(&dMlpUser, net.mlpUser, rows: userRows, dim: h, l2)
      addL2(&dGmfItem, net.gmfItem, rows: itemRows, dim: f, l2)
      addL2(&dMlpItem, net.mlpItem, rows: itemRows, dim: h, l2)
    }
    switch training.method {
    case .adam:
      step += 1
      // Rows in ascending order: the updates are independent, and memory order lets the
      // hardware prefetcher run ahead of the four tables (values, gradients, both moments).
      userRows.sort()
      itemRows.sort()
      let (b1, b2, eps): (Float, Float, Float) = (0.9, 0.999, 1e-8)
      let bc1 = 1 - pow(Double(b1), Double(step))
      let bc2 = 1 - pow(Double(b2), Double(step))
      let stepSize = Float(Double(lr) / bc1)
      let ib = Float(1 / bc2.squareRoot())
      Kernels.adamUpdate(
        p: &net.dense, g: dDense, m: &m[4], v: &v[4], stepSize: stepSize, beta1: b1, beta2: b2,
        invSqrtBC2: ib,
        eps: eps)
      if f > 0 {
        Kernels.adamUpdateRows(
          p: &net.gmfUser, g: dGmfUser, m: &m[0], v: &v[0], dim: f, rows: userRows, stepSize: stepSize,
          beta1: b1, beta2: b2, invSqrtBC2: ib, eps: eps)
        Kernels.adamUpdateRows(
          p: &net.gmfItem, g: dGmfItem, m: &m[1], v: &v[1], dim: f, rows: itemRows, stepSize: stepSize,
          beta1: b1, beta2: b2, invSqrtBC2: ib, eps: eps)
      }
      if h > 0 {
        Kernels.adamUpdateRows(
          p: &net.mlpUser, g: dMlpUser, m: &m[2], v: &v[2], dim: h, rows: userRows, stepSize: stepSize,
          beta1: b1, beta2: b2, invSqrtBC2: ib, eps: eps)
        Kernels.adamUpdateRows(
          p: &net.mlpItem, g: dMlpItem, m: &m[3], v: &v[3], dim: h, rows: itemRows, stepSize: stepSize,
          beta1: b1, beta2: b2, invSqrtBC2: ib, eps: eps)
      }
    case .sgd:
      for k in 0..<dDense.count { net.dense[k] -= lr * dDense[k] }
      sgdRows(&net.gmfUser, dGmfUser, rows: userRows, dim: f, lr)
      sgdRows(&net.mlpUser, dMlpUser, rows: userRows, dim: h, lr)
      sgdRows(&net.gmfItem, dGmfItem, rows: itemRows, dim: f, lr)
      sgdRows(&net.mlpItem, dMlpItem, rows: itemRows, dim: h, lr)
    }
    zeroGradients()
  }

  /// Clears every gradient (the tables only on their touched rows).
  func zeroGradients() {
    dDense.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    Kernels.zeroRows(&dGmfUser, rows: userRows, dim: f)
    Kernels.zeroRows(&dMlpUser, rows: userRows, dim: h)
    Kernels.zeroRows(&dGmfItem, rows: itemRows, dim: f)
    Kernels.zeroRows(&dMlpItem, rows: itemRows, dim: h)
    for u in userRows { touchedUser[u] = false }
    for i in itemRows { touchedItem[i] = false }
    userRows.removeAll(keepingCapacity: true)
    itemRows.removeAll(keepingCapacity: true)
  }

  /// Appends to `rows` each of `batch` not yet marked in `touched`, and marks it.
  private static func markTouched(_ batch: [Int], _ touched: inout [Bool], _ rows: inout [Int]) {
    for r in batch where !touched[r] {
      touched[r] = true
      rows.append(r)
    }
  }

  /// One epoch: every event of `data` as a positive (weight `data.weight?[e] ?? 1`) and
  /// `negatives` fresh negatives for it (weight 1), shuffled, in minibatches. Returns the mean
  /// loss per example, or nil when the reporter says stop.
  func epoch(
    _ net: inout NCFNetwork, data: Interactions, sampler: NegativeSampler, rng: inout SeededGenerator,
    reporter: BatchReporter
  ) -> Double? {
    var examples = [Example]()
    examples.reserveCapacity(data.count * (1 + training.negatives))
    for e in 0..<data.count {
      let u = data.user[e]
      examples.append(Example(user: u, item: data.item[e], label: 1, weight: Float(data.weight?[e] ?? 1)))
      for _ in 0..<training.negatives {
        guard let n = sampler.sample(for: Int(u), using: &rng) else { break }
        examples.append(Example(user: u, item: Int32(n), label: 0, weight: 1))
      }
    }
    rng.shuffle(&examples)
    var total = 0.0
    var start = 0
    var batches = 0
    while start < examples.count {
      let end = min(start + maxBatch, examples.count)
      load(examples[start..<end])
      total += forwardBackward(net) * Double(end - start)
      apply(to: &net)
      start = end
      batches += 1
      if batches % 64 == 0, !reporter.report(done: end, loss: total / Double(end)) { return nil }
    }
    return examples.isEmpty ? 0 : total / Double(examples.count)
  }

  /// Makes `batch` the current batch.
  func load(_ batch: ArraySlice<Example>) {
    var (u, i, y, w) = (bu, bi, by, bw)
    (bu, bi, by, bw) = ([], [], [], [])
    u.removeAll(keepingCapacity: true)
    i.removeAll(keepingCapacity: true)
    y.removeAll(keepingCapacity: true)
    w.removeAll(keepingCapacity: true)
    for x in batch {
      u.append(Int(x.user))
      i.append(Int(x.item))
      y.append(x.label)
      w.append(x.weight)
    }
    (bu, bi, by, bw) = (u, i, y, w)
  }

  /// One training example (16 bytes, so an epoch's shuffle moves little memory).
  struct Example {
    var user: Int32
    var item: Int32
    var label: Float
    var weight: Float
  }

  // MARK: - Small helpers (element loops over the touched rows)

  private func addL2(_ g: inout [Float], _ p: [Float], rows: [Int], dim: Int, _ l2: Float) {
    for r in rows {
      for k in 0..<dim { g[r * dim + k] += l2 * p[r * dim + k] }
    }
  }

  private func sgdRows(_ p: inout [Float], _ g: [Float], rows: [Int], dim: Int, _ lr: Float) {
    for r in rows {
      for k in 0..<dim { p[r * dim + k] -= lr * g[r * dim + k] }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

extension NCFTrainer {
  /// Trains `model[keyPath: network]` on `data` through ``EpochTrainer`` (Ctrl-C, NaN stop,
  /// early stopping, epoch logs): the shared `fit` of GMF, MLP and NeuMF.
  static func fit<M>(
    _ model: inout M, network: WritableKeyPath<M, NCFNetwork?>, data: Interactions, training: NCFTraining,
    context: FitContext
  ) throws -> FitReport {
    guard var net = model[keyPath: network] else { return FitReport() }
    guard data.itemCount > 0 else {
      throw ModelError("\(net.layers.isEmpty ? "gmf" : "ncf") needs items to rank")
    }
    var counts = [Int](repeating: 0, count: data.itemCount)
    for i in data.item { counts[Int(i)] += 1 }
    net.popularity = counts.map { Float($0) }
    model[keyPath: network] = net
    let positives = (0..<data.userCount).map { Set(data.byUser.columns(ofRow: $0).map { Int($0) }) }
    let sampler = NegativeSampler(itemCount: data.itemCount, positives: positives)
    let trainer = NCFTrainer(network: net, training: training)
    var rng = SeededGenerator(seed: training.seed, stream: 1)
    let perEpoch = data.count * (1 + training.negatives)
    return EpochTrainer.run(
      &model, epochs: context.epochs ?? training.epochs, examplesPerEpoch: perEpoch, context: context
    ) { m, _, reporter in
      guard var n = m[keyPath: network] else { return 0 }
      m[keyPath: network] = nil  // n is the only reference: updates in place, no copy
      let loss = trainer.epoch(&n, data: data, sampler: sampler, rng: &rng, reporter: reporter)
      m[keyPath: network] = n
      return loss
    }
  }
}

extension NCFNetwork {
  /// Items whose item vectors (`[q_i ; x_i]`, GMF and MLP tables side by side) have the highest
  /// cosine with `item`'s; nil for an item outside the network.
  func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    guard item >= 0 && item < items else { return nil }
    func vector(_ i: Int) -> [Float] {
      Array(gmfItem[(i * factors)..<((i + 1) * factors)]) + Array(mlpItem[(i * half)..<((i + 1) * half)])
    }
    let q = vector(item)
    let qn = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
    var sims = [Float](repeating: -1, count: items)
    for i in 0..<items {
      let x = vector(i)
      let xn = x.reduce(0) { $0 + $1 * $1 }.squareRoot()
      let dot = zip(q, x).reduce(0) { $0 + $1.0 * $1.1 }
      if qn > 0 && xn > 0 { sims[i] = dot / (qn * xn) }
    }
    return TopK.select(sims, k: count, excluding: [Int32(item)]).map {
      ScoredItem(item: Int($0), score: sims[Int($0)])
    }
  }
}

extension NCFTraining {
  /// The training options GMF, MLP and NeuMF share (the NCF code's defaults).
  static let options: [ModelOption] = [
    ModelOption("epochs", .int(min: 0, max: 100_000), default: "20", "passes over the positives"),
    ModelOption("batch-size", .int(min: 1, max: 1 << 20), default: "256", "examples per optimizer step"),
    ModelOption("learning-rate", .double(min: 0, max: 10), default: "0.001", "Adam (or SGD) step size"),
    ModelOption("l2", .double(min: 0, max: 100), default: "0", "L2 penalty added to the gradients"),
    ModelOption(
      "negatives", .int(min: 0, max: 1000), default: "4", "sampled negatives per positive and epoch"),
    ModelCatalog.seedOption,
  ]

  /// The training settings of a `model` cell.
  init(_ o: ModelOptions, method: Method = .adam) {
    self.init()
    epochs = o.int("epochs", 20)
    batchSize = o.int("batch-size", 256)
    learningRate = Float(o.double("learning-rate", 0.001))
    l2 = Float(o.double("l2", 0))
    negatives = o.int("negatives", 4)
    self.method = method
    seed = o.modelSeed
  }

  /// Checks MLP layer sizes: at least an input and one layer, all positive, the input even
  /// (it is the user and item embeddings side by side).
  static func checkLayers(_ layers: [Int], model: String) throws(ModelError) {
    guard layers.count >= 2, layers.allSatisfy({ $0 > 0 }), layers[0] % 2 == 0 else {
      throw ModelError(
        "\(model) layers=\(layers.map(String.init).joined(separator: ",")): give at least two positive sizes, "
          + "the first even (user and item embeddings of layers[0]/2 each), e.g. layers=64,32,16,8")
    }
  }
}
