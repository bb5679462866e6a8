import RecData
import Testing

@testable import RecNN

/// Finite-difference checks of the sequence layers through several time steps with padding.
@Suite struct SequenceGradientTests {
  let gc = GradientCheck()

  @Test(arguments: [[4, 1, 0], [4, 4, 2], [1, 3, 0]])
  func gruThroughTimeWithPadding(lengths: [Int]) {
    var rng = SeededGenerator(seed: 17)
    let gru = GRU(inputs: 3, hidden: 5, using: &rng)
    var x = randomTensor([3, 4, 3], seed: 18)
    let dOut = randomTensor([3, 4, 5], seed: 19)
    let dLast = randomTensor([3, 5], seed: 20)
    let loss: (Tensor) -> Double = { x in
      let (o, l) = gru.forward(x, lengths: lengths)
      return weightedSum(o, dOut) + weightedSum(l, dLast)
    }
    let (outputs, last) = gru.forward(x, lengths: lengths)
    let dx = gru.backward(dOutputs: dOut, dLast: dLast)
    for p in gru.parameters { #expect(gc.check(p) { loss(x) } <= 1e-2) }
    #expect(gc.check(input: &x, dx: dx, loss: loss) <= 1e-2)
    // Padding: zero outputs past the end; the empty sequence keeps the zero state.
    for b in 0..<3 {
      for t in lengths[b]..<4 {
        #expect((0..<5).allSatisfy { outputs[b, t, $0] == 0 && dx[b, t, $0 % 3] == 0 })
      }
      if lengths[b] == 0 { #expect((0..<5).allSatisfy { last[b, $0] == 0 }) }
      if lengths[b] > 0 { #expect((0..<5).allSatisfy { last[b, $0] == outputs[b, lengths[b] - 1, $0] }) }
    }
  }
}

/// Same seed and data give bit-identical weights with 1 and with 2 threads.
@Suite(.serialized) struct DeterminismTests {
  /// Trains a small MLP-with-embeddings (shapes large enough that the kernels split in two
  /// chunks) for a few Adam steps and returns every weight.
  func train(threads: Int) -> [[Float]] {
    let saved = Parallel.threads
    Parallel.threads = threads
    defer { Parallel.threads = saved }
    var rng = SeededGenerator(seed: 99)
    let emb = Embedding(count: 300, dim: 64, std: 0.1, using: &rng)
    let l1 = Linear(inputs: 64, outputs: 128, using: &rng)
    let act = ReLU()
    let l2 = Linear(inputs: 128, outputs: 500, using: &rng)
    let params = emb.parameters + l1.parameters + l2.parameters
    let adam = Adam(learningRate: 0.01)
    for step in 0..<5 {
      params.forEach { $0.zeroGrad() }
      let idx = (0..<256).map { _ in rng.nextInt(below: 300) }
      let targets = (0..<256).map { ($0 * 7 + step) % 500 }
      let logits = l2.forward(act.forward(l1.forward(emb.forward(idx))))
      let (_, d) = Loss.softmaxCrossEntropy(logits: logits, targets: targets)
      emb.backward(l1.backward(act.backward(l2.backward(d))))
      clipGradientNorm(params, maxNorm: 5)
      adam.step(params)
    }
    return params.map(\.value.scalars)
  }

  @Test func oneAndTwoThreadsGiveIdenticalWeights() {
    let one = train(threads: 1)
    let two = train(threads: 2)
    #expect(one == two)
    #expect(one == train(threads: 1))  // and rerunning is identical
  }
}

/// Finite-difference checks of Caser's convolutions with several filter heights and the pooling.
@Suite struct ConvolutionGradientTests {
  let gc = GradientCheck()

  @Test(arguments: [1, 2, 3, 5])
  func horizontalWithPooling(height: Int) {
    var rng = SeededGenerator(seed: UInt64(30 + height))
    let conv = HorizontalConvolution(height: height, dim: 4, filters: 3, using: &rng)
    let act = Tanh()
    let pool = MaxPoolOverTime()
    var x = randomTensor([2, 5, 4], seed: 40)
    let dOut = randomTensor([2, 3], seed: 41)
    let loss: (Tensor) -> Double = { weightedSum(pool.forward(act.forward(conv.forward($0))), dOut) }
    _ = loss(x)
    let dx = conv.backward(act.backward(pool.backward(dOut)))
    #expect(gc.check(conv.weight) { loss(x) } <= 1e-2)
    #expect(gc.check(conv.bias) { loss(x) } <= 1e-2)
    #expect(gc.check(input: &x, dx: dx, loss: loss) <= 1e-2)
  }

  @Test func horizontalTallerThanSequenceGivesNoSteps() {
    var rng = SeededGenerator(seed: 1)
    let conv = HorizontalConvolution(height: 4, dim: 2, filters: 3, using: &rng)
    let y = conv.forward(randomTensor([2, 3, 2], seed: 2))
    #expect(y.shape == [2, 0, 3])
    let pooled = MaxPoolOverTime().forward(y)
    #expect(pooled.shape == [2, 3] && pooled.scalars.allSatisfy { $0 == 0 })
  }

  @Test func vertical() {
    var rng = SeededGenerator(seed: 50)
    let conv = VerticalConvolution(length: 5, filters: 3, using: &rng)
    var x = randomTensor([2, 5, 4], seed: 51)
    let dOut = randomTensor([2, 3, 4], seed: 52)
    _ = conv.forward(x)
    let dx = conv.backward(dOut)
    let loss: (Tensor) -> Double = { weightedSum(conv.forward($0), dOut) }
    #expect(gc.check(conv.weight) { loss(x) } <= 1e-2)
    #expect(gc.check(conv.bias) { loss(x) } <= 1e-2)
    #expect(gc.check(input: &x, dx: dx, loss: loss) <= 1e-2)
  }
}

/// LayerNorm and the sequence poolings: gradient checks, constant rows, length 0 and 1.
@Suite struct NormPoolGradientTests {
  let gc = GradientCheck()

  @Test func layerNorm() {
    let ln = LayerNorm(dim: 6)
    ln.gamma.value = randomTensor([6], seed: 60)
    ln.beta.value = randomTensor([6], seed: 61)
    var x = randomTensor([4, 6], seed: 62, scale: 2)
    let dOut = randomTensor([4, 6], seed: 63)
    _ = ln.forward(x)
    let dx = ln.backward(dOut)
    let loss: (Tensor) -> Double = { weightedSum(ln.forward($0), dOut) }
    #expect(gc.check(ln.gamma) { loss(x) } <= 1e-2)
    #expect(gc.check(ln.beta) { loss(x) } <= 1e-2)
    #expect(gc.check(input: &x, dx: dx, loss: loss) <= 1e-2)
    // An all-zero (constant) row normalises to 0, so the output is beta exactly.
    let y = ln.forward(Tensor(shape: [1, 6]))
    #expect(y.scalars == ln.beta.value.scalars)
  }

  @Test func meanPoolingWithLengths() {
    let pool = MeanPooling()
    var x = randomTensor([3, 4, 2], seed: 70)
    let lengths = [4, 1, 0]
    let dOut = randomTensor([3, 2], seed: 71)
    let y = pool.forward(x, lengths: lengths)
    #expect(y[1, 0] == x[1, 0, 0] && y[2, 1] == 0)  // length 1: the item itself; length 0: zeros
    let dx = pool.backward(dOut)
    #expect(gc.check(input: &x, dx: dx) { weightedSum(pool.forward($0, lengths: lengths), dOut) } <= 1e-2)
  }

  @Test func attentionPoolingWithLengths() {
    var rng = SeededGenerator(seed: 80)
    let pool = AttentionPooling(dim: 3, using: &rng)
    var x = randomTensor([3, 4, 3], seed: 81, scale: 2)
    let lengths = [4, 1, 0]
    let dOut = randomTensor([3, 3], seed: 82)
    let y = pool.forward(x, lengths: lengths)
    #expect((0..<3).allSatisfy { y[1, $0] == x[1, 0, $0] && y[2, $0] == 0 })
    let dx = pool.backward(dOut)
    let loss: (Tensor) -> Double = { weightedSum(pool.forward($0, lengths: lengths), dOut) }
    #expect(gc.check(pool.query) { loss(x) } <= 1e-2)
    #expect(gc.check(input: &x, dx: dx, loss: loss) <= 1e-2)
    // Scores of +-400 stay finite (softmax is shifted by the max).
    pool.query.value = Tensor(shape: [3], scalars: [400, 0, 0])
    let big = pool.forward(Tensor(shape: [1, 2, 3], scalars: [1, 0, 0, -1, 0, 0]), lengths: [2])
    #expect(big.scalars == [1, 0, 0])
  }
}
