/// Hand-written SIMD kernels where measurement showed they beat BLAS or plain loops, each
/// beside the plain reference the tests compare it with on odd shapes.
///
/// Why SIMD types: under `-O` a scalar loop over `i * n + j` keeps its overflow checks and is
/// not vectorised (PLATFORM.md); `SIMD8<Float>` loads make the vector width explicit. Eight
/// lanes match one AVX2 register.
extension Kernels {
  /// Reference for `scoreRows`: a plain loop with a Double accumulator.
  public static func scoreRowsReference(
    table: [Float], rows: Int, dim: Int, query: [Float], into out: inout [Float]
  ) {
    for r in 0..<rows {
      var s = 0.0
      for j in 0..<dim { s += Double(table[r * dim + j]) * Double(query[j]) }
      out[r] = Float(s)
    }
  }

  /// Copies rows `indices[i]` of `table: (_, dim)` into row `i` of `out: (indices.count, dim)`.
  public static func gatherRows(table: [Float], dim: Int, indices: [Int], into out: inout [Float]) {
    precondition(out.count >= indices.count * dim)
    let tableRows = dim == 0 ? 0 : table.count / dim
    table.withUnsafeBufferPointer { t in
      out.withUnsafeMutableBufferPointer { o in
        for (i, r) in indices.enumerated() {
          precondition(r >= 0 && r < tableRows, "row \(r) outside table of \(tableRows) rows")
          (o.baseAddress! + i &* dim).update(from: t.baseAddress! + r &* dim, count: dim)
        }
      }
    }
  }

  /// Reference for `gatherRows`.
  public static func gatherRowsReference(table: [Float], dim: Int, indices: [Int], into out: inout [Float]) {
    for (i, r) in indices.enumerated() {
      for j in 0..<dim { out[i * dim + j] = table[r * dim + j] }
    }
  }

  /// Sets every row of `out: (rows, row.count)` to `row` (a bias broadcast before a `beta = 1` sgemm).
  ///
  /// Why not a loop over `out[r * n + j] = bias.value.scalars[j]`: when the bias lives in a class
  /// (`Parameter`), each element read pays a dynamic exclusivity check; at GRU4Rec's
  /// `1280 x 1682` logits that loop cost more than the sgemm after it.
  public static func fillRows(_ out: inout [Float], rows: Int, with row: [Float]) {
    let n = row.count
    precondition(out.count >= rows * n)
    guard n > 0 else { return }
    row.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        for r in 0..<rows { (dst.baseAddress! + r &* n).update(from: src.baseAddress!, count: n) }
      }
    }
  }

  /// Reference for `fillRows`.
  public static func fillRowsReference(_ out: inout [Float], rows: Int, with row: [Float]) {
    for r in 0..<rows {
      for j in 0..<row.count { out[r * row.count + j] = row[j] }
    }
  }

  /// `sums[j] += x[0, j] + x[1, j] + ... + x[rows - 1, j]` for `x: (rows, columns)` (bias gradients).
  ///
  /// Rows are added in order into each column, eight columns at a time, so the result is the
  /// same as the plain loop's and never depends on the thread count.
  /// - Complexity: `rows * columns` additions, one pass over `x`.
  public static func addColumnSums(
    of x: [Float], rows: Int, columns: Int, into sums: inout [Float], at offset: Int = 0
  ) {
    precondition(x.count >= rows * columns && offset >= 0 && sums.count >= offset + columns)
    let vecs = columns / 8
    x.withUnsafeBufferPointer { xb in
      sums.withUnsafeMutableBufferPointer { sb in
        guard let xp = xb.baseAddress, let base = sb.baseAddress else { return }
        let sp = base + offset
        // Row by row: `sums` (one row, L1-resident) is read and written once per row of `x`.
        for r in 0..<rows {
          let row = xp + r &* columns
          for v in 0..<vecs { store8(load8(sp + v &* 8) + load8(row + v &* 8), sp + v &* 8) }
          for j in (vecs &* 8)..<columns { sp[j] += row[j] }
        }
      }
    }
  }

  /// Reference for `addColumnSums`.
  public static func addColumnSumsReference(of x: [Float], rows: Int, columns: Int, into sums: inout [Float])
  {
    for r in 0..<rows {
      for j in 0..<columns { sums[j] += x[r * columns + j] }
    }
  }

  /// Adds `x: (rows, dim)` row `i` into row `indices[i]` of `table` (an embedding's gradient
  /// scatter), in order of `i`, so repeated indices add in a fixed order.
  public static func scatterAddRows(
    _ x: [Float], dim: Int, indices: [Int], skip: Int?, into table: inout [Float]
  ) {
    precondition(x.count >= indices.count * dim)
    let tableRows = dim == 0 ? 0 : table.count / dim
    let vecs = dim / 8
    x.withUnsafeBufferPointer { xb in
      table.withUnsafeMutableBufferPointer { tb in
        guard let xp = xb.baseAddress, let tp = tb.baseAddress else { return }
        for (i, r) in indices.enumerated() where r != skip {
          precondition(r >= 0 && r < tableRows, "row \(r) outside table of \(tableRows) rows")
          let src = xp + i &* dim
          let dst = tp + r &* dim
          for v in 0..<vecs { store8(load8(dst + v &* 8) + load8(src + v &* 8), dst + v &* 8) }
          for j in (vecs &* 8)..<dim { dst[j] += src[j] }
        }
      }
    }
  }

  /// Reference for `scatterAddRows`.
  public static func scatterAddRowsReference(
    _ x: [Float], dim: Int, indices: [Int], skip: Int?, into table: inout [Float]
  ) {
    for (i, r) in indices.enumerated() where r != skip {
      for j in 0..<dim { table[r * dim + j] += x[i * dim + j] }
    }
  }

  /// `c[k] = a[k] * b[k]` for `k < count` (GMF's element-wise product and its gradients).
  public static func multiply(_ a: [Float], _ b: [Float], into c: inout [Float], count: Int) {
    zipMap(a, b, into: &c, count: count, { $0 * $1 }, { $0 * $1 })
  }

  /// `c[k] = f(a[k], b[k])` for `k < count`, eight lanes at a time (`vector`) and the tail one
  /// by one (`scalar`, which must compute the same per lane).
  @inline(__always)
  static func zipMap(
    _ a: [Float], _ b: [Float], into c: inout [Float], count: Int,
    _ vector: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>, _ scalar: (Float, Float) -> Float
  ) {
    precondition(count >= 0 && a.count >= count && b.count >= count && c.count >= count)
    guard count > 0 else { return }
    a.withUnsafeBufferPointer { ab in
      b.withUnsafeBufferPointer { bb in
        c.withUnsafeMutableBufferPointer { cb in
          let (x, y, z) = (ab.baseAddress!, bb.baseAddress!, cb.baseAddress!)
          var k = 0
          while k &+ 8 <= count {
            store8(vector(load8(x + k), load8(y + k)), z + k)
            k &+= 8
          }
          while k < count {
            z[k] = scalar(x[k], y[k])
            k &+= 1
          }
        }
      }
    }
  }

  /// Reference for `multiply`.
  public static func multiplyReference(_ a: [Float], _ b: [Float], into c: inout [Float], count: Int) {
    for k in 0..<count { c[k] = a[k] * b[k] }
  }

  /// `y[k] = max(x[k], 0)` for `k < count` (NaN stays NaN, as `max` leaves it).
  public static func relu(_ x: [Float], into y: inout [Float], count: Int) {
    precondition(count >= 0 && x.count >= count && y.count >= count)
    guard count > 0 else { return }
    x.withUnsafeBufferPointer { xb in
      y.withUnsafeMutableBufferPointer { yb in
        let (xp, yp) = (xb.baseAddress!, yb.baseAddress!)
        var k = 0
        while k &+ 8 <= count {
          let v = load8(xp + k)
          store8(v.replacing(with: 0, where: v .< 0), yp + k)
          k &+= 8
        }
        while k < count {
          yp[k] = max(xp[k], 0)
          k &+= 1
        }
      }
    }
  }

  /// Reference for `relu`.
  public static func reluReference(_ x: [Float], into y: inout [Float], count: Int) {
    for k in 0..<count { y[k] = max(x[k], 0) }
  }

  /// `dx[k] = z[k] > 0 ? dy[k] : 0` for `k < count`: ReLU's backward from its input `z`
  /// (derivative 0 at 0, as PyTorch).
  public static func reluBackward(_ dy: [Float], input z: [Float], into dx: inout [Float], count: Int) {
    zipMap(
      dy, z, into: &dx, count: count, { d, z in d.replacing(with: 0, where: .!(z .> 0)) }, { $1 > 0 ? $0 : 0 }
    )
  }

  /// Reference for `reluBackward`.
  public static func reluBackwardReference(
    _ dy: [Float], input z: [Float], into dx: inout [Float], count: Int
  ) {
    for k in 0..<count { dx[k] = z[k] > 0 ? dy[k] : 0 }
  }

  /// Sets rows `rows` of `x: (_, dim)` to zero (clearing a row-sparse gradient).
  public static func zeroRows(_ x: inout [Float], rows: [Int], dim: Int) {
    guard dim > 0 else { return }
    let tableRows = x.count / dim
    x.withUnsafeMutableBufferPointer { xb in
      for r in rows {
        precondition(r >= 0 && r < tableRows, "row \(r) outside table of \(tableRows) rows")
        (xb.baseAddress! + r &* dim).update(repeating: 0, count: dim)
      }
    }
  }

  /// One fused Adam step over `range` of a parameter (PyTorch's formulation):
  ///
  ///     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
  ///     p -= stepSize * m / (sqrt(v) * invSqrtBC2 + eps)
  ///
  /// with `stepSize = lr / (1 - b1^t)` and `invSqrtBC2 = 1 / sqrt(1 - b2^t)`. `g` already
  /// holds any L2 term. Fusing the four passes into one keeps the arrays in cache.
  static func adamUpdate(
    p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
    v: UnsafeMutablePointer<Float>, count: Int, stepSize: Float, beta1: Float, beta2: Float,
    invSqrtBC2: Float, eps: Float
  ) {
    // Four lanes: without AVX (the baseline x86-64 target) a SIMD8 is two SSE registers, and
    // the seven broadcast constants of an 8-lane loop spilled to the stack on every iteration.
    let vecs = count / 4
    let b1 = SIMD4<Float>(repeating: beta1)
    let b2 = SIMD4<Float>(repeating: beta2)
    let c1 = SIMD4<Float>(repeating: 1 - beta1)
    let c2 = SIMD4<Float>(repeating: 1 - beta2)
    let s = SIMD4<Float>(repeating: stepSize)
    let ib = SIMD4<Float>(repeating: invSqrtBC2)
    let e = SIMD4<Float>(repeating: eps)
    let rp = UnsafeMutableRawPointer(p)
    let rg = UnsafeRawPointer(g)
    let rm = UnsafeMutableRawPointer(m)
    let rv = UnsafeMutableRawPointer(v)
    var i = 0
    while i < vecs {
      let o = i &* 16
      let gi = rg.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
      let mi = b1 * rm.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self) + c1 * gi
      let vi = b2 * rv.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self) + c2 * gi * gi
      rm.storeBytes(of: mi, toByteOffset: o, as: SIMD4<Float>.self)
      rv.storeBytes(of: vi, toByteOffset: o, as: SIMD4<Float>.self)
      let pi = rp.loadUnaligned(fromByteOffset: o, as: SIMD4<Float>.self)
      rp.storeBytes(of: pi - s * mi / (vi.squareRoot() * ib + e), toByteOffset: o, as: SIMD4<Float>.self)
      i &+= 1
    }
    var j = vecs &* 4
    while j < count {
      adamScalar(&p[j], g[j], &m[j], &v[j], stepSize, beta1, beta2, invSqrtBC2, eps)
      j &+= 1
    }
  }

  @inline(__always)
  static func adamScalar(
    _ p: inout Float, _ g: Float, _ m: inout Float, _ v: inout Float, _ stepSize: Float, _ beta1: Float,
    _ beta2: Float, _ invSqrtBC2: Float, _ eps: Float
  ) {
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    p -= stepSize * m / (v.squareRoot() * invSqrtBC2 + eps)
  }

  /// Reference for `adamUpdate` over whole arrays: the textbook bias-corrected form in Double.
  public static func adamUpdateReference(
    p: inout [Float], g: [Float], m: inout [Float], v: inout [Float], lr: Float, beta1: Float,
    beta2: Float, eps: Float, step t: Int
  ) {
    let bc1 = 1 - Foundation_pow(Double(beta1), t)
    let bc2 = 1 - Foundation_pow(Double(beta2), t)
    for i in 0..<p.count {
      let mi = Double(beta1) * Double(m[i]) + (1 - Double(beta1)) * Double(g[i])
      let vi = Double(beta2) * Double(v[i]) + (1 - Double(beta2)) * Double(g[i]) * Double(g[i])
      m[i] = Float(mi)
      v[i] = Float(vi)
      p[i] = Float(Double(p[i]) - Double(lr) * (mi / bc1) / ((vi / bc2).squareRoot() + Double(eps)))
    }
  }

  /// Array-level fused Adam over the whole parameter (SIMD; split into fixed chunks).
  public static func adamUpdate(
    p: inout [Float], g: [Float], m: inout [Float], v: inout [Float], stepSize: Float, beta1: Float,
    beta2: Float, invSqrtBC2: Float, eps: Float
  ) {
    let n = p.count
    precondition(g.count == n && m.count == n && v.count == n)
    let chunks = Parallel.chunkCount(work: n, grain: 1 << 16)
    p.withUnsafeMutableBufferPointer { pp in
      g.withUnsafeBufferPointer { gp in
        m.withUnsafeMutableBufferPointer { mp in
          v.withUnsafeMutableBufferPointer { vp in
            let ptrs = UncheckedBox((pp.baseAddress!, gp.baseAddress!, mp.baseAddress!, vp.baseAddress!))
            Parallel.forEachChunk(chunks) { c in
              let r = Parallel.range(ofChunk: c, of: chunks, count: n)
              let (p0, g0, m0, v0) = ptrs.value
              adamUpdate(
                p: p0 + r.lowerBound, g: g0 + r.lowerBound, m: m0 + r.lowerBound, v: v0 + r.lowerBound,
                count: r.count, stepSize: stepSize, beta1: beta1, beta2: beta2, invSqrtBC2: invSqrtBC2,
                eps: eps)
            }
          }
        }
      }
    }
  }

  /// Fused Adam over selected rows of a `(rows, dim)` parameter: the lazy (sparse) update.
  public static func adamUpdateRows(
    p: inout [Float], g: [Float], m: inout [Float], v: inout [Float], dim: Int, rows: [Int],
    stepSize: Float, beta1: Float, beta2: Float, invSqrtBC2: Float, eps: Float
  ) {
    p.withUnsafeMutableBufferPointer { pp in
      g.withUnsafeBufferPointer { gp in
        m.withUnsafeMutableBufferPointer { mp in
          v.withUnsafeMutableBufferPointer { vp in
            for r in rows {
              let o = r &* dim
              adamUpdate(
                p: pp.baseAddress! + o, g: gp.baseAddress! + o, m: mp.baseAddress! + o,
                v: vp.baseAddress! + o, count: dim, stepSize: stepSize, beta1: beta1, beta2: beta2,
                invSqrtBC2: invSqrtBC2, eps: eps)
            }
          }
        }
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
  @inline(__always) func Foundation_pow(_ x: Double, _ n: Int) -> Double { Glibc.pow(x, Double(n)) }
#else
  import Darwin
  @inline(__always) func Foundation_pow(_ x: Double, _ n: Int) -> Double { Darwin.pow(x, Double(n)) }
#endif
