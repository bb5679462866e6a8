/// Row-wise softmax cross-entropy kernel (fixed chunks of rows), beside a plain reference.
extension Kernels {
  /// For each row `r` with `targets[r] != ignoreIndex`: `chunkLoss[c] += logsumexp(x_r) - x_r[t]`
  /// and `dLogits_r = scale * (softmax(x_r) - onehot(t))`; ignored rows get zeros.
  /// Shapes: `logits`, `dLogits: (rows, classes)`, `chunkLoss: (chunks)`.
  static func softmaxCrossEntropyRows(
    logits: [Float], classes: Int, targets: [Int], ignoreIndex: Int, scale: Float, chunks: Int,
    dLogits: inout [Float], chunkLoss: inout [Double]
  ) {
    let rows = targets.count
    for t in targets where t != ignoreIndex {
      precondition(t >= 0 && t < classes, "target \(t) of \(classes)")
    }
    logits.withUnsafeBufferPointer { xb in
      dLogits.withUnsafeMutableBufferPointer { db in
        chunkLoss.withUnsafeMutableBufferPointer { lb in
          let ptrs = UncheckedBox((xb.baseAddress!, db.baseAddress!, lb.baseAddress!))
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
              var mx = -Float.infinity
              for j in 0..<classes { mx = max(mx, xr[j]) }
              var s: Float = 0
              for j in 0..<classes {
                let e = expf(xr[j] - mx)
                dr[j] = e
                s += e
              }
              let invS = scale / s
              for j in 0..<classes { dr[j] *= invS }
              dr[t] -= scale
              total += Double(mx) + log(Double(s)) - Double(xr[t])
            }
            l[c] = total
          }
        }
      }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
