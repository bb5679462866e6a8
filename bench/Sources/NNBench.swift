import RecData
import RecNN

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// `recbook-bench nn [--threads N] [--steps N] [--only neumf,gru,unfused,sampled,gemm]`: time per
/// training step of NeuMF and GRU4Rec (full softmax, and sampled softmax over 256 shared
/// negatives) built from RecNN layers, and GFLOP/s of the dense kernels at those shapes.
/// `bench/nn_torch.py` prints PyTorch's numbers for the same shapes. Data are random indices
/// (the cost of a step does not depend on which ids a batch holds).
///
/// Each line gives wall-clock ms per step and process CPU ms per step (all threads): the
/// machine is shared, so wall time includes waiting for a core; CPU time does not.
func runNNBench(args: [String]) {
  func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else {
      return fallback
    }
    return v
  }
  let only: Set<String> = {
    guard let i = args.firstIndex(of: "--only"), i + 1 < args.count else {
      return ["neumf", "gru", "sampled", "gemm"]
    }
    return Set(args[i + 1].split(separator: ",").map(String.init))
  }()
  Parallel.threads = option("--threads", 2)
  let steps = option("--steps", 50)
  print("RecNN bench: threads \(Parallel.threads), steps \(steps)")
  if only.contains("neumf") {
    let neumf = NeuMFBench()
    report("NeuMF step (batch 256, GMF 8, MLP [64,32,16,8], Adam)", timeMs(steps: steps) { neumf.step() })
  }
  if only.contains("gru") {
    let gru = GRU4RecBench(sampled: false)
    report(
      "GRU4Rec step (batch 64 x 20, hidden 64, 1682 items, full softmax, Adam)",
      timeMs(steps: max(5, steps / 5)) { gru.step() })
  }
  if only.contains("unfused") {
    let gru = GRU4RecBench(sampled: false, fused: false)
    report(
      "GRU4Rec step, full softmax, unfused head (Linear, then Loss.softmaxCrossEntropy)",
      timeMs(steps: max(5, steps / 5)) { gru.step() })
  }
  if only.contains("sampled") {
    let gru = GRU4RecBench(sampled: true)
    report(
      "GRU4Rec step (batch 64 x 20, hidden 64, 1682 items, sampled softmax 256 shared, Adam)",
      timeMs(steps: steps) { gru.step() })
  }
  guard only.contains("gemm") else { return }
  // One user against the catalogue (OpenBLAS sgemv).
  for (rows, dim) in [(1682, 64), (3706, 64), (3706, 8)] {
    var rng = SeededGenerator(seed: 3)
    let table = Tensor.uniform(shape: [rows, dim], low: -1, high: 1, using: &rng).scalars
    let q = Tensor.uniform(shape: [dim], low: -1, high: 1, using: &rng).scalars
    var out = [Float](repeating: 0, count: rows)
    let t = timeMs(steps: 2000) {
      Kernels.scoreRows(table: table, rows: rows, dim: dim, query: q, into: &out)
    }
    print(String(format: "scoreRows %4d x %2d: %.1f us", rows, dim, t.wall * 1000))
  }
  for (m, n, k) in [(256, 32, 64), (256, 16, 32), (1280, 1682, 64), (1280, 192, 64), (64, 192, 64)] {
    print(
      String(format: "sgemm %5d x %3d . %3d x %4d: %6.2f GFLOP/s", m, k, k, n, gemmGFlops(m: m, n: n, k: k)))
  }
}

private func report(_ name: String, _ t: (wall: Double, cpu: Double)) {
  print(String(format: "%@: %.3f ms (cpu %.3f ms)", name, t.wall, t.cpu))
}

/// Process CPU time (all threads) in milliseconds.
private func cpuMs() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

/// Wall-clock and process-CPU milliseconds per call of `body`, after `warmup` untimed calls.
private func timeMs(steps: Int, warmup: Int = 3, _ body: () -> Void) -> (wall: Double, cpu: Double) {
  for _ in 0..<warmup { body() }
  let clock = ContinuousClock()
  let start = clock.now
  let cpu0 = cpuMs()
  for _ in 0..<steps { body() }
  let cpu = cpuMs() - cpu0
  let d = clock.now - start
  let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  return (seconds * 1000 / Double(steps), cpu / Double(steps))
}

private func gemmGFlops(m: Int, n: Int, k: Int) -> Double {
  var rng = SeededGenerator(seed: 1)
  let a = Tensor.uniform(shape: [m, k], low: -1, high: 1, using: &rng).scalars
  let b = Tensor.uniform(shape: [n, k], low: -1, high: 1, using: &rng).scalars
  var c = [Float](repeating: 0, count: m * n)
  let reps = max(10, 200_000_000 / (2 * m * n * k))
  let ms = timeMs(steps: reps) {
    Kernels.gemm(transA: false, transB: true, m: m, n: n, k: k, a: a, b: b, beta: 0, c: &c)
  }.wall
  return 2 * Double(m * n * k) / (ms * 1e6)
}

/// NeuMF (He et al. 2017): GMF with 8 factors beside an MLP 64 -> 32 -> 16 -> 8 on 32 + 32
/// embeddings, a final Linear(16, 1), BCE with logits; 943 users x 1682 items.
private final class NeuMFBench {
  let users = 943
  let items = 1682
  let batch = 256
  var rng = SeededGenerator(seed: 7)
  let gmfU: Embedding
  let gmfI: Embedding
  let mlpU: Embedding
  let mlpI: Embedding
  let layers: [Linear]
  let relus = [ReLU(), ReLU(), ReLU()]
  let prod = ElementwiseProduct()
  let catIn = Concat()
  let catOut = Concat()
  let out: Linear
  let adam = Adam(learningRate: 1e-3)

  init() {
    gmfU = Embedding(count: users, dim: 8, using: &rng)
    gmfI = Embedding(count: items, dim: 8, using: &rng)
    mlpU = Embedding(count: users, dim: 32, using: &rng)
    mlpI = Embedding(count: items, dim: 32, using: &rng)
    layers = [
      Linear(inputs: 64, outputs: 32, using: &rng), Linear(inputs: 32, outputs: 16, using: &rng),
      Linear(inputs: 16, outputs: 8, using: &rng),
    ]
    out = Linear(inputs: 16, outputs: 1, using: &rng)
  }

  var parameters: [Parameter] {
    [gmfU, gmfI, mlpU, mlpI].flatMap(\.parameters) + layers.flatMap(\.parameters) + out.parameters
  }

  func step() {
    let params = parameters
    params.forEach { $0.zeroGrad() }
    let u = (0..<batch).map { _ in rng.nextInt(below: users) }
    let i = (0..<batch).map { _ in rng.nextInt(below: items) }
    let y = Tensor(shape: [batch], scalars: (0..<batch).map { Float($0 % 2) })
    let gmf = prod.forward(gmfU.forward(u), gmfI.forward(i))
    var h = catIn.forward([mlpU.forward(u), mlpI.forward(i)])
    for (l, r) in zip(layers, relus) { h = r.forward(l.forward(h)) }
    let logits = out.forward(catOut.forward([gmf, h])).reshaped([batch])
    let (_, d) = Loss.binaryCrossEntropyWithLogits(logits: logits, targets: y)
    let dCat = catOut.backward(out.backward(d.reshaped([batch, 1])))
    let (dgu, dgi) = prod.backward(dCat[0])
    gmfU.backward(dgu)
    gmfI.backward(dgi)
    var dh = dCat[1]
    for (l, r) in zip(layers, relus).reversed() { dh = l.backward(r.backward(dh)) }
    let dIn = catIn.backward(dh)
    mlpU.backward(dIn[0])
    mlpI.backward(dIn[1])
    adam.step(params)
  }
}

/// GRU4Rec (Hidasi et al. 2016) in its sequence form: item embedding 64, GRU hidden 64, then
/// softmax cross-entropy on the next item at every position, either over all 1682 items
/// (`Linear(64, 1682)`) or, when `sampled`, over the target and 256 negatives drawn uniformly once
/// per batch and shared by every position (output item vectors and biases as embeddings, so
/// only the touched rows are updated; no removal of accidental hits, as in nn_torch.py).
private final class GRU4RecBench {
  let items = 1682
  let batch = 64
  let length = 20
  let negatives = 256
  let sampled: Bool
  let fused: Bool
  var rng = SeededGenerator(seed: 8)
  let emb: Embedding
  let gru: GRU
  let out: Linear
  let outItems: Embedding  // sampled: output item vectors (items, 64)
  let outBias: Embedding  // sampled: output item biases (items, 1)
  let adam = Adam(learningRate: 1e-3)

  init(sampled: Bool, fused: Bool = true) {
    self.sampled = sampled
    self.fused = fused
    emb = Embedding(count: items, dim: 64, using: &rng)
    gru = GRU(inputs: 64, hidden: 64, using: &rng)
    out = Linear(inputs: 64, outputs: items, using: &rng)
    outItems = Embedding(count: items, dim: 64, std: 0.1, using: &rng)
    outBias = Embedding(count: items, dim: 1, std: 0, using: &rng)
  }

  func step() {
    let params =
      emb.parameters + gru.parameters + (sampled ? outItems.parameters + outBias.parameters : out.parameters)
    params.forEach { $0.zeroGrad() }
    let seq = (0..<(batch * length)).map { _ in rng.nextInt(below: items) }
    let targets = (0..<(batch * length)).map { _ in rng.nextInt(below: items) }
    let lengths = [Int](repeating: length, count: batch)
    let x = emb.forward(seq).reshaped([batch, length, 64])
    let (h, _) = gru.forward(x, lengths: lengths)
    let hs = h.reshaped([batch * length, 64])
    let dh = sampled ? sampledHead(hs, targets: targets) : fullHead(hs, targets: targets)
    let dx = gru.backward(dOutputs: dh.reshaped([batch, length, 64]), dLast: nil)
    emb.backward(dx.reshaped([batch * length, 64]))
    adam.step(params)
  }

  /// Full softmax over every item: returns `dh: (rows, 64)`.
  func fullHead(_ h: Tensor, targets: [Int]) -> Tensor {
    if fused { return Loss.linearSoftmaxCrossEntropy(out, input: h, targets: targets).dInput }
    let logits = out.forward(h)
    let (_, d) = Loss.softmaxCrossEntropy(logits: logits, targets: targets)
    return out.backward(d)
  }

  /// Sampled softmax: logits `(rows, 1 + negatives)`, column 0 the target `h_r . w_t + b_t`, then
  /// `h_r . w_k + b_k` for the shared negatives `k`. Returns `dh: (rows, 64)`.
  func sampledHead(_ h: Tensor, targets: [Int]) -> Tensor {
    let (rows, d, s) = (h.rows, 64, negatives)
    let neg = (0..<s).map { _ in rng.nextInt(below: items) }
    let w = outItems.forward(targets + neg).scalars  // (rows + s, d)
    let b = outBias.forward(targets + neg).scalars  // (rows + s)
    // Plain arrays in the loops (a `Tensor` subscript write checks uniqueness every time).
    let hs = h.scalars
    var logits = [Float](repeating: 0, count: rows * (1 + s))
    for r in 0..<rows {
      var dot: Float = b[r]
      for j in 0..<d { dot += hs[r &* d &+ j] * w[r &* d &+ j] }
      logits[r &* (1 + s)] = dot
      for k in 0..<s { logits[r &* (1 + s) &+ 1 &+ k] = b[rows &+ k] }
    }
    // Negative columns: logits[:, 1...] += h W_neg^T.
    Kernels.gemm(
      transA: false, transB: true, m: rows, n: s, k: d, a: hs, b: w, bOffset: rows * d, beta: 1, c: &logits,
      cOffset: 1, ldc: 1 + s)
    let dl = Loss.sampledSoftmaxCrossEntropy(logits: Tensor(shape: [rows, 1 + s], scalars: logits)).dLogits
      .scalars
    var dh = [Float](repeating: 0, count: rows * d)
    var dw = [Float](repeating: 0, count: (rows + s) * d)
    var db = [Float](repeating: 0, count: rows + s)
    for r in 0..<rows {
      let g = dl[r &* (1 + s)]
      db[r] = g
      for j in 0..<d {
        dh[r &* d &+ j] = g * w[r &* d &+ j]
        dw[r &* d &+ j] = g * hs[r &* d &+ j]
      }
      for k in 0..<s { db[rows &+ k] += dl[r &* (1 + s) &+ 1 &+ k] }
    }
    // dh += dL_neg W_neg;  dW_neg = dL_neg^T h.
    Kernels.gemm(
      transA: false, transB: false, m: rows, n: d, k: s, a: dl, aOffset: 1, lda: 1 + s, b: w,
      bOffset: rows * d,
      beta: 1, c: &dh)
    Kernels.gemm(
      transA: true, transB: false, m: s, n: d, k: rows, a: dl, aOffset: 1, lda: 1 + s, b: hs, beta: 0, c: &dw,
      cOffset: rows * d)
    outItems.backward(Tensor(shape: [rows + s, d], scalars: dw))
    outBias.backward(Tensor(shape: [rows + s, 1], scalars: db))
    return Tensor(shape: [rows, d], scalars: dh)
  }
}
