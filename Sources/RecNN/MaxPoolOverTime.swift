/// Max-pooling over the time axis, as Caser pools each horizontal filter's outputs.
///
/// Shapes: `x: (batch, steps, channels)` -> `(batch, channels)`. The gradient flows to the
/// first maximum of each column (ties are measure-zero for real-valued activations). With
/// zero steps the output is 0 and no gradient flows.
public final class MaxPoolOverTime {
  private var argmax: [Int] = []
  private var inputShape: [Int] = []
  public init() {}

  public func forward(_ x: Tensor) -> Tensor {
    precondition(x.shape.count == 3)
    inputShape = x.shape
    let (B, T, C) = (x.shape[0], x.shape[1], x.shape[2])
    var y = Tensor(shape: [B, C])
    argmax = [Int](repeating: -1, count: B * C)
    for b in 0..<B {
      for c in 0..<C {
        var best = -Float.infinity
        for t in 0..<T {
          let o = (b &* T &+ t) &* C &+ c
          if x.scalars[o] > best || argmax[b &* C &+ c] < 0 {
            best = x.scalars[o]
            argmax[b &* C &+ c] = o
          }
        }
        y.scalars[b &* C &+ c] = T == 0 ? 0 : best
      }
    }
    return y
  }

  /// `dy: (batch, channels)` -> `dx: (batch, steps, channels)`.
  public func backward(_ dy: Tensor) -> Tensor {
    var dx = Tensor(shape: inputShape)
    for (i, o) in argmax.enumerated() where o >= 0 { dx.scalars[o] += dy.scalars[i] }
    return dx
  }
}
