/// Loss functions: each returns the mean loss and the gradient with respect to its inputs.
///
/// Losses are accumulated in Double, per fixed chunk and then in chunk order, so the value does
/// not depend on the thread count. Every formula is written to stay finite for logits at +-400.
public enum Loss {
  /// `log(1 + exp(x))` without overflow: `max(x, 0) + log1p(exp(-|x|))`.
  @inline(__always)
  static func softplus(_ x: Float) -> Double {
    Double(max(x, 0)) + log1p(exp(-Double(abs(x))))
  }

  /// Binary cross-entropy on logits, mean over elements.
  ///
  /// `l = max(x, 0) - x y + log(1 + exp(-|x|))` (the stable form of `-y log s(x) - (1-y) log(1-s(x))`);
  /// `dx = (sigmoid(x) - y) / n`. Shapes: `logits`, `targets`: any, equal counts; targets in [0, 1].
  public static func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor) -> (
    loss: Float, dLogits: Tensor
  ) {
    precondition(logits.count == targets.count)
    let n = logits.count
    guard n > 0 else { return (0, logits) }
    var total = 0.0
    var d = logits
    let inv = 1 / Float(n)
    for i in 0..<n {
      let x = logits.scalars[i]
      let y = targets.scalars[i]
      total += Double(max(x, 0)) - Double(x) * Double(y) + log1p(exp(-Double(abs(x))))
      d.scalars[i] = (sigmoid(x) - y) * inv
    }
    return (Float(total / Double(n)), d)
  }

  /// Bayesian personalised ranking (Rendle et al. 2009): mean of `-log sigmoid(pos - neg)`.
  ///
  /// `-log sigmoid(z) = softplus(-z)`; `dPos = -sigmoid(-z) / n`, `dNeg = -dPos`.
  /// Shapes: `positive`, `negative`: `(n)` (one sampled negative per positive).
  public static func bpr(positive: Tensor, negative: Tensor) -> (
    loss: Float, dPositive: Tensor, dNegative: Tensor
  ) {
    precondition(positive.count == negative.count)
    let n = positive.count
    guard n > 0 else { return (0, positive, negative) }
    var total = 0.0
    var dp = positive
    var dn = negative
    let inv = 1 / Float(n)
    for i in 0..<n {
      let z = positive.scalars[i] - negative.scalars[i]
      total += softplus(-z)
      let g = -sigmoid(-z) * inv
      dp.scalars[i] = g
      dn.scalars[i] = -g
    }
    return (Float(total / Double(n)), dp, dn)
  }

  /// Mean squared error `mean((p - y)^2)`; `dp = 2 (p - y) / n`.
  public static func meanSquaredError(predictions: Tensor, targets: Tensor) -> (
    loss: Float, dPredictions: Tensor
  ) {
    precondition(predictions.count == targets.count)
    let n = predictions.count
    guard n > 0 else { return (0, predictions) }
    var total = 0.0
    var d = predictions
    for i in 0..<n {
      let e = predictions.scalars[i] - targets.scalars[i]
      total += Double(e) * Double(e)
      d.scalars[i] = 2 * e / Float(n)
    }
    return (Float(total / Double(n)), d)
  }

  /// Softmax cross-entropy over all classes, mean over rows whose target is not `ignoreIndex`.
  ///
  /// `l_r = logsumexp(x_r) - x_r[t_r]`, computed after subtracting the row max so that no
  /// exponent exceeds 0; `dx_r = (softmax(x_r) - onehot(t_r)) / valid`. Ignored rows get zero
  /// gradient (padded sequence positions). Shapes: `logits: (rows, classes)`, `targets: (rows)`.
  /// Rows are split into fixed chunks; chunk sums are added in chunk order.
  public static func softmaxCrossEntropy(
    logits: Tensor, targets: [Int], ignoreIndex: Int = -1
  ) -> (loss: Float, dLogits: Tensor) {
    let rows = logits.rows
    let classes = logits.columns
    precondition(targets.count == rows)
    let valid = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
    guard valid > 0 else { return (0, Tensor(shape: logits.shape)) }
    let inv = 1 / Float(valid)
    let chunks = Parallel.chunkCount(work: rows * classes, grain: 1 << 15)
    var sums = [Double](repeating: 0, count: chunks)
    // The kernel writes every element, so the gradient needs no zero fill (8.6 MB for GRU4Rec).
    let d = [Float](unsafeUninitializedCapacity: rows * classes) { buffer, initialized in
      logits.scalars.withUnsafeBufferPointer { x in
        sums.withUnsafeMutableBufferPointer { l in
          Kernels.softmaxCrossEntropyRows(
            logits: x.baseAddress!, classes: classes, targets: targets, ignoreIndex: ignoreIndex, scale: inv,
            chunks: chunks, dLogits: buffer.baseAddress!, chunkLoss: l.baseAddress!)
        }
      }
      initialized = rows * classes
    }
    let total = sums.reduce(0, +)
    return (Float(total / Double(valid)), Tensor(shape: logits.shape, scalars: d))
  }

  /// Sampled softmax cross-entropy: column 0 of each row holds the positive's logit and the
  /// other columns the logits of sampled negative candidates. Shapes: `logits: (rows, 1 + samples)`.
  public static func sampledSoftmaxCrossEntropy(logits: Tensor) -> (loss: Float, dLogits: Tensor) {
    softmaxCrossEntropy(logits: logits, targets: [Int](repeating: 0, count: logits.rows))
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
