import RecData

/// Caser's horizontal convolution (Tang and Wang 2018): `filters` filters of `height` rows
/// spanning the full embedding width, slid over the embedding matrix of the last L items.
///
/// Shapes: `x: (batch, length, dim)`, `weight: (filters, height * dim)` (PyTorch's
/// `Conv2d(1, filters, (height, dim))` weight flattened), `bias: (filters)`,
/// output `(batch, length - height + 1, filters)`; follow it with an activation and
/// `MaxPoolOverTime`. Window `t` of sequence `b` is the contiguous block
/// `x[b, t..<t+height, :]`, so the convolution is one sgemm on the gathered windows (im2col).
/// When `length < height` the output has zero steps.
public final class HorizontalConvolution {
  public let height: Int
  public let dim: Int
  public let filters: Int
  public let weight: Parameter
  public let bias: Parameter
  private var columns: [Float] = []
  private var inputShape: [Int] = []

  public init(height: Int, dim: Int, filters: Int, using rng: inout SeededGenerator) {
    precondition(height > 0 && dim > 0 && filters > 0)
    self.height = height
    self.dim = dim
    self.filters = filters
    let a = 1 / Float(height * dim).squareRoot()
    weight = Parameter(.uniform(shape: [filters, height * dim], low: -a, high: a, using: &rng))
    bias = Parameter(.uniform(shape: [filters], low: -a, high: a, using: &rng))
  }

  public var parameters: [Parameter] { [weight, bias] }

  /// `(batch, length, dim)` -> `(batch, length - height + 1, filters)`.
  /// - Complexity: `2 batch (length - height + 1) filters height dim` flops.
  public func forward(_ x: Tensor) -> Tensor {
    precondition(x.shape.count == 3 && x.shape[2] == dim)
    inputShape = x.shape
    let (B, L) = (x.shape[0], x.shape[1])
    let T = max(L - height + 1, 0)
    let K = height * dim
    columns = [Float](repeating: 0, count: B * T * K)
    for b in 0..<B {
      for t in 0..<T {
        let src = (b &* L &+ t) &* dim
        let dst = (b &* T &+ t) &* K
        for k in 0..<K { columns[dst &+ k] = x.scalars[src &+ k] }
      }
    }
    var y = Tensor(shape: [B, T, filters])
    for r in 0..<(B * T) {
      for f in 0..<filters { y.scalars[r &* filters &+ f] = bias.value.scalars[f] }
    }
    Kernels.gemm(
      transA: false, transB: true, m: B * T, n: filters, k: K, a: columns, b: weight.value.scalars, beta: 1,
      c: &y.scalars)
    return y
  }

  /// Accumulates `dWeight`, `dBias`; returns `dx: (batch, length, dim)` (overlapping windows add).
  public func backward(_ dy: Tensor) -> Tensor {
    let (B, L) = (inputShape[0], inputShape[1])
    let T = max(L - height + 1, 0)
    let K = height * dim
    var dx = Tensor(shape: inputShape)
    guard T > 0 else { return dx }
    Kernels.gemm(
      transA: true, transB: false, m: filters, n: K, k: B * T, a: dy.scalars, b: columns, beta: 1,
      c: &weight.grad.scalars)
    for r in 0..<(B * T) {
      for f in 0..<filters { bias.grad.scalars[f] += dy.scalars[r &* filters &+ f] }
    }
    var dColumns = [Float](repeating: 0, count: B * T * K)
    Kernels.gemm(
      transA: false, transB: false, m: B * T, n: K, k: filters, a: dy.scalars, b: weight.value.scalars,
      beta: 0,
      c: &dColumns)
    for b in 0..<B {
      for t in 0..<T {
        let dst = (b &* L &+ t) &* dim
        let src = (b &* T &+ t) &* K
        for k in 0..<K { dx.scalars[dst &+ k] += dColumns[src &+ k] }
      }
    }
    return dx
  }
}
