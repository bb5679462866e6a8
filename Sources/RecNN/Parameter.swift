/// A trainable tensor with its gradient and its optimizer state.
///
/// A reference type so that a layer, the model that composes it and the optimizer all see the
/// same weights. Gradients accumulate (`backward` adds into `grad`); `zeroGrad()` clears them.
///
/// Sparse parameters (embedding tables) record which rows a batch touched in `touchedRows`
/// (first-touch order, each row once): `zeroGrad` then clears only those rows, and the lazy
/// optimizers update only them, so a step costs O(batch) rather than O(table).
public final class Parameter {
  /// The weights.
  public var value: Tensor
  /// The accumulated gradient, same shape as `value`.
  public var grad: Tensor
  /// Whether the gradient is row-sparse (only `touchedRows` may be non-zero).
  public let isSparse: Bool
  /// Rows with a (possibly) non-zero gradient, in first-touch order; used when `isSparse`.
  public private(set) var touchedRows: [Int] = []
  private var touched: [Bool]

  /// Optimizer state: first and second moments (Adam), accumulator (Adagrad), velocity (SGD).
  var moment1: [Float] = []
  var moment2: [Float] = []
  /// Optimizer steps taken on this parameter.
  var steps = 0

  /// A parameter holding `value`, with a zero gradient.
  public init(_ value: Tensor, sparse: Bool = false) {
    self.value = value
    self.grad = Tensor(shape: value.shape)
    self.isSparse = sparse
    self.touched = sparse ? [Bool](repeating: false, count: value.rows) : []
  }

  /// Elements per row (the embedding dimension for a table).
  public var rowWidth: Int { value.columns }

  /// Records that row `r` of a sparse parameter has gradient.
  @inline(__always)
  func markTouched(_ r: Int) {
    if !touched[r] {
      touched[r] = true
      touchedRows.append(r)
    }
  }

  /// Clears the gradient: only the touched rows when sparse.
  public func zeroGrad() {
    if isSparse {
      let d = rowWidth
      for r in touchedRows {
        for j in 0..<d { grad.scalars[r &* d &+ j] = 0 }
        touched[r] = false
      }
      touchedRows.removeAll(keepingCapacity: true)
    } else {
      grad.zero()
    }
  }
}
