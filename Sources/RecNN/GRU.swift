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
/// one `(batch, hidden) x (hidden, 3 hidden)` product and the gate arithmetic
/// (`Kernels.gruCellForward`, eight units at a time). Batch rows are independent, so the
/// recurrence runs on fixed halves of the batch in parallel (`Kernels.gruForwardRecurrence`).
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

  /// A GRU holding the given weights (a trained model rebuilding its layer for scoring):
  /// `weightIH: (3 hidden, inputs)`, `weightHH: (3 hidden, hidden)`, biases `(3 hidden)`.
  public init(weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) {
    precondition(weightIH.shape.count == 2 && weightIH.shape[0] % 3 == 0)
    let h = weightIH.shape[0] / 3
    precondition(weightHH.shape == [3 * h, h] && biasIH.count == 3 * h && biasHH.count == 3 * h)
    inputs = weightIH.shape[1]
    hidden = h
    self.weightIH = Parameter(weightIH)
    self.weightHH = Parameter(weightHH)
    self.biasIH = Parameter(biasIH)
    self.biasHH = Parameter(biasHH)
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
    var xT = [Float](repeating: 0, count: T * B * I)
    Kernels.swapLeadingAxes(x.scalars, B, T, width: I, into: &xT)
    // Input projections of every step in one sgemm: gi = xT W_ih^T + b_ih, (steps * batch, 3H).
    var gi = [Float](repeating: 0, count: T * B * G)
    Kernels.fillRows(&gi, rows: T * B, with: biasIH.value.scalars)
    Kernels.gemm(
      transA: false, transB: true, m: T * B, n: G, k: I, a: xT, b: weightIH.value.scalars, beta: 1, c: &gi)
    // Local arrays (moved into the caches at the end): a stored property of a class pays an
    // exclusivity check on every access.
    var states = [Float](repeating: 0, count: (T + 1) * B * H)
    var r = [Float](repeating: 0, count: T * B * H)
    var z = r
    var n = r
    var ghn = r
    Kernels.gruForwardRecurrence(
      batch: B, steps: T, hidden: H, lengths: lengths, chunks: recurrenceChunks(batch: B), gi: gi,
      wHH: weightHH.value.scalars, bHH: biasHH.value.scalars, states: &states, r: &r, z: &z, n: &n, ghn: &ghn)
    let outputs = Tensor(
      shape: [B, T, H],
      scalars: Kernels.gruOutputs(states: states, batch: B, steps: T, hidden: H, lengths: lengths))
    let last = Tensor(shape: [B, H], scalars: Array(states[(T * B * H)..<((T + 1) * B * H)]))
    (self.xT, self.states, self.r, self.z, self.n, self.ghn) = (xT, states, r, z, n, ghn)
    return (outputs, last)
  }

  /// Fixed chunks of batch rows for the recurrence: two when each holds at least ~0.5 MFLOP over
  /// all steps and 8 rows (a function of the shape only, so results do not depend on threads).
  private func recurrenceChunks(batch B: Int) -> Int {
    B >= 16 && Parallel.chunkCount(work: B * steps * hidden * 3 * hidden, grain: 1 << 18) == 2 ? 2 : 1
  }

  /// Backpropagation through time. `dOutputs: (batch, steps, hidden)` (entries at padded
  /// positions are ignored), `dLast: (batch, hidden)` or nil. Accumulates the weight gradients
  /// and returns `dx: (batch, steps, inputs)` (zero at padded positions).
  ///
  /// Only `dh_{t-1} += dGH_t W_hh` must run step by step (`Kernels.gruBackwardRecurrence`); the
  /// gate gradients of all steps are kept `(steps * batch, 3H)` so that both weight gradients are
  /// one sgemm each over all steps.
  public func backward(dOutputs: Tensor?, dLast: Tensor?) -> Tensor {
    let (B, T, I, H) = (batch, steps, inputs, hidden)
    let G = 3 * H
    precondition(dOutputs.map { $0.count == B * T * H } ?? true, "dOutputs must be (\(B), \(T), \(H))")
    precondition(dLast.map { $0.count == B * H } ?? true, "dLast must be (\(B), \(H))")
    let (xT, states, r, z, n, ghn) = (self.xT, self.states, self.r, self.z, self.n, self.ghn)
    var dGI = [Float](repeating: 0, count: T * B * G)
    var dGH = dGI
    Kernels.gruBackwardRecurrence(
      batch: B, steps: T, hidden: H, lengths: lengths, chunks: recurrenceChunks(batch: B),
      dOutputs: dOutputs?.scalars, dLast: dLast?.scalars, r: r, z: z, n: n, ghn: ghn, states: states,
      wHH: weightHH.value.scalars, dGI: &dGI, dGH: &dGH)
    // dW_hh += dGH^T h_{t-1} over all steps (states[0..<T] is (steps * batch, H)); db_hh += colsum dGH.
    Kernels.gemm(
      transA: true, transB: false, m: G, n: H, k: T * B, a: dGH, b: states, beta: 1, c: &weightHH.grad.scalars
    )
    Kernels.addColumnSums(of: dGH, rows: T * B, columns: G, into: &biasHH.grad.scalars)
    // Input side for all steps at once: dW_ih += dGI^T xT, db_ih += colsum dGI, dxT = dGI W_ih.
    Kernels.gemm(
      transA: true, transB: false, m: G, n: I, k: T * B, a: dGI, b: xT, beta: 1, c: &weightIH.grad.scalars)
    Kernels.addColumnSums(of: dGI, rows: T * B, columns: G, into: &biasIH.grad.scalars)
    var dxT = [Float](repeating: 0, count: T * B * I)
    Kernels.gemm(
      transA: false, transB: false, m: T * B, n: I, k: G, a: dGI, b: weightIH.value.scalars, beta: 0, c: &dxT)
    var dx = [Float](repeating: 0, count: B * T * I)
    Kernels.swapLeadingAxes(dxT, T, B, width: I, into: &dx)
    return Tensor(shape: [B, T, I], scalars: dx)
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
