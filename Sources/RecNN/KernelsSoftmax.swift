/// Row-wise softmax cross-entropy kernel (fixed chunks of rows), beside a plain reference.
extension Kernels {
  /// For each row `r` with `targets[r] != ignoreIndex`: `chunkLoss[c] += logsumexp(x_r) - x_r[t]`
  /// and `dLogits_r = scale * (softmax(x_r) - onehot(t))`; ignored rows get zeros. Every element
  /// of `dLogits` is written, so it may start uninitialised; it may also be `logits` itself
  /// (each row is read before it is written).
  /// Shapes: `logits`, `dLogits: (rows, classes)`, `chunkLoss: (chunks)`.
  ///
  /// Three passes over each row (max, exp and sum, scale) while the row is in L1 (1682 classes
  /// are 6.7 KB), eight lanes at a time with `vexp`. Rows are split into `chunks` fixed chunks
  /// (a function of the shape, not of the thread count), so results do not depend on threads.
  /// - Complexity: `rows * classes` exponentials.
  static func softmaxCrossEntropyRows(
    logits: UnsafePointer<Float>, classes: Int, targets: [Int], ignoreIndex: Int, scale: Float,
    chunks: Int, dLogits: UnsafeMutablePointer<Float>, chunkLoss: UnsafeMutablePointer<Double>
  ) {
    let rows = targets.count
    for t in targets where t != ignoreIndex {
      precondition(t >= 0 && t < classes, "target \(t) of \(classes)")
    }
    let ptrs = UncheckedBox((logits, dLogits, chunkLoss))
    let vecs = classes / 8
    let tail = classes - vecs &* 8
    Parallel.forEachChunk(chunks) { c in
      let (x, d, l) = ptrs.value
      var total = 0.0
      for r in Parallel.range(ofChunk: c, of: chunks, count: rows) {
        let xr = x + r &* classes
        let dr = d + r &* classes
        let t = targets[r]
        if t == ignoreIndex {
          dr.update(repeating: 0, count: classes)
          continue
        }
        let xt = xr[t]
        var m = loadPartial(xr + vecs &* 8, tail, fill: -.infinity)
        for v in 0..<vecs {
          let xv = load8(xr + v &* 8)
          m.replace(with: xv, where: xv .> m)
        }
        let mx = m.max()
        let shift = SIMD8<Float>(repeating: mx)
        var sum = SIMD8<Float>()
        for v in 0..<vecs {
          let e = vexp(load8(xr + v &* 8) - shift)
          store8(e, dr + v &* 8)
          sum += e
        }
        if tail > 0 {
          var e = vexp(loadPartial(xr + vecs &* 8, tail) - shift)
          for i in tail..<8 { e[i] = 0 }
          storePartial(e, dr + vecs &* 8, tail)
          sum += e
        }
        let s = sum.sum()
        let k = SIMD8<Float>(repeating: scale / s)
        for v in 0..<vecs { store8(load8(dr + v &* 8) * k, dr + v &* 8) }
        for j in (vecs &* 8)..<classes { dr[j] *= scale / s }
        dr[t] -= scale
        total += Double(mx) + log(Double(s)) - Double(xt)
      }
      l[c] = total
    }
  }

  /// Reference for `softmaxCrossEntropyRows`: one row at a time with libm's `expf`, one thread.
  static func softmaxCrossEntropyRowsReference(
    logits: [Float], classes: Int, targets: [Int], ignoreIndex: Int, scale: Float
  ) -> (loss: Double, dLogits: [Float]) {
    var d = [Float](repeating: 0, count: logits.count)
    var total = 0.0
    for (r, t) in targets.enumerated() where t != ignoreIndex {
      let row = r * classes
      var mx = -Float.infinity
      for j in 0..<classes { mx = max(mx, logits[row + j]) }
      var s: Float = 0
      for j in 0..<classes {
        d[row + j] = expf(logits[row + j] - mx)
        s += d[row + j]
      }
      for j in 0..<classes { d[row + j] *= scale / s }
      d[row + t] -= scale
      total += Double(mx) + log(Double(s)) - Double(logits[row + t])
    }
    return (total, d)
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
