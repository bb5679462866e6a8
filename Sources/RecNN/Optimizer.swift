/// A rule that updates parameters from their accumulated gradients.
///
/// Optimizers keep only hyperparameters; per-parameter state (moments, step count) lives in the
/// `Parameter`, so a model's parameters can be handed to a fresh optimizer value at any time.
/// For row-sparse parameters (embeddings) `lazy == true` updates only the rows the batch touched
/// (TensorFlow's LazyAdam, PyTorch's SparseAdam): rows not in the batch keep stale moments, which
/// is the accepted trade for O(batch) steps. With `lazy == false` the whole table is updated.
/// Neither `step` zeroes gradients; call `zeroGrad()` on each parameter.
public protocol Optimizer {
  var learningRate: Float { get set }
  /// Applies one update to every parameter.
  func step(_ parameters: [Parameter])
}

/// Rows an update must visit: the touched rows of a lazily updated sparse parameter, else all.
@inline(__always)
func updateRows(_ p: Parameter, lazy: Bool) -> [Int]? { p.isSparse && lazy ? p.touchedRows : nil }

/// Stochastic gradient descent with momentum and L2 weight decay (PyTorch's `SGD`):
/// `g += wd p;  buf = momentum buf + g;  p -= lr buf` (`buf = g` on the first step).
public struct SGD: Optimizer {
  public var learningRate: Float
  public var momentum: Float
  public var weightDecay: Float
  public var lazy: Bool
  public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, lazy: Bool = true) {
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.lazy = lazy
  }
  public func step(_ parameters: [Parameter]) {
    for p in parameters {
      if momentum != 0 && p.moment1.isEmpty { p.moment1 = [Float](repeating: 0, count: p.value.count) }
      let first = p.steps == 0
      p.steps += 1
      forEachIndexRange(p, lazy: lazy) { range in
        for i in range {
          var g = p.grad.scalars[i] + weightDecay * p.value.scalars[i]
          if momentum != 0 {
            let b = first ? g : momentum * p.moment1[i] + g
            p.moment1[i] = b
            g = b
          }
          p.value.scalars[i] -= learningRate * g
        }
      }
    }
  }
}

/// Adagrad (Duchi et al. 2011; PyTorch's form): `g += wd p;  s += g^2;  p -= lr g / (sqrt(s) + eps)`.
public struct Adagrad: Optimizer {
  public var learningRate: Float
  public var epsilon: Float
  public var weightDecay: Float
  public var lazy: Bool
  public init(learningRate: Float, epsilon: Float = 1e-10, weightDecay: Float = 0, lazy: Bool = true) {
    self.learningRate = learningRate
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.lazy = lazy
  }
  public func step(_ parameters: [Parameter]) {
    for p in parameters {
      if p.moment2.isEmpty { p.moment2 = [Float](repeating: 0, count: p.value.count) }
      p.steps += 1
      forEachIndexRange(p, lazy: lazy) { range in
        for i in range {
          let g = p.grad.scalars[i] + weightDecay * p.value.scalars[i]
          p.moment2[i] += g * g
          p.value.scalars[i] -= learningRate * g / (p.moment2[i].squareRoot() + epsilon)
        }
      }
    }
  }
}

/// Adam (Kingma and Ba 2015) with coupled L2 (`decoupled == false`, PyTorch's `Adam`) or
/// decoupled weight decay (`decoupled == true`, AdamW, Loshchilov and Hutter 2019: `p *= 1 - lr wd`
/// before the Adam step).
public struct Adam: Optimizer {
  public var learningRate: Float
  public var beta1: Float
  public var beta2: Float
  public var epsilon: Float
  public var weightDecay: Float
  public var decoupled: Bool
  public var lazy: Bool
  public init(
    learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0, decoupled: Bool = false, lazy: Bool = true
  ) {
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decoupled = decoupled
    self.lazy = lazy
  }

  public func step(_ parameters: [Parameter]) {
    for p in parameters {
      if p.moment1.isEmpty {
        p.moment1 = [Float](repeating: 0, count: p.value.count)
        p.moment2 = p.moment1
      }
      p.steps += 1
      let t = p.steps
      let bc1 = 1 - Foundation_pow(Double(beta1), t)
      let bc2 = 1 - Foundation_pow(Double(beta2), t)
      let stepSize = Float(Double(learningRate) / bc1)
      let invSqrtBC2 = Float(1 / bc2.squareRoot())
      if weightDecay != 0 {
        // Decay folded in before the fused kernel: into the gradient (L2) or the weights (AdamW).
        forEachIndexRange(p, lazy: lazy) { range in
          if decoupled {
            let f = 1 - learningRate * weightDecay
            for i in range { p.value.scalars[i] *= f }
          } else {
            for i in range { p.grad.scalars[i] += weightDecay * p.value.scalars[i] }
          }
        }
      }
      if let rows = updateRows(p, lazy: lazy) {
        Kernels.adamUpdateRows(
          p: &p.value.scalars, g: p.grad.scalars, m: &p.moment1, v: &p.moment2, dim: p.rowWidth, rows: rows,
          stepSize: stepSize, beta1: beta1, beta2: beta2, invSqrtBC2: invSqrtBC2, eps: epsilon)
      } else {
        Kernels.adamUpdate(
          p: &p.value.scalars, g: p.grad.scalars, m: &p.moment1, v: &p.moment2, stepSize: stepSize,
          beta1: beta1, beta2: beta2, invSqrtBC2: invSqrtBC2, eps: epsilon)
      }
    }
  }
}

/// AdamW: Adam with decoupled weight decay (default 0.01, as PyTorch's `AdamW`).
public func AdamW(
  learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
  weightDecay: Float = 0.01, lazy: Bool = true
) -> Adam {
  Adam(
    learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay,
    decoupled: true, lazy: lazy)
}

/// Calls `body` with the index ranges an update visits: each touched row, or the whole tensor.
@inline(__always)
func forEachIndexRange(_ p: Parameter, lazy: Bool, _ body: (Range<Int>) -> Void) {
  if let rows = updateRows(p, lazy: lazy) {
    let d = p.rowWidth
    for r in rows { body(r * d..<(r + 1) * d) }
  } else {
    body(0..<p.value.count)
  }
}

/// Scales all gradients so that their global L2 norm is at most `maxNorm`; returns the norm
/// before clipping. The norm is summed in Double in parameter order (only touched rows of
/// sparse parameters, which are the only non-zero ones).
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
  var total = 0.0
  for p in parameters {
    forEachIndexRange(p, lazy: true) { range in
      for i in range { total += Double(p.grad.scalars[i]) * Double(p.grad.scalars[i]) }
    }
  }
  let norm = Float(total.squareRoot())
  if norm > maxNorm {
    let scale = maxNorm / (norm + 1e-6)
    for p in parameters {
      forEachIndexRange(p, lazy: true) { range in
        for i in range { p.grad.scalars[i] *= scale }
      }
    }
  }
  return norm
}
