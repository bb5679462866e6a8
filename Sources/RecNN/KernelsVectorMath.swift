/// Eight-lane `exp`, `sigmoid` and `tanh` for the softmax and GRU kernels.
///
/// Why: libm's `expf` / `tanhf` are scalar calls (about 5-10 ns each); the full-softmax GRU4Rec
/// step evaluates 2.15M exponentials and the GRU 250k gate activations per step, so the calls
/// alone cost more than the matrix products. These are the Cephes single-precision
/// approximations (range reduction plus a short polynomial), within a few ulp of libm
/// (`KernelTests` compares them over the whole useful range), written on `SIMD8<Float>` so that
/// they vectorise without `-target-cpu` flags (two SSE registers per value on the baseline).
extension Kernels {
  /// `exp(x)` lane-wise, relative error below 5e-7 for `x` in `[-87.3, 88]`. Below that range
  /// the result is 0 (flushing libm's denormals, so that a softmax at -800 gives exactly 0),
  /// above it `exp(88)` instead of infinity (callers shift by a maximum or clamp first).
  @inline(__always)
  static func vexp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    // Compare-and-select rather than `clamped` / `pointwiseMin`: those generic calls were not
    // inlined (one call per vector in the profile).
    let lo = SIMD8<Float>(repeating: -87.33654)
    let hi = SIMD8<Float>(repeating: 88)
    let underflow = x .< lo
    var x = x.replacing(with: lo, where: underflow)
    x.replace(with: hi, where: x .> hi)
    // n = round(x / ln 2) by the 1.5 * 2^23 trick: adding it leaves n in the low mantissa bits.
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let t = x * 1.442_695_04 + magic
    let n = t - magic
    // r = x - n ln 2, with ln 2 split in two so that n * hi is exact (Cephes).
    let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
    var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let y = p * r * r + r + 1
    // 2^n: the bits of t are 0x4B40_0000 + n; the exponent field of 2^n is n + 127.
    let bits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- SIMD8(repeating: 0x4B40_0000 - 127)
    return (y * unsafeBitCast(bits &<< SIMD8(repeating: 23), to: SIMD8<Float>.self)).replacing(
      with: 0, where: underflow)
  }

  /// `1 / (1 + exp(-x))` lane-wise; finite and in `[0, 1]` for every finite `x` (the clamp in
  /// `vexp` keeps `exp(-x)` below 1.7e38, so `x = -400` gives about 6e-39, and `x = 400` gives 1).
  @inline(__always)
  static func vsigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
    1 / (1 + vexp(-x))
  }

  /// `tanh(x)` lane-wise (Cephes `tanhf`): an odd polynomial for `|x| < 0.625`, where
  /// `1 - 2 / (exp(2|x|) + 1)` would lose the low bits to cancellation, that form above.
  @inline(__always)
  static func vtanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let negative = x .< 0
    let a = x.replacing(with: -x, where: negative)
    var big = 1 - 2 / (vexp(a + a) + 1)
    big.replace(with: -big, where: negative)
    let z = x * x
    var p = SIMD8<Float>(repeating: -5.704_988_727_45e-3)
    p = p * z + 2.063_908_879_54e-2
    p = p * z - 5.373_971_555_31e-2
    p = p * z + 1.333_144_220_36e-1
    p = p * z - 3.333_328_194_22e-1
    let small = p * z * x + x
    return big.replacing(with: small, where: a .< 0.625)
  }

  /// Lanes `0..<count` from `p`, the others `fill` (tails of rows whose length is not a multiple of 8).
  @inline(__always)
  static func loadPartial(_ p: UnsafePointer<Float>, _ count: Int, fill: Float = 0) -> SIMD8<Float> {
    var v = SIMD8<Float>(repeating: fill)
    for i in 0..<count { v[i] = p[i] }
    return v
  }

  /// Stores lanes `0..<count` of `v` at `p`.
  @inline(__always)
  static func storePartial(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    for i in 0..<count { p[i] = v[i] }
  }

  /// Eight floats from `p` (no alignment required).
  @inline(__always)
  static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }

  /// Stores eight floats at `p` (no alignment required).
  @inline(__always)
  static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
  }
}
