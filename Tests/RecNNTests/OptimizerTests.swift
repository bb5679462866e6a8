import Foundation
import RecData
import Testing

@testable import RecNN

@Suite struct OptimizerTests {
  /// A one-row parameter holding `values` with gradient `grads`.
  func param(_ values: [Float], grads: [Float], sparse: Bool = false) -> Parameter {
    let p = Parameter(Tensor(shape: [1, values.count], scalars: values), sparse: sparse)
    p.grad = Tensor(shape: [1, grads.count], scalars: grads)
    return p
  }

  /// With a constant gradient `g`, Adam's bias-corrected moments are exactly `g` and `g^2`,
  /// so each step moves `-lr g / (|g| + eps)`: after 10 steps `p0 - 10 lr g / (|g| + eps)`.
  @Test func adamTenStepsConstantGradient() {
    let g: [Float] = [0.5, -2, 1e-3, 0, 7, -0.25, 3, 1, -1]  // 9 elements: SIMD part and tail
    let p = param([Float](repeating: 1, count: 9), grads: g)
    let adam = Adam(learningRate: 0.01)
    for _ in 0..<10 { adam.step([p]) }
    for i in 0..<9 {
      let expected = 1 - 10 * 0.01 * Double(g[i]) / (abs(Double(g[i])) + 1e-8)
      #expect(abs(Double(p.value.scalars[i]) - expected) < 2e-6)
    }
  }

  /// Varying gradients: 10 steps against the textbook recurrences evaluated in Double.
  @Test func adamAndAdamWTenStepsAgainstHandRecurrence() {
    for decoupled in [false, true] {
      let p = param([0.3, -0.7, 1.1], grads: [0, 0, 0])
      let opt = Adam(
        learningRate: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.1, decoupled: decoupled)
      var w: [Double] = [0.3, -0.7, 1.1]
      var m = [0.0, 0, 0]
      var v = [0.0, 0, 0]
      for t in 1...10 {
        let grads: [Float] = [Float(t) * 0.1, -1 / Float(t), 0.5]
        p.grad = Tensor(shape: [1, 3], scalars: grads)
        opt.step([p])
        for i in 0..<3 {
          var g = Double(grads[i])
          if decoupled { w[i] *= 1 - 0.05 * 0.1 } else { g += 0.1 * w[i] }
          m[i] = 0.8 * m[i] + 0.2 * g
          v[i] = 0.95 * v[i] + 0.05 * g * g
          let mh = m[i] / (1 - pow(0.8, Double(t)))
          let vh = v[i] / (1 - pow(0.95, Double(t)))
          w[i] -= 0.05 * mh / (vh.squareRoot() + 1e-6)
        }
      }
      for i in 0..<3 {
        #expect(abs(Double(p.value.scalars[i]) - w[i]) < 1e-5, "decoupled \(decoupled) i \(i)")
      }
    }
  }

  @Test func sgdMomentumAndAdagrad() {
    let p = param([1], grads: [2])
    let sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0)
    sgd.step([p])  // buf = 2, p = 1 - 0.2
    sgd.step([p])  // buf = 0.9*2 + 2 = 3.8, p = 0.8 - 0.38
    #expect(abs(p.value.scalars[0] - 0.42) < 1e-6)
    let q = param([1], grads: [3])
    let ada = Adagrad(learningRate: 0.5)
    ada.step([q])  // s = 9: 1 - 0.5 * 3 / 3
    ada.step([q])  // s = 18: 0.5 - 0.5 * 3 / sqrt(18)
    #expect(abs(Double(q.value.scalars[0]) - (0.5 - 1.5 / 18.0.squareRoot())) < 1e-6)
  }

  /// The lazy update touches only rows in the batch; the dense one moves every row with moments.
  @Test func lazyUpdateTouchesOnlyBatchRows() {
    var rng = SeededGenerator(seed: 3)
    let emb = Embedding(count: 5, dim: 4, std: 1, using: &rng)
    let before = emb.weight.value
    _ = emb.forward([1, 3])
    emb.backward(Tensor(shape: [2, 4], repeating: 1))
    Adam(learningRate: 0.1, weightDecay: 0.5, decoupled: true).step([emb.weight])
    for r in 0..<5 {
      let changed = (0..<4).allSatisfy { emb.weight.value[r, $0] != before[r, $0] }
      let same = (0..<4).allSatisfy { emb.weight.value[r, $0] == before[r, $0] }
      #expect([1, 3].contains(r) ? changed : same, "row \(r)")
    }
  }

  @Test func clipByNorm() {
    let a = param([0, 0], grads: [3, 0])
    let b = param([0], grads: [4])
    let norm = clipGradientNorm([a, b], maxNorm: 1)
    #expect(norm == 5)
    #expect(abs(a.grad.scalars[0] - 0.6) < 1e-5 && abs(b.grad.scalars[0] - 0.8) < 1e-5)
    #expect(clipGradientNorm([a, b], maxNorm: 10) < 1.0001)
  }

  /// A two-layer network learns XOR with Adam and BCE (a toy problem a linear model cannot fit).
  @Test func adamTrainsXOR() {
    var rng = SeededGenerator(seed: 5)
    let l1 = Linear(inputs: 2, outputs: 8, using: &rng)
    let act = Tanh()
    let l2 = Linear(inputs: 8, outputs: 1, using: &rng)
    let x = Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
    let y = Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
    let params = l1.parameters + l2.parameters
    let adam = Adam(learningRate: 0.05)
    var loss: Float = 1
    for _ in 0..<400 {
      params.forEach { $0.zeroGrad() }
      let out = l2.forward(act.forward(l1.forward(x)))
      let (l, d) = Loss.binaryCrossEntropyWithLogits(logits: out, targets: y)
      loss = l
      _ = l1.backward(act.backward(l2.backward(d)))
      adam.step(params)
    }
    #expect(loss < 0.05)
  }
}
