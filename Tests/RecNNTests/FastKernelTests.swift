import RecData
import Testing

@testable import RecNN

/// The SIMD math, softmax, row and GRU kernels against their plain references on odd shapes
/// (lengths that are not multiples of 8 exercise the tails), and 1-vs-2-thread determinism of
/// a whole GRU4Rec-like step.
@Suite struct FastKernelTests {
  /// `vexp`, `vsigmoid`, `vtanh` against libm on a dense grid, including the tails of each range.
  @Test func vectorMathMatchesLibm() {
    var worstExp: Float = 0
    var worstSigmoid: Float = 0
    var worstTanh: Float = 0
    var x: Float = -87
    while x < 88 {
      let v = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0013 })
      let (e, s, t) = (Kernels.vexp(v), Kernels.vsigmoid(v), Kernels.vtanh(v))
      for i in 0..<8 {
        worstExp = max(worstExp, abs(e[i] - expf(v[i])) / expf(v[i]))
        worstSigmoid = max(worstSigmoid, abs(s[i] - sigmoid(v[i])))
        // Relative to max(|tanh|, 1e-3): the small-|x| branch keeps relative accuracy near 0.
        worstTanh = max(worstTanh, abs(t[i] - tanhf(v[i])) / max(abs(tanhf(v[i])), 1e-3))
      }
      x += abs(x) < 2 ? 0.0173 : 0.731
    }
    #expect(worstExp < 5e-7, "exp relative error \(worstExp)")
    #expect(worstSigmoid < 2e-7, "sigmoid absolute error \(worstSigmoid)")
    #expect(worstTanh < 5e-7, "tanh relative error \(worstTanh)")
    // Tiny arguments: tanh(x) = x to float precision, not x rounded through 1 - 2 / (e + 1).
    let tiny = Kernels.vtanh(SIMD8(repeating: 1e-5))
    #expect(abs(tiny[0] - 1e-5) < 1e-11)
  }

  /// Extremes stay finite and saturate: exp(-400) ~ 0, sigmoid(+-400) in {0, 1}, tanh(+-400) = +-1.
  @Test func vectorMathExtremes() {
    let v = SIMD8<Float>(-400, -100, -87, 0, 88, 100, 400, 1e-30)
    let e = Kernels.vexp(v)
    let s = Kernels.vsigmoid(v)
    let t = Kernels.vtanh(v)
    for i in 0..<8 {
      #expect(e[i].isFinite && s[i].isFinite && t[i].isFinite)
      #expect(s[i] >= 0 && s[i] <= 1 && abs(t[i]) <= 1)
    }
    #expect(e[0] == 0 && e[1] == 0 && e[3] == 1)
    #expect(s[0] < 1e-37 && s[3] == 0.5 && s[6] == 1)
    #expect(t[0] == -1 && t[3] == 0 && t[6] == 1)
  }

  /// Fused SIMD softmax cross-entropy equals the libm reference row by row, with ignored rows,
  /// class counts around multiples of 8, and one or two chunks (also computed in place).
  @Test(arguments: [(1, 1), (3, 7), (5, 8), (9, 17), (33, 1682)])
  func softmaxRowsMatchReference(rows: Int, classes: Int) {
    let logits = randomTensor([rows * classes], seed: UInt64(rows * 31 + classes), scale: 6).scalars
    var rng = SeededGenerator(seed: UInt64(classes))
    let targets = (0..<rows).map { $0 % 4 == 2 ? -1 : rng.nextInt(below: classes) }
    let scale: Float = 0.37
    let want = Kernels.softmaxCrossEntropyRowsReference(
      logits: logits, classes: classes, targets: targets, ignoreIndex: -1, scale: scale)
    for chunks in [1, 2] {
      var got = [Float](repeating: .nan, count: logits.count)
      var inPlace = logits
      var loss = [Double](repeating: 0, count: chunks)
      var loss2 = loss
      logits.withUnsafeBufferPointer { x in
        got.withUnsafeMutableBufferPointer { d in
          loss.withUnsafeMutableBufferPointer { l in
            Kernels.softmaxCrossEntropyRows(
              logits: x.baseAddress!, classes: classes, targets: targets, ignoreIndex: -1, scale: scale,
              chunks: chunks, dLogits: d.baseAddress!, chunkLoss: l.baseAddress!)
          }
        }
      }
      inPlace.withUnsafeMutableBufferPointer { x in
        loss2.withUnsafeMutableBufferPointer { l in
          Kernels.softmaxCrossEntropyRows(
            logits: x.baseAddress!, classes: classes, targets: targets, ignoreIndex: -1, scale: scale,
            chunks: chunks, dLogits: x.baseAddress!, chunkLoss: l.baseAddress!)
        }
      }
      #expect(got == inPlace)
      #expect(loss == loss2)
      let err = zip(got, want.dLogits).map { abs($0 - $1) }.max() ?? 0
      #expect(err < 1e-7, "chunks \(chunks): max gradient error \(err)")
      let total = loss.reduce(0, +)
      #expect(abs(total - want.loss) < 1e-5 * max(1, abs(want.loss)), "loss \(total) vs \(want.loss)")
    }
  }

  @Test(arguments: [(0, 5), (3, 1), (7, 8), (13, 17), (4, 1682)])
  func rowKernelsMatchReference(rows: Int, columns: Int) {
    let x = randomTensor([rows * columns], seed: 40).scalars
    let row = randomTensor([columns], seed: 41).scalars
    var f1 = [Float](repeating: 0, count: rows * columns)
    var f2 = f1
    Kernels.fillRows(&f1, rows: rows, with: row)
    Kernels.fillRowsReference(&f2, rows: rows, with: row)
    #expect(f1 == f2)
    var s1 = randomTensor([columns], seed: 42).scalars
    var s2 = s1
    Kernels.addColumnSums(of: x, rows: rows, columns: columns, into: &s1)
    Kernels.addColumnSumsReference(of: x, rows: rows, columns: columns, into: &s2)
    #expect(s1 == s2)  // same order of additions in each column: bit-identical
    var o1 = [Float](repeating: 1, count: columns + 3)
    Kernels.addColumnSums(of: x, rows: rows, columns: columns, into: &o1, at: 3)
    var o2 = [Float](repeating: 1, count: columns)
    Kernels.addColumnSumsReference(of: x, rows: rows, columns: columns, into: &o2)
    #expect(o1[..<3] == [1, 1, 1] && Array(o1[3...]) == o2)
    // Scatter with repeated and skipped indices into a table of 5 rows.
    let indices = (0..<rows).map { ($0 * 3) % 5 }
    var t1 = randomTensor([5 * columns], seed: 43).scalars
    var t2 = t1
    Kernels.scatterAddRows(x, dim: columns, indices: indices, skip: 3, into: &t1)
    Kernels.scatterAddRowsReference(x, dim: columns, indices: indices, skip: 3, into: &t2)
    #expect(t1 == t2)
  }

  /// Element-wise product, ReLU and its backward, and row clearing against their references,
  /// on lengths around multiples of 8 (with zeros, negatives and a NaN in the input).
  @Test(arguments: [0, 1, 7, 8, 9, 67])
  func elementKernelsMatchReference(count: Int) {
    var x = randomTensor([count], seed: 50, scale: 2).scalars
    let y = randomTensor([count], seed: 51, scale: 2).scalars
    if count > 3 {
      x[1] = 0
      x[3] = .nan
    }
    var p1 = [Float](repeating: 9, count: count)
    var p2 = p1
    Kernels.multiply(x, y, into: &p1, count: count)
    Kernels.multiplyReference(x, y, into: &p2, count: count)
    #expect(p1.elementsEqual(p2) { $0 == $1 || ($0.isNaN && $1.isNaN) })
    var r1 = [Float](repeating: 9, count: count)
    var r2 = r1
    Kernels.relu(x, into: &r1, count: count)
    Kernels.reluReference(x, into: &r2, count: count)
    #expect(r1.elementsEqual(r2) { $0 == $1 || ($0.isNaN && $1.isNaN) })
    #expect(r1.allSatisfy { $0.isNaN || $0 >= 0 })
    var b1 = [Float](repeating: 9, count: count)
    var b2 = b1
    Kernels.reluBackward(y, input: x, into: &b1, count: count)
    Kernels.reluBackwardReference(y, input: x, into: &b2, count: count)
    #expect(b1 == b2)
    if count > 3 { #expect(b1[1] == 0 && b1[3] == 0) }  // derivative 0 at 0 and at NaN
    var t = [Float](repeating: 1, count: 5 * count)
    Kernels.zeroRows(&t, rows: [3, 1], dim: count)
    for r in 0..<5 {
      #expect(t[(r * count)..<((r + 1) * count)].allSatisfy { $0 == (r == 1 || r == 3 ? 0 : 1) })
    }
  }

  @Test func swapLeadingAxesIsATransposeAndItsOwnInverse() {
    let (a, b, w) = (3, 5, 2)
    let x = (0..<(a * b * w)).map(Float.init)
    var y = [Float](repeating: 0, count: x.count)
    Kernels.swapLeadingAxes(x, a, b, width: w, into: &y)
    for i in 0..<a {
      for j in 0..<b {
        for k in 0..<w { #expect(y[(j * a + i) * w + k] == x[(i * b + j) * w + k]) }
      }
    }
    var back = [Float](repeating: 0, count: x.count)
    Kernels.swapLeadingAxes(y, b, a, width: w, into: &back)
    #expect(back == x)
  }

  /// One cell forward and backward, SIMD against scalar, for hidden sizes around multiples of 8.
  @Test(arguments: [1, 5, 8, 11, 64, 67])
  func gruCellMatchesReference(hidden H: Int) {
    let gi = randomTensor([3 * H], seed: 50, scale: 3).scalars
    let gh = randomTensor([3 * H], seed: 51, scale: 3).scalars
    let hPrev = randomTensor([H], seed: 52).scalars
    let dh = randomTensor([H], seed: 53).scalars
    let dOut = randomTensor([H], seed: 54).scalars
    func forward(_ fast: Bool) -> [[Float]] {
      var (r, z, n, ghn, h) = ([Float](repeating: 0, count: H), [Float](), [Float](), [Float](), [Float]())
      (z, n, ghn, h) = (r, r, r, r)
      let f = fast ? Kernels.gruCellForward : Kernels.gruCellForwardReference
      f(gi, gh, hPrev, H, &r, &z, &n, &ghn, &h)
      return [r, z, n, ghn, h]
    }
    let (f1, f2) = (forward(true), forward(false))
    for k in 0..<5 { #expect(zip(f1[k], f2[k]).allSatisfy { abs($0 - $1) < 1e-6 }, "forward output \(k)") }

    func backward(_ fast: Bool, withOut: Bool) -> [[Float]] {
      let (r, z, n, ghn) = (f2[0], f2[1], f2[2], f2[3])
      var dGI = [Float](repeating: 0, count: 3 * H)
      var dGH = dGI
      var dhPrev = [Float](repeating: 0, count: H)
      dOut.withUnsafeBufferPointer { dOut in
        dGI.withUnsafeMutableBufferPointer { dGI in
          dGH.withUnsafeMutableBufferPointer { dGH in
            dhPrev.withUnsafeMutableBufferPointer { dhp in
              let f = fast ? Kernels.gruCellBackward : Kernels.gruCellBackwardReference
              f(
                dh, withOut ? dOut.baseAddress! : nil, r, z, n, ghn, hPrev, H, dGI.baseAddress!,
                dGH.baseAddress!, dhp.baseAddress!)
            }
          }
        }
      }
      return [dGI, dGH, dhPrev]
    }
    for withOut in [false, true] {
      let (b1, b2) = (backward(true, withOut: withOut), backward(false, withOut: withOut))
      for k in 0..<3 { #expect(zip(b1[k], b2[k]).allSatisfy { abs($0 - $1) < 1e-6 }, "backward output \(k)") }
    }
  }

  /// The fused head equals Linear, softmax cross-entropy and Linear's backward run separately:
  /// one and several blocks, one and two chunks, ignored rows, with and without bias.
  @Test(arguments: [
    (1, 1, 1, true), (5, 3, 7, false), (70, 9, 17, true), (150, 24, 300, true), (150, 24, 300, false),
  ])
  func fusedHeadMatchesUnfused(rows: Int, inputs: Int, classes: Int, bias: Bool) {
    var rng = SeededGenerator(seed: UInt64(rows + classes))
    let weight = randomTensor([classes, inputs], seed: 70, scale: 2)
    let b = bias ? randomTensor([classes], seed: 71) : nil
    let (fused, plain) = (Linear(weight: weight, bias: b), Linear(weight: weight, bias: b))
    for l in [fused, plain] {  // gradients accumulate: start both from the same non-zero values
      l.weight.grad = randomTensor([classes, inputs], seed: 72)
      l.bias?.grad = randomTensor([classes], seed: 73)
    }
    let x = randomTensor([rows, inputs], seed: 74, scale: 2)
    let targets = (0..<rows).map { $0 % 5 == 3 ? -1 : rng.nextInt(below: classes) }
    let (l1, dx1) = Loss.linearSoftmaxCrossEntropy(fused, input: x, targets: targets)
    let (l2, d) = Loss.softmaxCrossEntropy(logits: plain.forward(x), targets: targets)
    let dx2 = plain.backward(d)
    func maxDiff(_ a: Tensor?, _ b: Tensor?) -> Float {
      zip(a?.scalars ?? [], b?.scalars ?? []).map { abs($0 - $1) }.max() ?? 0
    }
    #expect(abs(l1 - l2) <= 1e-5 * max(1, abs(l2)), "loss \(l1) vs \(l2)")
    #expect(maxDiff(dx1, dx2) < 1e-6)
    #expect(maxDiff(fused.weight.grad, plain.weight.grad) < 1e-6)
    #expect(maxDiff(fused.bias?.grad, plain.bias?.grad) < 1e-6)
    #expect((fused.bias == nil) == !bias)
  }

  /// Finite differences through a GRU whose hidden size has a full vector and a tail (8 + 3).
  @Test func gruGradientWithVectorAndTail() {
    var rng = SeededGenerator(seed: 61)
    let gru = GRU(inputs: 4, hidden: 11, using: &rng)
    var x = randomTensor([2, 3, 4], seed: 62)
    let lengths = [3, 2]
    let dOut = randomTensor([2, 3, 11], seed: 63)
    let loss: (Tensor) -> Double = { x in weightedSum(gru.forward(x, lengths: lengths).outputs, dOut) }
    _ = gru.forward(x, lengths: lengths)
    let dx = gru.backward(dOutputs: dOut, dLast: nil)
    let gc = GradientCheck()
    for p in gru.parameters { #expect(gc.check(p) { loss(x) } <= 1e-2) }
    #expect(gc.check(input: &x, dx: dx, loss: loss) <= 1e-2)
  }
}

/// The recurrence split over two fixed halves of the batch computes each row as a GRU run on that
/// row alone (one chunk): outputs, `dx` and the per-row weight gradients summed, with padding.
@Suite struct GRUBatchSplitTests {
  @Test func splitBatchEqualsRowByRow() {
    let (B, T, I, H) = (40, 5, 16, 32)  // 40 * 5 * 32 * 96 flops: two chunks
    var rng = SeededGenerator(seed: 81)
    let whole = GRU(inputs: I, hidden: H, using: &rng)
    let x = randomTensor([B, T, I], seed: 82)
    let dOut = randomTensor([B, T, H], seed: 83)
    let lengths = (0..<B).map { $0 % (T + 1) }
    let (outputs, _) = whole.forward(x, lengths: lengths)
    let dx = whole.backward(dOutputs: dOut, dLast: nil)
    let single = GRU(inputs: I, hidden: H, using: &rng)
    for (p, q) in zip(single.parameters, whole.parameters) { p.value = q.value }
    for b in 0..<B {
      let xb = Tensor(shape: [1, T, I], scalars: Array(x.scalars[(b * T * I)..<((b + 1) * T * I)]))
      let db = Tensor(shape: [1, T, H], scalars: Array(dOut.scalars[(b * T * H)..<((b + 1) * T * H)]))
      let (ob, _) = single.forward(xb, lengths: [lengths[b]])
      let dxb = single.backward(dOutputs: db, dLast: nil)
      #expect(
        zip(ob.scalars, outputs.scalars[(b * T * H)..<((b + 1) * T * H)]).allSatisfy { abs($0 - $1) < 1e-6 })
      #expect(
        zip(dxb.scalars, dx.scalars[(b * T * I)..<((b + 1) * T * I)]).allSatisfy { abs($0 - $1) < 1e-6 })
    }
    for (p, q) in zip(single.parameters, whole.parameters) {
      let err = zip(p.grad.scalars, q.grad.scalars).map { abs($0 - $1) }.max() ?? 0
      #expect(err < 1e-4, "weight gradient differs by \(err)")
    }
  }
}

/// A GRU4Rec-like step (embedding, GRU, fused Linear + softmax over 600 classes) is bit-identical
/// with 1 and 2 threads: shapes large enough that the sgemms, the GRU recurrence (32 * 6 * 32 * 96
/// flops) and the fused head split in two chunks.
@Suite(.serialized) struct GRUDeterminismTests {
  func train(threads: Int) -> [[Float]] {
    let saved = Parallel.threads
    Parallel.threads = threads
    defer { Parallel.threads = saved }
    var rng = SeededGenerator(seed: 5)
    let (items, batch, steps) = (600, 32, 6)
    let emb = Embedding(count: items, dim: 16, std: 0.1, using: &rng)
    let gru = GRU(inputs: 16, hidden: 32, using: &rng)
    let out = Linear(inputs: 32, outputs: items, using: &rng)
    let params = emb.parameters + gru.parameters + out.parameters
    let adam = Adam(learningRate: 0.01)
    for _ in 0..<3 {
      params.forEach { $0.zeroGrad() }
      let seq = (0..<(batch * steps)).map { _ in rng.nextInt(below: items) }
      let targets = (0..<(batch * steps)).map { _ in rng.nextInt(below: items) }
      let lengths = (0..<batch).map { 1 + $0 % steps }
      let (h, _) = gru.forward(emb.forward(seq).reshaped([batch, steps, 16]), lengths: lengths)
      let (_, dh) = Loss.linearSoftmaxCrossEntropy(
        out, input: h.reshaped([batch * steps, 32]), targets: targets)
      let dx = gru.backward(dOutputs: dh.reshaped([batch, steps, 32]), dLast: nil)
      emb.backward(dx.reshaped([batch * steps, 16]))
      adam.step(params)
    }
    return params.map(\.value.scalars)
  }

  @Test func oneAndTwoThreadsGiveIdenticalWeights() {
    let one = train(threads: 1)
    #expect(one == train(threads: 2))
    #expect(one == train(threads: 1))
  }
}

#if canImport(Glibc)
  import Glibc
#endif
