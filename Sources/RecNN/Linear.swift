import RecData

/// A fully connected layer `y = x W^T + b` (PyTorch's `nn.Linear` layout, so weights transfer).
///
/// Shapes: `x: (batch, inputs)`, `weight: (outputs, inputs)`, `bias: (outputs)`,
/// `y: (batch, outputs)`. `forward` caches `x` for `backward`.
public final class Linear {
  public let weight: Parameter
  public let bias: Parameter?
  public let inputs: Int
  public let outputs: Int
  private var input = Tensor(shape: [0, 0])

  /// A layer with Xavier-uniform weights and zero bias, drawn from `rng`.
  public init(inputs: Int, outputs: Int, bias: Bool = true, using rng: inout SeededGenerator) {
    self.inputs = inputs
    self.outputs = outputs
    weight = Parameter(
      .xavierUniform(shape: [outputs, inputs], fanIn: inputs, fanOut: outputs, using: &rng))
    self.bias = bias ? Parameter(Tensor(shape: [outputs])) : nil
  }

  /// A layer with the given weights `(outputs, inputs)` and optional bias `(outputs)`.
  public init(weight: Tensor, bias: Tensor?) {
    precondition(weight.shape.count == 2)
    outputs = weight.shape[0]
    inputs = weight.shape[1]
    self.weight = Parameter(weight)
    self.bias = bias.map { Parameter($0) }
  }

  public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

  /// `y = x W^T + b`. `x: (batch, inputs)` -> `(batch, outputs)`.
  /// - Complexity: `2 batch inputs outputs` flops (one sgemm).
  public func forward(_ x: Tensor) -> Tensor {
    precondition(x.columns == inputs, "Linear expects \(inputs) inputs, got shape \(x.shape)")
    input = x
    let batch = x.rows
    var y = Tensor(shape: [batch, outputs])
    if let bias { Kernels.fillRows(&y.scalars, rows: batch, with: bias.value.scalars) }
    Kernels.gemm(
      transA: false, transB: true, m: batch, n: outputs, k: inputs, a: x.scalars, b: weight.value.scalars,
      beta: bias == nil ? 0 : 1, c: &y.scalars)
    return y
  }

  /// Accumulates `dWeight += dy^T x`, `dBias += sum_rows dy`; returns `dx = dy W: (batch, inputs)`.
  public func backward(_ dy: Tensor) -> Tensor {
    let batch = input.rows
    precondition(dy.rows == batch && dy.columns == outputs)
    Kernels.gemm(
      transA: true, transB: false, m: outputs, n: inputs, k: batch, a: dy.scalars, b: input.scalars,
      beta: 1, c: &weight.grad.scalars)
    if let bias {
      Kernels.addColumnSums(of: dy.scalars, rows: batch, columns: outputs, into: &bias.grad.scalars)
    }
    var dx = Tensor(shape: [batch, inputs])
    Kernels.gemm(
      transA: false, transB: false, m: batch, n: inputs, k: outputs, a: dy.scalars, b: weight.value.scalars,
      beta: 0, c: &dx.scalars)
    return dx
  }
}
