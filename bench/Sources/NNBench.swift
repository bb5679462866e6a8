import RecData
import RecNN

/// `recbook-bench nn [--threads N] [--steps N]`: time per training step of NeuMF and GRU4Rec
/// built from RecNN layers, and GFLOP/s of the dense kernels at those shapes. `bench/nn_torch.py`
/// prints PyTorch's numbers for the same shapes. Data are random indices (the cost of a step
/// does not depend on which ids a batch holds).
func runNNBench(args: [String]) {
  func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else {
      return fallback
    }
    return v
  }
  Parallel.threads = option("--threads", 2)
  let steps = option("--steps", 50)
  print("RecNN bench: threads \(Parallel.threads), steps \(steps)")
  let neumf = NeuMFBench()
  print(
    String(
      format: "NeuMF step (batch 256, GMF 8, MLP [64,32,16,8], Adam): %.3f ms", neumf.msPerStep(steps: steps))
  )
  let gru = GRU4RecBench()
  print(
    String(
      format: "GRU4Rec step (batch 64 x 20, hidden 64, 1682 items, full softmax, Adam): %.3f ms",
      gru.msPerStep(steps: max(5, steps / 5))))
  for (m, n, k) in [(256, 32, 64), (256, 16, 32), (1280, 1682, 64), (1280, 192, 64), (64, 192, 64)] {
    print(
      String(format: "sgemm %5d x %3d . %3d x %4d: %6.2f GFLOP/s", m, k, k, n, gemmGFlops(m: m, n: n, k: k)))
  }
}

/// Milliseconds per call of `body`, after `warmup` untimed calls.
private func timeMs(steps: Int, warmup: Int = 3, _ body: () -> Void) -> Double {
  for _ in 0..<warmup { body() }
  let clock = ContinuousClock()
  let start = clock.now
  for _ in 0..<steps { body() }
  let d = clock.now - start
  let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  return seconds * 1000 / Double(steps)
}

private func gemmGFlops(m: Int, n: Int, k: Int) -> Double {
  var rng = SeededGenerator(seed: 1)
  let a = Tensor.uniform(shape: [m, k], low: -1, high: 1, using: &rng).scalars
  let b = Tensor.uniform(shape: [n, k], low: -1, high: 1, using: &rng).scalars
  var c = [Float](repeating: 0, count: m * n)
  let reps = max(10, 200_000_000 / (2 * m * n * k))
  let ms = timeMs(steps: reps) {
    Kernels.gemm(transA: false, transB: true, m: m, n: n, k: k, a: a, b: b, beta: 0, c: &c)
  }
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

  func msPerStep(steps: Int) -> Double { timeMs(steps: steps) { step() } }
}

/// GRU4Rec (Hidasi et al. 2016) in its sequence form: item embedding 64, GRU hidden 64,
/// a Linear(64, 1682) scoring every item at every position, softmax cross-entropy on the next item.
private final class GRU4RecBench {
  let items = 1682
  let batch = 64
  let length = 20
  var rng = SeededGenerator(seed: 8)
  let emb: Embedding
  let gru: GRU
  let out: Linear
  let adam = Adam(learningRate: 1e-3)

  init() {
    emb = Embedding(count: items, dim: 64, using: &rng)
    gru = GRU(inputs: 64, hidden: 64, using: &rng)
    out = Linear(inputs: 64, outputs: items, using: &rng)
  }

  func step() {
    let params = emb.parameters + gru.parameters + out.parameters
    params.forEach { $0.zeroGrad() }
    let seq = (0..<(batch * length)).map { _ in rng.nextInt(below: items) }
    let targets = (0..<(batch * length)).map { _ in rng.nextInt(below: items) }
    let lengths = [Int](repeating: length, count: batch)
    let x = emb.forward(seq).reshaped([batch, length, 64])
    let (h, _) = gru.forward(x, lengths: lengths)
    let logits = out.forward(h.reshaped([batch * length, 64]))
    let (_, d) = Loss.softmaxCrossEntropy(logits: logits, targets: targets)
    let dh = out.backward(d).reshaped([batch, length, 64])
    let dx = gru.backward(dOutputs: dh, dLast: nil)
    emb.backward(dx.reshaped([batch * length, 64]))
    adam.step(params)
  }

  func msPerStep(steps: Int) -> Double { timeMs(steps: steps) { step() } }
}
