import Foundation
import Testing

@testable import RecData

/// Relative difference, with `b` as the reference.
private func relativeError(_ a: Double, _ b: Double) -> Double {
  abs(a - b) / max(abs(b), .leastNormalMagnitude)
}

@Test func expKnownValues() {
  #expect(PortableMath.exp(0) == 1)
  #expect(relativeError(PortableMath.exp(1), 2.718_281_828_459_045_235) < 1e-14)
  #expect(relativeError(PortableMath.exp(-1), 0.367_879_441_171_442_321_6) < 1e-14)
  #expect(relativeError(PortableMath.exp(10 * PortableMath.ln2), 1_024) < 1e-14)
  // Exactly representable powers of two come out within an ulp or two.
  #expect(relativeError(PortableMath.exp(-20 * PortableMath.ln2), 1.0 / 1_048_576) < 1e-14)
}

@Test(arguments: stride(from: -50.0, through: 50.0, by: 0.37).map { $0 })
func expMatchesTheCLibrary(x: Double) {
  #expect(relativeError(PortableMath.exp(x), Foundation.exp(x)) < 1e-13)
}

@Test func expAtTheEdges() {
  #expect(PortableMath.exp(.nan).isNaN)
  #expect(PortableMath.exp(-1_000) == PortableMath.exp(-700))  // clamped, still a positive normal number
  #expect(PortableMath.exp(-700) > 0 && PortableMath.exp(-700).isNormal)
  #expect(PortableMath.exp(1_000).isFinite)
  #expect(relativeError(PortableMath.exp(700), Foundation.exp(700)) < 1e-13)
}

@Test func logKnownValues() {
  #expect(PortableMath.log(1) == 0)
  #expect(relativeError(PortableMath.log(2), 0.693_147_180_559_945_309_4) < 1e-15)
  #expect(relativeError(PortableMath.log(10), 2.302_585_092_994_045_684) < 1e-15)
  #expect(relativeError(PortableMath.log(0.5), -0.693_147_180_559_945_309_4) < 1e-15)
  #expect(PortableMath.log(0) == -.infinity)
  #expect(PortableMath.log(-1).isNaN)
  #expect(PortableMath.log(.nan).isNaN)
  #expect(PortableMath.log(.infinity) == .infinity)
}

@Test(arguments: [1e-300, 1e-12, 0.001, 0.3, 0.7071, 0.9999, 1.0001, 1.4142, 1.5, 3, 7.5, 1e6, 1e300])
func logMatchesTheCLibraryAndInvertsExp(x: Double) {
  #expect(relativeError(PortableMath.log(x), Foundation.log(x)) < 1e-14)
  if abs(Foundation.log(x)) < 700 {
    #expect(relativeError(PortableMath.exp(PortableMath.log(x)), x) < 1e-12)
  }
}

@Test func gaussianHasMeanZeroAndVarianceOne() {
  var g = SeededGenerator(seed: 7)
  let n = 100_000
  var sum = 0.0
  var squares = 0.0
  var beyond2 = 0
  for _ in 0..<n {
    let z = PortableMath.gaussian(&g)
    sum += z
    squares += z * z
    if abs(z) > 2 { beyond2 += 1 }
  }
  let mean = sum / Double(n)
  let variance = squares / Double(n) - mean * mean
  // Standard errors: 1/sqrt(n) = 0.0032 for the mean, sqrt(2/n) = 0.0045 for the variance.
  #expect(abs(mean) < 0.015)
  #expect(abs(variance - 1) < 0.02)
  // P(|Z| > 2) = 0.0455.
  #expect(abs(Double(beyond2) / Double(n) - 0.0455) < 0.003)
}

@Test func gaussianIsReproducible() {
  var a = SeededGenerator(seed: 3)
  var b = SeededGenerator(seed: 3)
  for _ in 0..<1_000 { #expect(PortableMath.gaussian(&a) == PortableMath.gaussian(&b)) }
}
