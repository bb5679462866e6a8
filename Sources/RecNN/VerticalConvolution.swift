import RecData

/// Caser's vertical convolution (Tang and Wang 2018): `filters` filters of `length x 1`, each a
/// learned weighted sum of the L item embeddings, computed for every embedding column.
///
/// Shapes: `x: (batch, length, dim)`, `weight: (filters, length)` (PyTorch's
/// `Conv2d(1, filters, (length, 1))` weight flattened), `bias: (filters)`,
/// output `(batch, filters, dim)`: `y[b] = W x[b] + bias` (one small sgemm per sequence).
public final class VerticalConvolution {
  public let length: Int
  public let filters: Int
  public let weight: Parameter
  public let bias: Parameter
  private var input = Tensor(shape: [0, 0, 0])

  public init(length: Int, filters: Int, using rng: inout SeededGenerator) {
    precondition(length > 0 && filters > 0)
    self.length = length
    self.filters = filters
    let a = 1 / Float(length).squareRoot()
    weight = Parameter(.uniform(shape: [filters, length], low: -a, high: a, using: &rng))
    bias = Parameter(.uniform(shape: [filters], low: -a, high: a, using: &rng))
  }

  public var parameters: [Parameter] { [weight, bias] }

  /// `(batch, length, dim)` -> `(batch, filters, dim)`.
  public func forward(_ x: Tensor) -> Tensor {
    precondition(x.shape.count == 3 && x.shape[1] == length)
    input = x
    let (B, d) = (x.shape[0], x.shape[2])
    var y = Tensor(shape: [B, filters, d])
    for b in 0..<B {
      for f in 0..<filters {
        for j in 0..<d { y.scalars[(b &* filters &+ f) &* d &+ j] = bias.value.scalars[f] }
      }
      Kernels.gemm(
        transA: false, transB: false, m: filters, n: d, k: length, a: weight.value.scalars, b: x.scalars,
        bOffset: b * length * d, beta: 1, c: &y.scalars, cOffset: b * filters * d)
    }
    return y
  }

  /// Accumulates `dWeight += dy[b] x[b]^T`, `dBias`; returns `dx[b] = W^T dy[b]`.
  public func backward(_ dy: Tensor) -> Tensor {
    let (B, d) = (input.shape[0], input.shape[2])
    var dx = Tensor(shape: input.shape)
    for b in 0..<B {
      Kernels.gemm(
        transA: false, transB: true, m: filters, n: length, k: d, a: dy.scalars, aOffset: b * filters * d,
        b: input.scalars, bOffset: b * length * d, beta: 1, c: &weight.grad.scalars)
      for f in 0..<filters {
        for j in 0..<d { bias.grad.scalars[f] += dy.scalars[(b &* filters &+ f) &* d &+ j] }
      }
      Kernels.gemm(
        transA: true, transB: false, m: length, n: d, k: filters, a: weight.value.scalars, b: dy.scalars,
        bOffset: b * filters * d, beta: 0, c: &dx.scalars, cOffset: b * length * d)
    }
    return dx
  }
}
