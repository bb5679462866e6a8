import COpenBLAS

/// Dense kernels: matrix products through OpenBLAS, each with a plain reference beside it.
///
/// Matrices are row-major. `gemm` computes `C = alpha * op(A) * op(B) + beta * C` where
/// `op(A): (m, k)`, `op(B): (k, n)`, `C: (m, n)`; `transA` means `A` is stored `(k, m)`.
/// Offsets and leading dimensions let a caller work on a block of a larger array (one time
/// step of a sequence, a chunk of rows) without copying it out.
public enum Kernels {
  /// `C = alpha * op(A) op(B) + beta * C` through `cblas_sgemm`, rows of `C` split into fixed chunks.
  ///
  /// Splitting the rows of `C` needs no reduction (each element is one dot product over `k`),
  /// so the result does not depend on `Parallel.threads`.
  /// - Complexity: `2 m n k` flops.
  public static func gemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: [Float], aOffset: Int = 0, lda: Int? = nil,
    b: [Float], bOffset: Int = 0, ldb: Int? = nil,
    beta: Float, c: inout [Float], cOffset: Int = 0, ldc: Int? = nil
  ) {
    guard m > 0, n > 0 else { return }
    _ = Parallel.blasSetup
    let lda = lda ?? (transA ? m : k)
    let ldb = ldb ?? (transB ? k : n)
    let ldc = ldc ?? n
    precondition(a.count >= aOffset + (transA ? (k - 1) * lda + m : (m - 1) * lda + k) || k == 0)
    precondition(b.count >= bOffset + (transB ? (n - 1) * ldb + k : (k - 1) * ldb + n) || k == 0)
    precondition(c.count >= cOffset + (m - 1) * ldc + n)
    // Two chunks only when each holds at least ~2 MFLOP (~80 us): below that the fork-join (10-20 us
    // on a quiet machine, far more when the other core is busy) ate the gain; NeuMF's 256 x 64 x 32
    // products measured faster on one thread.
    let chunks = Parallel.chunkCount(work: m * n * max(k, 1), grain: 1 << 20) == 2 && m >= 8 ? 2 : 1
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          let pa = UncheckedBox(pa.baseAddress! + aOffset)
          let pb = UncheckedBox(pb.baseAddress! + bOffset)
          let pc = UncheckedBox(pc.baseAddress! + cOffset)
          Parallel.forEachChunk(chunks) { chunk in
            let rows = Parallel.range(ofChunk: chunk, of: chunks, count: m)
            guard !rows.isEmpty else { return }
            let aStart = pa.value + (transA ? rows.lowerBound : rows.lowerBound * lda)
            cblas_sgemm(
              CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
              Int32(rows.count), Int32(n), Int32(k), alpha, aStart, Int32(lda), pb.value, Int32(ldb),
              beta, pc.value + rows.lowerBound * ldc, Int32(ldc))
          }
        }
      }
    }
  }

  /// Scores every row of `table: (rows, dim)` against `query: (dim)`: `out[r] = table[r] . query`
  /// (one user against the catalogue), through `cblas_sgemv` on the calling thread.
  ///
  /// Why sgemv and not a Swift SIMD loop: OpenBLAS picks its kernel for the CPU at run time
  /// (AVX2 and FMA here), which Swift code built for baseline x86-64 cannot use. Measured
  /// (`recbook-bench nn --only gemm`): 3,706 x 64 in 39 us against 60 us for a two-accumulator
  /// `SIMD8` loop, 1,682 x 64 in 20 us against 27 us. Unlike sgemm, sgemv does not pack its
  /// operands, so it wins even for one row.
  /// - Complexity: `2 rows dim` flops, memory bound on the table.
  public static func scoreRows(table: [Float], rows: Int, dim: Int, query: [Float], into out: inout [Float]) {
    precondition(table.count >= rows * dim && query.count >= dim && out.count >= rows)
    guard rows > 0 else { return }
    guard dim > 0 else {
      for r in 0..<rows { out[r] = 0 }
      return
    }
    _ = Parallel.blasSetup
    table.withUnsafeBufferPointer { t in
      query.withUnsafeBufferPointer { q in
        out.withUnsafeMutableBufferPointer { o in
          cblas_sgemv(
            CblasRowMajor, CblasNoTrans, Int32(rows), Int32(dim), 1, t.baseAddress!, Int32(dim),
            q.baseAddress!,
            1, 0, o.baseAddress!, 1)
        }
      }
    }
  }

  /// `C = alpha * op(A) op(B) + beta * C` on raw pointers, on the calling thread: for kernels that
  /// already run inside a `Parallel` chunk (nesting `gemm`'s own split would oversubscribe).
  static func gemmSerial(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    _ = Parallel.blasSetup
    cblas_sgemm(
      CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, Int32(m),
      Int32(n),
      Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// Plain triple loop with a Double accumulator: the reference `gemm` is tested against.
  public static func gemmReference(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: [Float], aOffset: Int = 0, lda: Int? = nil,
    b: [Float], bOffset: Int = 0, ldb: Int? = nil,
    beta: Float, c: inout [Float], cOffset: Int = 0, ldc: Int? = nil
  ) {
    let lda = lda ?? (transA ? m : k)
    let ldb = ldb ?? (transB ? k : n)
    let ldc = ldc ?? n
    for i in 0..<m {
      for j in 0..<n {
        var s = 0.0
        for p in 0..<k {
          let x = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p]
          let y = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j]
          s += Double(x) * Double(y)
        }
        let o = cOffset + i * ldc + j
        c[o] = Float(Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(c[o])))
      }
    }
  }
}
