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
    var y = a
    for i in 0..<y.count { y.scalars[i] *= b.scalars[i] }
    return y
  }
  /// Returns `(dA, dB) = (dy * b, dy * a)`.
  public func backward(_ dy: Tensor) -> (Tensor, Tensor) {
    var da = dy
    var db = dy
    for i in 0..<dy.count {
      da.scalars[i] *= b.scalars[i]
      db.scalars[i] *= a.scalars[i]
    }
    return (da, db)
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
    var y = Tensor(shape: [batch, total])
    var col = 0
    for (part, w) in zip(parts, widths) {
      for r in 0..<batch {
        for j in 0..<w { y.scalars[r &* total &+ col &+ j] = part.scalars[r &* w &+ j] }
      }
      col += w
    }
    return y
  }
  /// Splits `dy: (batch, sum d)` back into one gradient per part.
  public func backward(_ dy: Tensor) -> [Tensor] {
    let batch = dy.rows
    let total = widths.reduce(0, +)
    var col = 0
    var out: [Tensor] = []
    for w in widths {
      var d = Tensor(shape: [batch, w])
      for r in 0..<batch {
        for j in 0..<w { d.scalars[r &* w &+ j] = dy.scalars[r &* total &+ col &+ j] }
      }
      out.append(d)
      col += w
    }
    return out
  }
}
