import RecData
import Testing

@testable import RecNN

/// Finite-difference checks of every layer: `loss = sum(forward(x) * dOut)`.
@Suite struct LayerGradientTests {
  let gc = GradientCheck()
  let tolerance = 1e-2

  @Test(arguments: [(1, 1, 1), (3, 5, 2), (7, 4, 9)])
  func linear(batch: Int, inputs: Int, outputs: Int) {
    var rng = SeededGenerator(seed: 11)
    let layer = Linear(inputs: inputs, outputs: outputs, using: &rng)
    layer.bias!.value = randomTensor([outputs], seed: 3)
    var x = randomTensor([batch, inputs], seed: 5)
    let dOut = randomTensor([batch, outputs], seed: 7)
    _ = layer.forward(x)
    let dx = layer.backward(dOut)
    let loss: (Tensor) -> Double = { weightedSum(layer.forward($0), dOut) }
    #expect(gc.check(input: &x, dx: dx, loss: loss) <= tolerance)
    #expect(gc.check(layer.weight) { loss(x) } <= tolerance)
    #expect(gc.check(layer.bias!) { loss(x) } <= tolerance)
  }

  @Test func embeddingAccumulatesRepeatedRowsAndSkipsPadding() {
    var rng = SeededGenerator(seed: 1)
    let emb = Embedding(count: 6, dim: 3, std: 0.5, paddingIndex: 0, using: &rng)
    let idx = [2, 4, 2, 0, 5]
    let dOut = randomTensor([idx.count, 3], seed: 9)
    _ = emb.forward(idx)
    emb.backward(dOut)
    // Row 2 appears twice: its gradient is the sum of both upstream rows.
    for j in 0..<3 {
      #expect(emb.weight.grad[2, j] == dOut[0, j] + dOut[2, j])
      #expect(emb.weight.grad[0, j] == 0)  // padding row: no gradient
      #expect(emb.weight.value[0, j] == 0)  // and it reads zeros
    }
    #expect(emb.weight.touchedRows == [2, 4, 5])
    // Numeric check over the non-padding rows (padding's numeric gradient is dOut[3], by design ignored).
    var numeric = gc.numeric(
      count: emb.weight.value.count, get: { emb.weight.value.scalars[$0] },
      set: { emb.weight.value.scalars[$0] = $1 }, loss: { weightedSum(emb.forward(idx), dOut) })
    for j in 0..<3 { numeric[j] = 0 }
    #expect(GradientCheck.relativeError(emb.weight.grad.scalars, numeric) <= tolerance)
    emb.weight.zeroGrad()
    #expect(emb.weight.grad.scalars.allSatisfy { $0 == 0 } && emb.weight.touchedRows.isEmpty)
  }

  @Test(arguments: ["relu", "leaky", "sigmoid", "tanh"])
  func activation(name: String) {
    let f: (Tensor) -> Tensor
    let b: (Tensor) -> Tensor
    switch name {
    case "relu":
      let l = ReLU()
      (f, b) = (l.forward, l.backward)
    case "leaky":
      let l = LeakyReLU(slope: 0.1)
      (f, b) = (l.forward, l.backward)
    case "sigmoid":
      let l = Sigmoid()
      (f, b) = (l.forward, l.backward)
    default:
      let l = Tanh()
      (f, b) = (l.forward, l.backward)
    }
    var x = randomTensorAwayFromZero([4, 7], seed: 21)
    for i in 0..<x.count { x.scalars[i] *= 3 }
    let dOut = randomTensor([4, 7], seed: 22)
    _ = f(x)
    let dx = b(dOut)
    #expect(gc.check(input: &x, dx: dx) { weightedSum(f($0), dOut) } <= tolerance)
  }

  @Test func dropoutGradientUsesTheSameMaskAndEvalIsIdentity() {
    var x = randomTensor([5, 8], seed: 31)
    let dOut = randomTensor([5, 8], seed: 32)
    let d = Dropout(p: 0.3, seed: 77)
    _ = d.forward(x)
    let dx = d.backward(dOut)
    // Re-seeding reproduces the mask, so the objective is a fixed linear function of x.
    #expect(
      gc.check(input: &x, dx: dx) { weightedSum(Dropout(p: 0.3, seed: 77).forward($0), dOut) } <= tolerance)
    let zeros = dx.scalars.filter { $0 == 0 }.count
    #expect(zeros > 0 && zeros < 40)
    let e = Dropout(p: 0.3, seed: 77)
    e.isTraining = false
    #expect(e.forward(x) == x)
  }

  @Test func productAndConcat() {
    var a = randomTensor([3, 4], seed: 41)
    var b = randomTensor([3, 4], seed: 42)
    let c = randomTensor([3, 2], seed: 43)
    let dOut = randomTensor([3, 6], seed: 44)
    let prod = ElementwiseProduct()
    let cat = Concat()
    func run(_ a: Tensor, _ b: Tensor) -> Tensor { cat.forward([prod.forward(a, b), c]) }
    _ = run(a, b)
    let parts = cat.backward(dOut)
    #expect(parts.count == 2 && parts[1].shape == [3, 2])
    let (da, db) = prod.backward(parts[0])
    let bb = b
    let aa = a
    #expect(gc.check(input: &a, dx: da) { weightedSum(run($0, bb), dOut) } <= tolerance)
    #expect(gc.check(input: &b, dx: db) { weightedSum(run(aa, $0), dOut) } <= tolerance)
  }
}
