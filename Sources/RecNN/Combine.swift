/// Layers that combine two branches, as GMF and NeuMF do (He et al. 2017).

/// Element-wise product `a * b` of two tensors of the same shape (GMF's interaction).
public final class ElementwiseProduct {
  private var a = Tensor(shape: [0])
  private var b = Tensor(shape: [0])
  public init() {}
  public func forward(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "product of shapes \(a.shape) and \(b.shape)")
    self.a = a
    self.b = b
    return Tensor(shape: a.shape, scalars: zip(a.scalars, b.scalars).map(*))
  }
  /// Returns `(dA, dB) = (dy * b, dy * a)`.
  public func backward(_ dy: Tensor) -> (Tensor, Tensor) {
    // Local copies of the caches: reading them through `self` checks exclusivity per element.
    let (a, b) = (self.a.scalars, self.b.scalars)
    return (
      Tensor(shape: dy.shape, scalars: zip(dy.scalars, b).map(*)),
      Tensor(shape: dy.shape, scalars: zip(dy.scalars, a).map(*))
    )
  }
}

/// Concatenation of 2-D tensors along columns: `(batch, d1) ++ (batch, d2) ... -> (batch, sum d)`.
public final class Concat {
  private var widths: [Int] = []
  public init() {}
  public func forward(_ parts: [Tensor]) -> Tensor {
    let batch = parts.first?.rows ?? 0
    precondition(parts.allSatisfy { $0.rows == batch }, "concat of different batch sizes")
    widths = parts.map(\.columns)
    let total = widths.reduce(0, +)
    var y = [Float](repeating: 0, count: batch * total)
    var col = 0
    for (part, w) in zip(parts, widths) {
      let p = part.scalars
      for r in 0..<batch {
        for j in 0..<w { y[r &* total &+ col &+ j] = p[r &* w &+ j] }
      }
      col += w
    }
    return Tensor(shape: [batch, total], scalars: y)
  }
  /// Splits `dy: (batch, sum d)` back into one gradient per part.
  public func backward(_ dy: Tensor) -> [Tensor] {
    let batch = dy.rows
    let total = widths.reduce(0, +)
    var col = 0
    var out: [Tensor] = []
    let g = dy.scalars
    for w in widths {
      var d = [Float](repeating: 0, count: batch * w)
      for r in 0..<batch {
        for j in 0..<w { d[r &* w &+ j] = g[r &* total &+ col &+ j] }
      }
      out.append(Tensor(shape: [batch, w], scalars: d))
      col += w
    }
    return out
  }
}
