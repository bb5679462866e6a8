import RecData
import Testing

@testable import RecNN

/// BPR-max and TOP1-max (GRU4Rec's `loss=bpr-max|top1-max`): known values, finite differences
/// with a mask, extreme scores. Also the layer configurations GRU4Rec and Caser use that the
/// other suites do not cover: two stacked GRUs, Caser's height-4 filter with ReLU.
@Suite struct RankingMaxLossTests {
  let gc = GradientCheck(eps: 1e-3)

  @Test func knownValuesForOneRow() {
    // Two equal negatives: softmax weights 1/2 each.
    let p = Tensor(shape: [1], scalars: [1])
    let q = Tensor(shape: [1, 2], scalars: [0, 0])
    let s = 1 / (1 + exp(-1.0))  // sigmoid(1 - 0)
    let bpr = Loss.bprMax(positive: p, negatives: q, regularization: 0)
    #expect(abs(Double(bpr.loss) - -log(s)) < 1e-6)
    let top1 = Loss.top1Max(positive: p, negatives: q)
    // sigmoid(0 - 1) + sigmoid(0^2) = (1 - s) + 1/2
    #expect(abs(Double(top1.loss) - ((1 - s) + 0.5)) < 1e-6)
    // A masked negative is ignored: one valid negative with weight 1.
    let q2 = Tensor(shape: [1, 2], scalars: [0, 5])
    let masked = Loss.bprMax(positive: p, negatives: q2, mask: [1, 0], regularization: 0)
    #expect(abs(Double(masked.loss) - -log(s)) < 1e-6 && masked.dNegatives.scalars[1] == 0)
  }

  @Test(arguments: [false, true])
  func gradientsMatchFiniteDifferences(bpr: Bool) {
    var p = randomTensor([4], seed: 1, scale: 2)
    var q = randomTensor([4, 5], seed: 2, scale: 2)
    var mask = [Float](repeating: 1, count: 20)
    mask[3] = 0
    mask[7] = 0
    for j in 10..<15 { mask[j] = 0 }  // a row without valid negatives: no loss, no gradient
    func loss(_ p: Tensor, _ q: Tensor) -> Double {
      Double(
        bpr
          ? Loss.bprMax(positive: p, negatives: q, mask: mask, regularization: 0.5).loss
          : Loss.top1Max(positive: p, negatives: q, mask: mask).loss)
    }
    let r =
      bpr
      ? Loss.bprMax(positive: p, negatives: q, mask: mask, regularization: 0.5)
      : Loss.top1Max(positive: p, negatives: q, mask: mask)
    let qq = q
    #expect(gc.check(input: &p, dx: r.dPositive) { loss($0, qq) } <= 1e-2)
    let pp = p
    #expect(gc.check(input: &q, dx: r.dNegatives) { loss(pp, $0) } <= 1e-2)
    #expect(r.dPositive.scalars[2] == 0 && (10..<15).allSatisfy { r.dNegatives.scalars[$0] == 0 })
  }

  @Test func extremeScoresStayFinite() {
    let p = Tensor(shape: [2], scalars: [400, -400])
    let q = Tensor(shape: [2, 2], scalars: [-400, 400, 400, -400])
    for r in [Loss.bprMax(positive: p, negatives: q), Loss.top1Max(positive: p, negatives: q)] {
      #expect(r.loss.isFinite)
      #expect(
        r.dPositive.scalars.allSatisfy { $0.isFinite } && r.dNegatives.scalars.allSatisfy { $0.isFinite })
    }
  }

  @Test func twoStackedGRUs() {
    let check = GradientCheck()
    var rng = SeededGenerator(seed: 21)
    let g1 = GRU(inputs: 3, hidden: 4, using: &rng)
    let g2 = GRU(inputs: 4, hidden: 4, using: &rng)
    let lengths = [3, 1, 2]
    var x = randomTensor([3, 3, 3], seed: 22)
    let dOut = randomTensor([3, 3, 4], seed: 23)
    let loss: (Tensor) -> Double = { x in
      weightedSum(g2.forward(g1.forward(x, lengths: lengths).outputs, lengths: lengths).outputs, dOut)
    }
    _ = loss(x)
    let dx = g1.backward(dOutputs: g2.backward(dOutputs: dOut, dLast: nil), dLast: nil)
    for p in g1.parameters + g2.parameters { #expect(check.check(p) { loss(x) } <= 1e-2) }
    #expect(check.check(input: &x, dx: dx, loss: loss) <= 1e-2)
  }

  @Test func caserHeightFourWithReLU() {
    let check = GradientCheck()
    var rng = SeededGenerator(seed: 34)
    let conv = HorizontalConvolution(height: 4, dim: 4, filters: 3, using: &rng)
    let act = ReLU()
    let pool = MaxPoolOverTime()
    var x = randomTensor([2, 5, 4], seed: 44)
    let dOut = randomTensor([2, 3], seed: 45)
    let loss: (Tensor) -> Double = { weightedSum(pool.forward(act.forward(conv.forward($0))), dOut) }
    _ = loss(x)
    let dx = conv.backward(act.backward(pool.backward(dOut)))
    #expect(check.check(conv.weight) { loss(x) } <= 1e-2)
    #expect(check.check(input: &x, dx: dx, loss: loss) <= 1e-2)
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
