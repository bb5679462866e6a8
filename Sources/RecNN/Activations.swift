/// Element-wise activations, each a layer with `forward` / `backward` that caches what its
/// derivative needs (the input for ReLU-like ones, the output for sigmoid and tanh).
/// Shapes: any; the output has the input's shape.

/// `max(x, 0)`; the derivative at 0 is taken as 0 (PyTorch's convention).
public final class ReLU {
  private var input = Tensor(shape: [0])
  public init() {}
  public func forward(_ x: Tensor) -> Tensor {
    input = x
    return Tensor(shape: x.shape, scalars: x.scalars.map { max($0, 0) })
  }
  public func backward(_ dy: Tensor) -> Tensor {
    // Plain arrays: reading the cached input through `self` would check exclusivity per element.
    let x = input.scalars
    return Tensor(shape: dy.shape, scalars: zip(dy.scalars, x).map { $1 > 0 ? $0 : 0 })
  }
}

/// `x` for `x > 0`, `slope * x` otherwise.
public final class LeakyReLU {
  public let slope: Float
  private var input = Tensor(shape: [0])
  public init(slope: Float = 0.01) { self.slope = slope }
  public func forward(_ x: Tensor) -> Tensor {
    input = x
    let slope = slope
    return Tensor(shape: x.shape, scalars: x.scalars.map { $0 > 0 ? $0 : $0 * slope })
  }
  public func backward(_ dy: Tensor) -> Tensor {
    let (x, slope) = (input.scalars, slope)
    return Tensor(shape: dy.shape, scalars: zip(dy.scalars, x).map { $1 > 0 ? $0 : $0 * slope })
  }
}

/// The logistic function `1 / (1 + exp(-x))`, computed without overflow at any `x`.
@inline(__always)
public func sigmoid(_ x: Float) -> Float {
  // For x < 0 use exp(x) / (1 + exp(x)): exp(-x) would overflow to inf at x = -400.
  if x >= 0 { return 1 / (1 + expf(-x)) }
  let e = expf(x)
  return e / (1 + e)
}

/// `sigmoid(x)`; `dx = dy * y (1 - y)`.
public final class Sigmoid {
  private var output = Tensor(shape: [0])
  public init() {}
  public func forward(_ x: Tensor) -> Tensor {
    var y = x
    for i in 0..<y.count { y.scalars[i] = sigmoid(y.scalars[i]) }
    output = y
    return y
  }
  public func backward(_ dy: Tensor) -> Tensor {
    Tensor(shape: dy.shape, scalars: zip(dy.scalars, output.scalars).map { $0 * ($1 * (1 - $1)) })
  }
}

/// `tanh(x)`; `dx = dy (1 - y^2)`.
public final class Tanh {
  private var output = Tensor(shape: [0])
  public init() {}
  public func forward(_ x: Tensor) -> Tensor {
    var y = x
    for i in 0..<y.count { y.scalars[i] = tanhf(y.scalars[i]) }
    output = y
    return y
  }
  public func backward(_ dy: Tensor) -> Tensor {
    Tensor(shape: dy.shape, scalars: zip(dy.scalars, output.scalars).map { $0 * (1 - $1 * $1) })
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
