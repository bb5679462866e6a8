/// Elementary functions computed with IEEE-754 `+ - * /` and `squareRoot()` only, so that
/// they return the same bits on every machine.
///
/// The C library's `exp`, `log` and `cos` are allowed to differ in the last bit between
/// glibc, Apple's libm and musl (none of them promises correct rounding), and a single
/// flipped bit in a sampling weight can change which item a binary search picks, and from
/// there every later draw of a generator. Basic arithmetic and `squareRoot()` are
/// correctly rounded by IEEE-754, and Swift does not contract `a * b + c` into a fused
/// multiply-add, so functions built from them alone are reproducible bit for bit.
/// They are accurate to a few ulps, which is all a data generator needs; they are not a
/// replacement for libm in numerical code.
enum PortableMath {
  static let ln2 = 0.693_147_180_559_945_309_417_232_121_458
  @inline(__always) static var ln2Value: Double { 0.693_147_180_559_945_309_417_232_121_458 }

  /// `e^x`, for `x` in about [-700, 700] (clamped outside, where the result would
  /// under- or overflow anyway).
  ///
  /// Range reduction `x = k ln 2 + r` with `|r| <= ln2 / 2` (about), a degree-11 Taylor
  /// polynomial for `e^r` (relative truncation error below 1e-14 on that interval), then an exact
  /// scaling by `2^k`.
  static func exp(_ x: Double) -> Double {
    if x != x { return x }  // NaN
    // Plain comparisons and truncation instead of min/max/rounded(): this runs millions
    // of times, and generic calls are slow in debug builds.
    var x = x
    if x < -700 { x = -700 }
    if x > 700 { x = 700 }
    let ln2 = PortableMath.ln2Value  // a local constant: a static let costs a call per use in debug builds
    let k = Int(x * (1 / ln2) + (x < 0 ? -0.5 : 0.5))  // nearest integer to x / ln2
    let r = x - Double(k) * ln2
    // Horner form of sum r^n / n!, n = 0...11, unrolled.
    var p = r * (1.0 / 39_916_800) + 1.0 / 3_628_800
    p = p * r + 1.0 / 362_880
    p = p * r + 1.0 / 40_320
    p = p * r + 1.0 / 5_040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // 2^k built from its bit pattern (exact; |k| <= 1010 keeps it a normal number).
    return p * Double(bitPattern: UInt64(1023 + k) << 52)
  }

  /// The natural logarithm of `x > 0` (`-inf` at 0, NaN below).
  ///
  /// Splits `x = m 2^e` exactly with `m` in [1/sqrt2, sqrt2), then
  /// `log m = 2 atanh(s)` with `s = (m - 1) / (m + 1)`, `|s| <= 0.172`, summed to `s^23`
  /// (truncation error below 1e-19).
  static func log(_ x: Double) -> Double {
    if x.isNaN || x < 0 { return .nan }
    if x == 0 { return -.infinity }
    if x == .infinity { return x }
    var e = Int(x.exponent)
    var m = x.significand  // in [1, 2), exact
    if m > 1.414_213_562_373_095 {
      m /= 2
      e += 1
    }
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    // Horner form of sum s^(2n) / (2n + 1), n = 0...11, unrolled.
    var p = s2 * (1.0 / 23) + 1.0 / 21
    p = p * s2 + 1.0 / 19
    p = p * s2 + 1.0 / 17
    p = p * s2 + 1.0 / 15
    p = p * s2 + 1.0 / 13
    p = p * s2 + 1.0 / 11
    p = p * s2 + 1.0 / 9
    p = p * s2 + 1.0 / 7
    p = p * s2 + 1.0 / 5
    p = p * s2 + 1.0 / 3
    p = p * s2 + 1
    return 2 * s * p + Double(e) * ln2
  }

  /// A standard normal draw by Marsaglia's polar method (needs only `log` and
  /// `squareRoot`, unlike Box-Muller's `cos`); the second value of the pair is discarded.
  static func gaussian(_ g: inout SeededGenerator) -> Double {
    while true {
      let u = 2 * g.nextDouble() - 1
      let v = 2 * g.nextDouble() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        return u * (-2 * log(s) / s).squareRoot()
      }
    }
  }
}
