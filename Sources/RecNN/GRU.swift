import RecData

/// A single-layer GRU over a batch of padded sequences, with backpropagation through time:
/// the recurrent cell of GRU4Rec (Hidasi et al. 2016), in PyTorch's `nn.GRU` formulation so
/// weights transfer:
///
///     r = sigmoid(x W_ir^T + b_ir + h W_hr^T + b_hr)
///     z = sigmoid(x W_iz^T + b_iz + h W_hz^T + b_hz)
///     n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn))
///     h' = (1 - z) * n + z * h
///
/// Shapes: `x: (batch, steps, inputs)`, `weightIH: (3 hidden, inputs)` and
/// `weightHH: (3 hidden, hidden)` with gate blocks in the order r, z, n; biases `(3 hidden)`;
/// outputs `(batch, steps, hidden)`, last state `(batch, hidden)`.
///
/// Padding: sequence `b` is valid for `t < lengths[b]`. Past its end the state is carried
/// unchanged and the output is zero, so `last` is the state after the last real item and a
/// length-0 sequence has `last = 0`. (This matches PyTorch's packed sequences.)
///
/// The input projection of all steps is one sgemm before the recurrence; each step then costs
/// one `(batch, hidden) x (hidden, 3 hidden)` product.
public final class GRU {
  public let inputs: Int
  public let hidden: Int
  public let weightIH: Parameter
  public let weightHH: Parameter
  public let biasIH: Parameter
  public let biasHH: Parameter

  // Caches of the last forward, time-major: `(steps, batch, .)`.
  private var batch = 0
  private var steps = 0
  private var lengths: [Int] = []
  private var xT: [Float] = []
  private var states: [Float] = []  // (steps + 1, batch, hidden); states[0] = h0 = 0
  private var r: [Float] = []
  private var z: [Float] = []
  private var n: [Float] = []
  private var ghn: [Float] = []  // h W_hn^T + b_hn, needed for dr

  /// A GRU initialised as PyTorch does: every weight and bias `U(-1/sqrt(hidden), 1/sqrt(hidden))`.
  public init(inputs: Int, hidden: Int, using rng: inout SeededGenerator) {
    let a = 1 / Float(hidden).squareRoot()
    self.inputs = inputs
    self.hidden = hidden
    weightIH = Parameter(.uniform(shape: [3 * hidden, inputs], low: -a, high: a, using: &rng))
    weightHH = Parameter(.uniform(shape: [3 * hidden, hidden], low: -a, high: a, using: &rng))
    biasIH = Parameter(.uniform(shape: [3 * hidden], low: -a, high: a, using: &rng))
    biasHH = Parameter(.uniform(shape: [3 * hidden], low: -a, high: a, using: &rng))
  }

  public var parameters: [Parameter] { [weightIH, weightHH, biasIH, biasHH] }

  /// Runs the recurrence. `lengths[b]` in `0...steps` (a programmer invariant: models build it).
  /// - Complexity: `6 batch steps hidden (inputs + hidden)` flops.
  public func forward(_ x: Tensor, lengths: [Int]) -> (outputs: Tensor, last: Tensor) {
    precondition(x.shape.count == 3 && x.shape[2] == inputs, "GRU expects (batch, steps, \(inputs))")
    let (B, T, I, H) = (x.shape[0], x.shape[1], inputs, hidden)
    precondition(lengths.count == B && lengths.allSatisfy { $0 >= 0 && $0 <= T })
    batch = B
    steps = T
    self.lengths = lengths
    let G = 3 * H
    // Time-major copy of x so that step t is one contiguous (batch, inputs) block.
    xT = [Float](repeating: 0, count: T * B * I)
    for b in 0..<B {
      for t in 0..<T {
        for i in 0..<I { xT[(t &* B &+ b) &* I &+ i] = x.scalars[(b &* T &+ t) &* I &+ i] }
      }
    }
    var gi = [Float](repeating: 0, count: T * B * G)
    for row in 0..<(T * B) {
      for j in 0..<G { gi[row &* G &+ j] = biasIH.value.scalars[j] }
    }
    Kernels.gemm(
      transA: false, transB: true, m: T * B, n: G, k: I, a: xT, b: weightIH.value.scalars, beta: 1, c: &gi)
    states = [Float](repeating: 0, count: (T + 1) * B * H)
    r = [Float](repeating: 0, count: T * B * H)
    z = r
    n = r
    ghn = r
    var outputs = Tensor(shape: [B, T, H])
    var gh = [Float](repeating: 0, count: B * G)
    for t in 0..<T {
      for b in 0..<B {
        for j in 0..<G { gh[b &* G &+ j] = biasHH.value.scalars[j] }
      }
      Kernels.gemm(
        transA: false, transB: true, m: B, n: G, k: H, a: states, aOffset: t * B * H,
        b: weightHH.value.scalars, beta: 1, c: &gh)
      for b in 0..<B {
        let prev = (t &* B &+ b) &* H
        let cur = prev &+ B &* H
        let cache = (t &* B &+ b) &* H
        let valid = t < lengths[b]
        for j in 0..<H {
          let hPrev = states[prev &+ j]
          guard valid else {
            states[cur &+ j] = hPrev
            continue
          }
          let gRow = (t &* B &+ b) &* G
          let hRow = b &* G
          let rj = sigmoid(gi[gRow &+ j] + gh[hRow &+ j])
          let zj = sigmoid(gi[gRow &+ H &+ j] + gh[hRow &+ H &+ j])
          let hn = gh[hRow &+ 2 &* H &+ j]
          let nj = tanhf(gi[gRow &+ 2 &* H &+ j] + rj * hn)
          let h = (1 - zj) * nj + zj * hPrev
          r[cache &+ j] = rj
          z[cache &+ j] = zj
          n[cache &+ j] = nj
          ghn[cache &+ j] = hn
          states[cur &+ j] = h
          outputs.scalars[(b &* T &+ t) &* H &+ j] = h
        }
      }
    }
    let last = Tensor(shape: [B, H], scalars: Array(states[(T * B * H)..<((T + 1) * B * H)]))
    return (outputs, last)
  }

  /// Backpropagation through time. `dOutputs: (batch, steps, hidden)` (entries at padded
  /// positions are ignored), `dLast: (batch, hidden)` or nil. Accumulates the weight gradients
  /// and returns `dx: (batch, steps, inputs)` (zero at padded positions).
  public func backward(dOutputs: Tensor?, dLast: Tensor?) -> Tensor {
    let (B, T, I, H) = (batch, steps, inputs, hidden)
    let G = 3 * H
    var dh = dLast?.scalars ?? [Float](repeating: 0, count: B * H)
    var dGI = [Float](repeating: 0, count: T * B * G)
    var dGH = [Float](repeating: 0, count: B * G)
    var dhPrev = [Float](repeating: 0, count: B * H)
    for t in stride(from: T - 1, through: 0, by: -1) {
      for b in 0..<B {
        let valid = t < lengths[b]
        let hRow = b &* G
        for j in 0..<H {
          let k = b &* H &+ j
          guard valid else {
            // Carried state: the gradient passes to the previous step unchanged.
            dGH[hRow &+ j] = 0
            dGH[hRow &+ H &+ j] = 0
            dGH[hRow &+ 2 &* H &+ j] = 0
            dhPrev[k] = dh[k]
            continue
          }
          let c = (t &* B &+ b) &* H &+ j
          let g = dh[k] + (dOutputs?.scalars[(b &* T &+ t) &* H &+ j] ?? 0)
          let (rj, zj, nj) = (r[c], z[c], n[c])
          let hPrev = states[(t &* B &+ b) &* H &+ j]
          let dn = g * (1 - zj)
          let dz = g * (hPrev - nj)
          let dan = dn * (1 - nj * nj)
          let dar = dan * ghn[c] * rj * (1 - rj)
          let daz = dz * zj * (1 - zj)
          let gRow = (t &* B &+ b) &* G
          dGI[gRow &+ j] = dar
          dGI[gRow &+ H &+ j] = daz
          dGI[gRow &+ 2 &* H &+ j] = dan
          dGH[hRow &+ j] = dar
          dGH[hRow &+ H &+ j] = daz
          dGH[hRow &+ 2 &* H &+ j] = dan * rj
          dhPrev[k] = g * zj
        }
      }
      // dW_hh += dGH^T h_{t-1};  db_hh += colsum dGH;  dh_{t-1} += dGH W_hh.
      Kernels.gemm(
        transA: true, transB: false, m: G, n: H, k: B, a: dGH, b: states, bOffset: t * B * H, beta: 1,
        c: &weightHH.grad.scalars)
      for b in 0..<B {
        for j in 0..<G { biasHH.grad.scalars[j] += dGH[b &* G &+ j] }
      }
      Kernels.gemm(
        transA: false, transB: false, m: B, n: H, k: G, a: dGH, b: weightHH.value.scalars, beta: 1,
        c: &dhPrev)
      swap(&dh, &dhPrev)
    }
    // Input side for all steps at once: dW_ih += dGI^T xT, db_ih += colsum dGI, dxT = dGI W_ih.
    Kernels.gemm(
      transA: true, transB: false, m: G, n: I, k: T * B, a: dGI, b: xT, beta: 1, c: &weightIH.grad.scalars)
    for row in 0..<(T * B) {
      for j in 0..<G { biasIH.grad.scalars[j] += dGI[row &* G &+ j] }
    }
    var dxT = [Float](repeating: 0, count: T * B * I)
    Kernels.gemm(
      transA: false, transB: false, m: T * B, n: I, k: G, a: dGI, b: weightIH.value.scalars, beta: 0, c: &dxT)
    var dx = Tensor(shape: [B, T, I])
    for b in 0..<B {
      for t in 0..<T {
        for i in 0..<I { dx.scalars[(b &* T &+ t) &* I &+ i] = dxT[(t &* B &+ b) &* I &+ i] }
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
