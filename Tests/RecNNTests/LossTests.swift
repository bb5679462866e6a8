import Foundation
import Testing

@testable import RecNN

@Suite struct LossTests {
  let gc = GradientCheck()

  @Test func bceGradientAndValue() {
    var x = randomTensor([9], seed: 1, scale: 3)
    let y = Tensor(shape: [9], scalars: [1, 0, 1, 1, 0, 0.5, 0, 1, 0])
    let (l, dx) = Loss.binaryCrossEntropyWithLogits(logits: x, targets: y)
    var expected = 0.0
    for i in 0..<9 {
      let s = 1 / (1 + exp(-Double(x.scalars[i])))
      expected -= Double(y.scalars[i]) * log(s) + (1 - Double(y.scalars[i])) * log(1 - s)
    }
    #expect(abs(Double(l) - expected / 9) < 1e-5)
    #expect(
      gc.check(input: &x, dx: dx) { Double(Loss.binaryCrossEntropyWithLogits(logits: $0, targets: y).loss) }
        <= 1e-2)
  }

  @Test func bceIsFiniteAndExactAtPlusMinus400() {
    let x = Tensor(shape: [4], scalars: [400, -400, 400, -400])
    let y = Tensor(shape: [4], scalars: [1, 1, 0, 0])
    let (l, d) = Loss.binaryCrossEntropyWithLogits(logits: x, targets: y)
    // Losses 0, 400, 400, 0: mean 200. Gradients (sigmoid - y) / 4 = 0, -1/4, 1/4, 0.
    #expect(l == 200)
    #expect(d.scalars == [0, -0.25, 0.25, 0])
    #expect(sigmoid(-400) == 0 && sigmoid(400) == 1)
  }

  @Test func bprGradientValueAndExtremes() {
    var pos = randomTensor([6], seed: 2, scale: 2)
    let neg = randomTensor([6], seed: 3, scale: 2)
    let (l, dp, dn) = Loss.bpr(positive: pos, negative: neg)
    var expected = 0.0
    for i in 0..<6 { expected += -log(1 / (1 + exp(-Double(pos.scalars[i] - neg.scalars[i])))) }
    #expect(abs(Double(l) - expected / 6) < 1e-5)
    #expect(dn.scalars == dp.scalars.map { -$0 })
    #expect(gc.check(input: &pos, dx: dp) { Double(Loss.bpr(positive: $0, negative: neg).loss) } <= 1e-2)
    let e = Loss.bpr(
      positive: Tensor(shape: [2], scalars: [400, -400]), negative: Tensor(shape: [2], scalars: [-400, 400]))
    #expect(e.loss == 400)  // (0 + 800) / 2
    #expect(e.dPositive.scalars == [0, -0.5])
  }

  @Test func mse() {
    var p = randomTensor([5], seed: 4)
    let y = randomTensor([5], seed: 5)
    let (l, d) = Loss.meanSquaredError(predictions: p, targets: y)
    let expected = zip(p.scalars, y.scalars).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / 5
    #expect(abs(Double(l) - expected) < 1e-6)
    #expect(
      gc.check(input: &p, dx: d) { Double(Loss.meanSquaredError(predictions: $0, targets: y).loss) } <= 1e-2)
  }

  @Test func softmaxCrossEntropyWithIgnoredRows() {
    var x = randomTensor([4, 7], seed: 6, scale: 2)
    let t = [3, -1, 0, 6]
    let (l, d) = Loss.softmaxCrossEntropy(logits: x, targets: t)
    var expected = 0.0
    for r in [0, 2, 3] {
      let row = (0..<7).map { Double(x[r, $0]) }
      expected += log(row.map { exp($0) }.reduce(0, +)) - row[t[r]]
    }
    #expect(abs(Double(l) - expected / 3) < 1e-5)
    #expect((0..<7).allSatisfy { d[1, $0] == 0 })
    #expect(
      gc.check(input: &x, dx: d) { Double(Loss.softmaxCrossEntropy(logits: $0, targets: t).loss) } <= 1e-2)
  }

  @Test func softmaxExtremesAndZeroRows() {
    // An all-zero row: loss log(C), gradient 1/C - onehot.
    let z = Loss.softmaxCrossEntropy(logits: Tensor(shape: [1, 4]), targets: [2])
    #expect(abs(z.loss - log(4)) < 1e-6)
    #expect(z.dLogits.scalars == [0.25, 0.25, -0.75, 0.25])
    // Logits at +-400: the target at -400 against one at +400 costs 800.
    let e = Loss.softmaxCrossEntropy(
      logits: Tensor(shape: [1, 3], scalars: [400, -400, -400]), targets: [1])
    #expect(e.loss == 800 && e.dLogits.scalars == [1, -1, 0])
    // Every row ignored: zero loss, zero gradient.
    let none = Loss.softmaxCrossEntropy(logits: Tensor(shape: [2, 3], repeating: 1), targets: [-1, -1])
    #expect(none.loss == 0 && none.dLogits.scalars.allSatisfy { $0 == 0 })
  }

  @Test func sampledSoftmaxTreatsColumnZeroAsPositive() {
    var x = randomTensor([3, 5], seed: 8)
    let (l, d) = Loss.sampledSoftmaxCrossEntropy(logits: x)
    #expect(l == Loss.softmaxCrossEntropy(logits: x, targets: [0, 0, 0]).loss)
    #expect(gc.check(input: &x, dx: d) { Double(Loss.sampledSoftmaxCrossEntropy(logits: $0).loss) } <= 1e-2)
  }

  /// Large-batch softmax (two chunks) equals the row-by-row sum of single-row losses.
  @Test func softmaxChunkedEqualsRowwise() {
    let x = randomTensor([64, 1100], seed: 9, scale: 4)
    let t = (0..<64).map { ($0 * 37) % 1100 }
    let all = Loss.softmaxCrossEntropy(logits: x, targets: t).loss
    var s = 0.0
    for r in 0..<64 {
      s += Double(
        Loss.softmaxCrossEntropy(logits: Tensor(shape: [1, 1100], scalars: Array(x.row(r))), targets: [t[r]])
          .loss)
    }
    #expect(abs(Double(all) - s / 64) < 1e-4)
  }
}
