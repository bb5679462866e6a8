/// Layer normalisation over the last axis (Ba et al. 2016), as llm.c's `layernorm_forward`:
///
///     y = (x - mean) / sqrt(var + eps) * gamma + beta
///
/// Shapes: `x: (rows, dim)` (any leading axes flatten into rows), `gamma`, `beta: (dim)`.
/// Statistics are computed in Double so an all-constant row (variance 0) gives `y = beta`
/// exactly and no NaN.
public final class LayerNorm {
  public let dim: Int
  public let epsilon: Float
  public let gamma: Parameter
  public let beta: Parameter
  private var normalized = Tensor(shape: [0])
  private var rstd: [Float] = []

  public init(dim: Int, epsilon: Float = 1e-5) {
    self.dim = dim
    self.epsilon = epsilon
    gamma = Parameter(Tensor(shape: [dim], repeating: 1))
    beta = Parameter(Tensor(shape: [dim]))
  }

  public var parameters: [Parameter] { [gamma, beta] }

  public func forward(_ x: Tensor) -> Tensor {
    precondition(x.shape.last == dim)
    let rows = x.count / max(dim, 1)
    var xhat = x
    var y = x
    rstd = [Float](repeating: 0, count: rows)
    for r in 0..<rows {
      let o = r &* dim
      var mean = 0.0
      for j in 0..<dim { mean += Double(x.scalars[o &+ j]) }
      mean /= Double(dim)
      var variance = 0.0
      for j in 0..<dim {
        let c = Double(x.scalars[o &+ j]) - mean
        variance += c * c
      }
      variance /= Double(dim)
      let s = 1 / (variance + Double(epsilon)).squareRoot()
      rstd[r] = Float(s)
      for j in 0..<dim {
        let n = Float((Double(x.scalars[o &+ j]) - mean) * s)
        xhat.scalars[o &+ j] = n
        y.scalars[o &+ j] = n * gamma.value.scalars[j] + beta.value.scalars[j]
      }
    }
    normalized = xhat
    return y
  }

  /// `dx = rstd (g - mean(g) - xhat mean(g xhat))` with `g = dy gamma`; accumulates dGamma, dBeta.
  public func backward(_ dy: Tensor) -> Tensor {
    var dx = dy
    for r in 0..<rstd.count {
      let o = r &* dim
      var meanG: Float = 0
      var meanGX: Float = 0
      for j in 0..<dim {
        let g = dy.scalars[o &+ j] * gamma.value.scalars[j]
        meanG += g
        meanGX += g * normalized.scalars[o &+ j]
        gamma.grad.scalars[j] += dy.scalars[o &+ j] * normalized.scalars[o &+ j]
        beta.grad.scalars[j] += dy.scalars[o &+ j]
      }
      meanG /= Float(dim)
      meanGX /= Float(dim)
      for j in 0..<dim {
        let g = dy.scalars[o &+ j] * gamma.value.scalars[j]
        dx.scalars[o &+ j] = rstd[r] * (g - meanG - normalized.scalars[o &+ j] * meanGX)
      }
    }
    return dx
  }
}
