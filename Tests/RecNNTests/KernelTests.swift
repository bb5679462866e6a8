import RecData
import Testing

@testable import RecNN

/// Each fast kernel against its plain reference on odd shapes.
@Suite struct KernelTests {
  @Test(arguments: [(1, 1, 1), (3, 5, 7), (17, 13, 1), (65, 33, 129), (300, 70, 40)])
  func gemmMatchesReference(m: Int, n: Int, k: Int) {
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      let a = randomTensor([m * k + 3], seed: 1).scalars
      let b = randomTensor([k * n + 5], seed: 2).scalars
      var c1 = randomTensor([m * n], seed: 3).scalars
      var c2 = c1
      Kernels.gemm(
        transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5, a: a, aOffset: 3, b: b, bOffset: 5, beta: 1,
        c: &c1)
      Kernels.gemmReference(
        transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5, a: a, aOffset: 3, b: b, bOffset: 5, beta: 1,
        c: &c2)
      let err = zip(c1, c2).map { abs($0 - $1) }.max() ?? 0
      #expect(err < 1e-4 * Float(max(k, 1)).squareRoot(), "ta \(ta) tb \(tb)")
    }
  }

  @Test(arguments: [1, 7, 8, 15, 16, 17, 64, 67])
  func scoreRowsMatchesReference(dim: Int) {
    let rows = 37
    let table = randomTensor([rows * dim], seed: 4).scalars
    let q = randomTensor([dim], seed: 5).scalars
    var o1 = [Float](repeating: 0, count: rows)
    var o2 = o1
    Kernels.scoreRows(table: table, rows: rows, dim: dim, query: q, into: &o1)
    Kernels.scoreRowsReference(table: table, rows: rows, dim: dim, query: q, into: &o2)
    #expect(zip(o1, o2).allSatisfy { abs($0 - $1) < 1e-5 })
  }

  @Test func gatherMatchesReference() {
    let table = randomTensor([11 * 5], seed: 6).scalars
    let idx = [3, 0, 10, 3, 7]
    var o1 = [Float](repeating: 0, count: 25)
    var o2 = o1
    Kernels.gatherRows(table: table, dim: 5, indices: idx, into: &o1)
    Kernels.gatherRowsReference(table: table, dim: 5, indices: idx, into: &o2)
    #expect(o1 == o2)
  }

  @Test(arguments: [1, 9, 131, 200_001])
  func adamKernelMatchesReference(count: Int) {
    var p1 = randomTensor([count], seed: 7).scalars
    let g = randomTensor([count], seed: 8).scalars
    var m1 = randomTensor([count], seed: 9, scale: 0.1).scalars
    var v1 = randomTensor([count], seed: 10, scale: 0.1).scalars.map { abs($0) }
    var (p2, m2, v2) = (p1, m1, v1)
    let t = 3
    let bc1 = 1 - pow(0.9, Double(t))
    let bc2 = 1 - pow(0.999, Double(t))
    Kernels.adamUpdate(
      p: &p1, g: g, m: &m1, v: &v1, stepSize: Float(0.01 / bc1), beta1: 0.9, beta2: 0.999,
      invSqrtBC2: Float(1 / bc2.squareRoot()), eps: 1e-8)
    Kernels.adamUpdateReference(
      p: &p2, g: g, m: &m2, v: &v2, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: t)
    #expect(zip(p1, p2).allSatisfy { abs($0 - $1) < 1e-5 })
    #expect(zip(v1, v2).allSatisfy { abs($0 - $1) < 1e-6 })
  }
}

#if canImport(Glibc)
  import Glibc
#endif
