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
    Parallel.forEachChunk(chunks) { c in
      let (x, d, l) = ptrs.value
      var total = 0.0
      for r in Parallel.range(ofChunk: c, of: chunks, count: rows) {
        let t = targets[r]
        if t == ignoreIndex {
          (d + r &* classes).update(repeating: 0, count: classes)
        } else {
          total += softmaxCrossEntropyRow(
            x + r &* classes, d + r &* classes, classes: classes, target: t, scale: scale)
        }
      }
      l[c] = total
    }
  }

  /// One row of `softmaxCrossEntropyRows`: writes `scale * (softmax(x) - onehot(target))` to `d`
  /// (which may be `x`) and returns `logsumexp(x) - x[target]`.
  @inline(__always)
  static func softmaxCrossEntropyRow(
    _ xr: UnsafePointer<Float>, _ dr: UnsafeMutablePointer<Float>, classes: Int, target t: Int, scale: Float
  ) -> Double {
    let vecs = classes / 8
    let tail = classes - vecs &* 8
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
    return Double(mx) + log(Double(s)) - Double(xt)
  }

  /// Rows per block of the fused head. At GRU4Rec's shapes 32, 64 and 128 measured within noise
  /// of each other (128 slightly ahead: half as many passes over the partial weight gradient);
  /// a `(128, 1682)` block is 860 KB, well inside the 8 MB L3.
  static let fusedBlockRows = 128

  /// Linear layer, softmax cross-entropy and both backward products, one block of rows at a time,
  /// so that the `(rows, classes)` logits never exist whole (GRU4Rec: 8.6 MB, written and read
  /// back three times, plus as much again for their gradient). Per block of `fusedBlockRows`:
  ///
  ///     L = b + X_blk W^T;  L = scale (softmax(L) - onehot)   (in place, `loss` += per row)
  ///     dX_blk = L W;  dW_c += L^T X_blk;  db_c += colsum L
  ///
  /// Shapes: `x: (rows, inputs)`, `weight: (classes, inputs)`, `bias: (classes)` or nil,
  /// `dx: (rows, inputs)` (written), `dWeight: (classes, inputs)`, `dBias: (classes)` (added to).
  /// Rows are split into `chunks` fixed chunks, each with its own `dW_c`, `db_c` and loss, added
  /// into the outputs in chunk order: the result does not depend on the thread count.
  /// Returns the summed loss over non-ignored rows.
  static func linearSoftmaxCrossEntropy(
    x: [Float], rows: Int, inputs: Int, weight: [Float], bias: [Float]?, classes: Int, targets: [Int],
    ignoreIndex: Int, scale: Float, chunks: Int, dx: inout [Float], dWeight: inout [Float],
    dBias: inout [Float]?
  ) -> Double {
    guard rows > 0, inputs > 0, classes > 0 else { return 0 }
    precondition(x.count >= rows * inputs && weight.count >= classes * inputs && dx.count >= rows * inputs)
    precondition(dWeight.count >= classes * inputs && (bias?.count ?? classes) >= classes)
    precondition((dBias?.count ?? classes) >= classes)
    // Optional arrays as optional pointers: an absent bias is passed as nil.
    let noBias: [Float] = []
    let hasBias = bias != nil
    let hasDBias = dBias != nil
    var dB = dBias ?? []
    dBias = nil  // keep `dB` the only reference, so writing it does not copy
    let total = x.withUnsafeBufferPointer { x in
      weight.withUnsafeBufferPointer { w in
        (bias ?? noBias).withUnsafeBufferPointer { b in
          dx.withUnsafeMutableBufferPointer { dx in
            dWeight.withUnsafeMutableBufferPointer { dW in
              return dB.withUnsafeMutableBufferPointer { dB in
                linearSoftmaxCrossEntropy(
                  x: x.baseAddress!, rows: rows, inputs: inputs, weight: w.baseAddress!,
                  bias: hasBias ? b.baseAddress : nil, classes: classes, targets: targets,
                  ignoreIndex: ignoreIndex, scale: scale, chunks: chunks, dx: dx.baseAddress!,
                  dWeight: dW.baseAddress!, dBias: hasDBias ? dB.baseAddress : nil)
              }
            }
          }
        }
      }
    }
    if hasDBias { dBias = dB }
    return total
  }

  /// Pointer form of `linearSoftmaxCrossEntropy` (all extents positive).
  private static func linearSoftmaxCrossEntropy(
    x: UnsafePointer<Float>, rows: Int, inputs: Int, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?,
    classes: Int, targets: [Int], ignoreIndex: Int, scale: Float, chunks: Int,
    dx: UnsafeMutablePointer<Float>,
    dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>?
  ) -> Double {
    precondition(targets.count == rows)
    for t in targets where t != ignoreIndex {
      precondition(t >= 0 && t < classes, "target \(t) of \(classes)")
    }
    let (C, I) = (classes, inputs)
    let blockRows = fusedBlockRows
    // Per chunk: partial dW (C * I), partial db (C), logits block (blockRows * C).
    let stride = C &* I &+ C &+ blockRows &* C
    var scratch = [Float](repeating: 0, count: chunks * stride)
    var losses = [Double](repeating: 0, count: chunks)
    scratch.withUnsafeMutableBufferPointer { sb in
      losses.withUnsafeMutableBufferPointer { lb in
        let ptrs = UncheckedBox((x, weight, bias, dx, sb.baseAddress!, lb.baseAddress!))
        Parallel.forEachChunk(chunks) { c in
          let (x, w, bias, dx, scratch, loss) = ptrs.value
          let dW = scratch + c &* stride
          let dB = dW + C &* I
          let logits = dB + C
          var total = 0.0
          let range = Parallel.range(ofChunk: c, of: chunks, count: rows)
          var r0 = range.lowerBound
          while r0 < range.upperBound {
            let n = min(blockRows, range.upperBound &- r0)
            let xb = x + r0 &* I
            for r in 0..<n {
              if let bias {
                (logits + r &* C).update(from: bias, count: C)
              } else {
                (logits + r &* C).update(repeating: 0, count: C)
              }
            }
            gemmSerial(
              transA: false, transB: true, m: n, n: C, k: I, a: xb, lda: I, b: w, ldb: I, beta: 1, c: logits,
              ldc: C)
            for r in 0..<n {
              let lr = logits + r &* C
              let t = targets[r0 &+ r]
              if t == ignoreIndex {
                lr.update(repeating: 0, count: C)
              } else {
                total += softmaxCrossEntropyRow(lr, lr, classes: C, target: t, scale: scale)
              }
            }
            gemmSerial(
              transA: false, transB: false, m: n, n: I, k: C, a: logits, lda: C, b: w, ldb: I, beta: 0,
              c: dx + r0 &* I, ldc: I)
            gemmSerial(
              transA: true, transB: false, m: C, n: I, k: n, a: logits, lda: C, b: xb, ldb: I, beta: 1, c: dW,
              ldc: I)
            if dBias != nil {
              let vecs = C / 8
              for r in 0..<n {
                let lr = logits + r &* C
                for v in 0..<vecs { store8(load8(dB + v &* 8) + load8(lr + v &* 8), dB + v &* 8) }
                for j in (vecs &* 8)..<C { dB[j] += lr[j] }
              }
            }
            r0 &+= n
          }
          loss[c] = total
        }
        // Chunk partials into the gradients, in chunk order.
        for c in 0..<chunks {
          let dW = sb.baseAddress! + c &* stride
          for i in 0..<(C &* I) { dWeight[i] += dW[i] }
          if let dBias {
            for j in 0..<C { dBias[j] += dW[C &* I &+ j] }
          }
        }
      }
    }
    return losses.reduce(0, +)
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
