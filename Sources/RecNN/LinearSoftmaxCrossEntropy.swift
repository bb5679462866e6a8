extension Loss {
  /// Softmax cross-entropy of `linear.forward(input)` and its backward pass in one call, without
  /// materialising the logits: the output head of a full-catalogue next-item model (GRU4Rec).
  ///
  /// Same value and gradients as
  ///
  ///     let (loss, d) = Loss.softmaxCrossEntropy(logits: linear.forward(input), targets: targets)
  ///     let dInput = linear.backward(d)
  ///
  /// up to float rounding (the weight gradient is summed block by block). Accumulates into
  /// `linear.weight.grad` and `linear.bias.grad`; returns the mean loss over rows whose target
  /// is not `ignoreIndex` and `dInput: (rows, inputs)`. Leaves `linear`'s cached input alone.
  ///
  /// Why fused: at GRU4Rec's `(1280, 1682)` the logits and their gradient are 17 MB that the
  /// unfused path allocates, page-faults in and streams through memory several times; here each
  /// block of 128 rows stays in cache from the forward product to both backward products
  /// (`Kernels.linearSoftmaxCrossEntropy`). Rows split into fixed chunks as everywhere in RecNN.
  /// - Complexity: `6 rows inputs classes` flops and `rows classes` exponentials.
  public static func linearSoftmaxCrossEntropy(
    _ linear: Linear, input: Tensor, targets: [Int], ignoreIndex: Int = -1
  ) -> (loss: Float, dInput: Tensor) {
    let (rows, inputs, classes) = (input.rows, linear.inputs, linear.outputs)
    precondition(input.columns == inputs, "head expects \(inputs) inputs, got shape \(input.shape)")
    precondition(targets.count == rows, "\(targets.count) targets for \(rows) rows")
    let valid = targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
    guard valid > 0 else { return (0, Tensor(shape: [rows, inputs])) }
    // Two chunks when each holds at least ~0.5 MFLOP and a few blocks (as `Kernels.gemm`).
    let chunks = Parallel.chunkCount(work: rows * classes * inputs, grain: 1 << 18) == 2 && rows >= 16 ? 2 : 1
    var dx = [Float](repeating: 0, count: rows * inputs)
    var dBias = linear.bias?.grad.scalars
    let total = Kernels.linearSoftmaxCrossEntropy(
      x: input.scalars, rows: rows, inputs: inputs, weight: linear.weight.value.scalars,
      bias: linear.bias?.value.scalars, classes: classes, targets: targets, ignoreIndex: ignoreIndex,
      scale: 1 / Float(valid), chunks: chunks, dx: &dx, dWeight: &linear.weight.grad.scalars, dBias: &dBias)
    if let bias = linear.bias, let dBias { bias.grad.scalars = dBias }
    return (Float(total / Double(valid)), Tensor(shape: [rows, inputs], scalars: dx))
  }
}
