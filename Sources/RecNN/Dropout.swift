import RecData

/// Inverted dropout: in training, zero each element with probability `p` and scale the rest by
/// `1 / (1 - p)`, so evaluation needs no rescaling. The mask comes from the layer's own seeded
/// generator, so a run is reproducible.
public final class Dropout {
  public let p: Float
  /// When false, `forward` is the identity.
  public var isTraining = true
  private var rng: SeededGenerator
  private var mask: [Float] = []

  public init(p: Float, seed: UInt64) {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1)")
    self.p = p
    self.rng = SeededGenerator(seed: seed)
  }

  /// Shape preserved.
  public func forward(_ x: Tensor) -> Tensor {
    guard isTraining, p > 0 else {
      mask = []
      return x
    }
    let scale = 1 / (1 - p)
    mask = (0..<x.count).map { _ in rng.nextFloat() < p ? 0 : scale }
    var y = x
    for i in 0..<y.count { y.scalars[i] *= mask[i] }
    return y
  }

  public func backward(_ dy: Tensor) -> Tensor {
    guard !mask.isEmpty else { return dy }
    var dx = dy
    for i in 0..<dx.count { dx.scalars[i] *= mask[i] }
    return dx
  }
}
