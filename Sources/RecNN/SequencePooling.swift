import RecData

/// Mean over the valid steps of each padded sequence.
///
/// Shapes: `x: (batch, steps, dim)`, `lengths: (batch)` in `0...steps` -> `(batch, dim)`.
/// A length-0 sequence pools to zeros (and passes no gradient).
public final class MeanPooling {
  private var lengths: [Int] = []
  private var inputShape: [Int] = []
  public init() {}

  public func forward(_ x: Tensor, lengths: [Int]) -> Tensor {
    let (B, T, d) = (x.shape[0], x.shape[1], x.shape[2])
    precondition(lengths.count == B && lengths.allSatisfy { $0 >= 0 && $0 <= T })
    self.lengths = lengths
    inputShape = x.shape
    var y = Tensor(shape: [B, d])
    for b in 0..<B where lengths[b] > 0 {
      for t in 0..<lengths[b] {
        for j in 0..<d { y.scalars[b &* d &+ j] += x.scalars[(b &* T &+ t) &* d &+ j] }
      }
      let inv = 1 / Float(lengths[b])
      for j in 0..<d { y.scalars[b &* d &+ j] *= inv }
    }
    return y
  }

  public func backward(_ dy: Tensor) -> Tensor {
    let (B, T, d) = (inputShape[0], inputShape[1], inputShape[2])
    var dx = Tensor(shape: inputShape)
    for b in 0..<B where lengths[b] > 0 {
      let inv = 1 / Float(lengths[b])
      for t in 0..<lengths[b] {
        for j in 0..<d { dx.scalars[(b &* T &+ t) &* d &+ j] = dy.scalars[b &* d &+ j] * inv }
      }
    }
    return dx
  }
}

/// Attention pooling with a learned query: `a = softmax_t(x_t . q)` over the valid steps,
/// `y = sum_t a_t x_t`.
///
/// Shapes: `x: (batch, steps, dim)`, `query: (dim)`, output `(batch, dim)`. Scores are shifted
/// by their maximum before `exp`, so large scores stay finite; length-0 sequences give zeros.
public final class AttentionPooling {
  public let query: Parameter
  private var input = Tensor(shape: [0, 0, 0])
  private var weights: [Float] = []
  private var lengths: [Int] = []

  public init(dim: Int, using rng: inout SeededGenerator) {
    let a = 1 / Float(dim).squareRoot()
    query = Parameter(.uniform(shape: [dim], low: -a, high: a, using: &rng))
  }

  public var parameters: [Parameter] { [query] }

  public func forward(_ x: Tensor, lengths: [Int]) -> Tensor {
    let (B, T, d) = (x.shape[0], x.shape[1], x.shape[2])
    precondition(d == query.value.count && lengths.count == B && lengths.allSatisfy { $0 >= 0 && $0 <= T })
    input = x
    self.lengths = lengths
    weights = [Float](repeating: 0, count: B * T)
    var y = Tensor(shape: [B, d])
    for b in 0..<B where lengths[b] > 0 {
      var mx = -Float.infinity
      for t in 0..<lengths[b] {
        var s: Float = 0
        for j in 0..<d { s += x.scalars[(b &* T &+ t) &* d &+ j] * query.value.scalars[j] }
        weights[b &* T &+ t] = s
        mx = max(mx, s)
      }
      var total: Float = 0
      for t in 0..<lengths[b] {
        let e = expf(weights[b &* T &+ t] - mx)
        weights[b &* T &+ t] = e
        total += e
      }
      for t in 0..<lengths[b] {
        let a = weights[b &* T &+ t] / total
        weights[b &* T &+ t] = a
        for j in 0..<d { y.scalars[b &* d &+ j] += a * x.scalars[(b &* T &+ t) &* d &+ j] }
      }
    }
    return y
  }

  /// `da_t = dy . x_t`, `ds_t = a_t (da_t - sum a da)`, `dx_t = a_t dy + ds_t q`, `dq += sum ds_t x_t`.
  public func backward(_ dy: Tensor) -> Tensor {
    let (B, T, d) = (input.shape[0], input.shape[1], input.shape[2])
    var dx = Tensor(shape: input.shape)
    for b in 0..<B where lengths[b] > 0 {
      var da = [Float](repeating: 0, count: lengths[b])
      var weighted: Float = 0
      for t in 0..<lengths[b] {
        for j in 0..<d { da[t] += dy.scalars[b &* d &+ j] * input.scalars[(b &* T &+ t) &* d &+ j] }
        weighted += weights[b &* T &+ t] * da[t]
      }
      for t in 0..<lengths[b] {
        let a = weights[b &* T &+ t]
        let ds = a * (da[t] - weighted)
        for j in 0..<d {
          let o = (b &* T &+ t) &* d &+ j
          dx.scalars[o] = a * dy.scalars[b &* d &+ j] + ds * query.value.scalars[j]
          query.grad.scalars[j] += ds * input.scalars[o]
        }
      }
    }
    return dx
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
