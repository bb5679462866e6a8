/// Vector kernels for matrix-factorisation training (ALS conjugate gradient, BPR and WARP SGD):
/// dot products, `y += a x`, and a dense symmetric matrix times a vector, each beside its
/// plain reference.
///
/// Why pointers and `@inlinable`: the models call these once per interaction and per CG step
/// (about 10^7 calls per fit at ML-1M scale) on rows of 64-128 floats, where a non-inlined call
/// across the module boundary costs as much as the work. Eight-lane `SIMD8` loads make the
/// vector width explicit (a scalar loop is not vectorised under `-O`, PLATFORM.md); a scalar tail
/// handles lengths that are not a multiple of 8. The summation order is fixed by `count`
/// alone, so results never depend on the thread a row runs on.
extension Kernels {
  /// `x . y` over `count` floats.
  /// - Complexity: `2 count` flops.
  @inlinable @inline(__always)
  public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
    let rx = UnsafeRawPointer(x)
    let ry = UnsafeRawPointer(y)
    let vecs = count / 8
    // Two accumulators hide the add latency.
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var v = 0
    while v &+ 1 < vecs {
      let o = v &* 32
      a0 +=
        rx.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
        * ry.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
      a1 +=
        rx.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self)
        * ry.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self)
      v &+= 2
    }
    if v < vecs {
      let o = v &* 32
      a0 +=
        rx.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
        * ry.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
    }
    var s = (a0 + a1).sum()
    var j = vecs &* 8
    while j < count {
      s += x[j] * y[j]
      j &+= 1
    }
    return s
  }

  /// `y += a * x` over `count` floats.
  @inlinable @inline(__always)
  public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int)
  {
    let rx = UnsafeRawPointer(x)
    let ry = UnsafeMutableRawPointer(y)
    let av = SIMD8<Float>(repeating: a)
    let vecs = count / 8
    var v = 0
    while v < vecs {
      let o = v &* 32
      let r =
        ry.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + av
        * rx.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
      ry.storeBytes(of: r, toByteOffset: o, as: SIMD8<Float>.self)
      v &+= 1
    }
    var j = vecs &* 8
    while j < count {
      y[j] += a * x[j]
      j &+= 1
    }
  }

  /// `y = m x` for a dense `m: (n, n)` stored in full (symmetric in use: ALS's Gram matrix
  /// `YtY + lambda I`), row-major.
  ///
  /// Computed as `sum_j x[j] * m[j, :]` (rows of a symmetric matrix are its columns), four
  /// 8-lane accumulators per block of 32 outputs so they stay in registers while the loop
  /// streams `m` (16 KiB at n = 64, L1-resident).
  /// - Complexity: `2 n^2` flops.
  @inlinable
  public static func symmetricMatVec(
    _ m: UnsafePointer<Float>, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count n: Int
  ) {
    let rm = UnsafeRawPointer(m)
    let ry = UnsafeMutableRawPointer(y)
    let vecs = n / 8
    var b = 0
    while b &+ 4 <= vecs {
      var a0 = SIMD8<Float>()
      var a1 = SIMD8<Float>()
      var a2 = SIMD8<Float>()
      var a3 = SIMD8<Float>()
      var j = 0
      while j < n {
        let xj = SIMD8<Float>(repeating: x[j])
        let o = (j &* n &+ b &* 8) &* 4
        a0 += xj * rm.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
        a1 += xj * rm.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self)
        a2 += xj * rm.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD8<Float>.self)
        a3 += xj * rm.loadUnaligned(fromByteOffset: o &+ 96, as: SIMD8<Float>.self)
        j &+= 1
      }
      ry.storeBytes(of: a0, toByteOffset: b &* 32, as: SIMD8<Float>.self)
      ry.storeBytes(of: a1, toByteOffset: b &* 32 &+ 32, as: SIMD8<Float>.self)
      ry.storeBytes(of: a2, toByteOffset: b &* 32 &+ 64, as: SIMD8<Float>.self)
      ry.storeBytes(of: a3, toByteOffset: b &* 32 &+ 96, as: SIMD8<Float>.self)
      b &+= 4
    }
    while b < vecs {
      var a0 = SIMD8<Float>()
      var j = 0
      while j < n {
        a0 +=
          SIMD8<Float>(repeating: x[j])
          * rm.loadUnaligned(fromByteOffset: (j &* n &+ b &* 8) &* 4, as: SIMD8<Float>.self)
        j &+= 1
      }
      ry.storeBytes(of: a0, toByteOffset: b &* 32, as: SIMD8<Float>.self)
      b &+= 1
    }
    var i = vecs &* 8
    while i < n {
      var s: Float = 0
      var j = 0
      while j < n {
        s += x[j] * m[j &* n &+ i]
        j &+= 1
      }
      y[i] = s
      i &+= 1
    }
  }

  /// Reference for `dot`: a plain loop with a Double accumulator.
  public static func dotReference(_ x: [Float], _ y: [Float]) -> Float {
    var s = 0.0
    for j in 0..<x.count { s += Double(x[j]) * Double(y[j]) }
    return Float(s)
  }

  /// Reference for `axpy`.
  public static func axpyReference(_ a: Float, _ x: [Float], _ y: inout [Float]) {
    for j in 0..<x.count { y[j] += a * x[j] }
  }

  /// Reference for `symmetricMatVec`: `y[i] = sum_j m[i, j] x[j]` in Double.
  public static func symmetricMatVecReference(_ m: [Float], _ x: [Float], count n: Int) -> [Float] {
    (0..<n).map { i in
      var s = 0.0
      for j in 0..<n { s += Double(m[i * n + j]) * Double(x[j]) }
      return Float(s)
    }
  }
}
