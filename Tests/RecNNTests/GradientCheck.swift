import RecData
import RecNN

/// Central finite differences in Double around Float32 values, as llm.c checks its layers.
///
/// `loss` recomputes the scalar objective (for layers `sum(out * dOut)` with a fixed random
/// `dOut`, so every output element contributes with its own weight). Each element `i` is
/// moved by `+-eps`, the loss evaluated in Double, and `(L+ - L-) / 2 eps` compared with the
/// analytic gradient by the relative error of the whole vector,
/// `|a - n| / max(|a|, |n|, 1e-6)`.
struct GradientCheck {
  var eps: Float = 1e-2

  /// Numeric gradient of `loss` with respect to the elements exposed by `get` / `set`.
  func numeric(count: Int, get: (Int) -> Float, set: (Int, Float) -> Void, loss: () -> Double) -> [Double] {
    (0..<count).map { i in
      let x = get(i)
      set(i, x + eps)
      let up = loss()
      set(i, x - eps)
      let down = loss()
      set(i, x)
      return (up - down) / (2 * Double(eps))
    }
  }

  /// Relative error between an analytic and a numeric gradient (vector norms).
  static func relativeError(_ analytic: [Float], _ numeric: [Double]) -> Double {
    precondition(analytic.count == numeric.count)
    var diff = 0.0
    var na = 0.0
    var nn = 0.0
    for (a, n) in zip(analytic, numeric) {
      diff += (Double(a) - n) * (Double(a) - n)
      na += Double(a) * Double(a)
      nn += n * n
    }
    return diff.squareRoot() / max(na.squareRoot(), nn.squareRoot(), 1e-6)
  }

  /// Relative error for a parameter's accumulated gradient.
  func check(_ p: Parameter, loss: () -> Double) -> Double {
    let n = numeric(
      count: p.value.count, get: { p.value.scalars[$0] }, set: { p.value.scalars[$0] = $1 }, loss: loss)
    return Self.relativeError(p.grad.scalars, n)
  }

  /// Relative error for an input tensor's gradient `dx`, where `x` is read by `loss`.
  func check(input x: inout Tensor, dx: Tensor, loss: (Tensor) -> Double) -> Double {
    var xv = x
    let n = numeric(
      count: x.count, get: { xv.scalars[$0] }, set: { xv.scalars[$0] = $1 }, loss: { loss(xv) })
    x = xv
    return Self.relativeError(dx.scalars, n)
  }
}

/// `sum(out * dOut)` in Double: the objective whose gradient with respect to `out` is `dOut`.
func weightedSum(_ out: Tensor, _ dOut: Tensor) -> Double {
  precondition(out.count == dOut.count)
  var s = 0.0
  for i in 0..<out.count { s += Double(out.scalars[i]) * Double(dOut.scalars[i]) }
  return s
}

/// A random tensor in `[-scale, scale)` drawn from `seed`.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
  var rng = SeededGenerator(seed: seed)
  return Tensor.uniform(shape: shape, low: -scale, high: scale, using: &rng)
}

/// A random tensor whose elements stay at least `gap` away from zero (for ReLU-like kinks).
func randomTensorAwayFromZero(_ shape: [Int], seed: UInt64, gap: Float = 0.05) -> Tensor {
  var t = randomTensor(shape, seed: seed)
  for i in 0..<t.count where abs(t.scalars[i]) < gap { t.scalars[i] = t.scalars[i] < 0 ? -gap * 2 : gap * 2 }
  return t
}
