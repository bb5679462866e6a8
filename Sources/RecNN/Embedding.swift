import RecData

/// A lookup table of `count` rows of `dim` floats, with row-sparse gradients.
///
/// Shapes: `weight: (count, dim)`; `forward(indices)` returns `(indices.count, dim)`.
/// `backward` adds each row of `dOut` into the gradient row of its index and records the
/// row as touched, so zeroing and the lazy optimizers cost O(batch), not O(count).
/// With a `paddingIndex` that row starts at zero and never receives gradient (PyTorch's
/// `padding_idx`), so padded positions in a sequence read zeros.
public final class Embedding {
  public let weight: Parameter
  public let count: Int
  public let dim: Int
  public let paddingIndex: Int?
  private var indices: [Int] = []

  /// A table drawn from `N(0, std^2)` (0.01 by default, as NeuMF and GRU4Rec initialise theirs).
  public convenience init(
    count: Int, dim: Int, std: Float = 0.01, paddingIndex: Int? = nil, using rng: inout SeededGenerator
  ) {
    var w = Tensor.normal(shape: [count, dim], std: std, using: &rng)
    if let p = paddingIndex {
      precondition(p >= 0 && p < count)
      for j in 0..<dim { w.scalars[p * dim + j] = 0 }
    }
    self.init(weight: w, paddingIndex: paddingIndex)
  }

  /// A table with the given weights `(count, dim)`.
  public init(weight: Tensor, paddingIndex: Int? = nil) {
    precondition(weight.shape.count == 2)
    count = weight.shape[0]
    dim = weight.shape[1]
    self.paddingIndex = paddingIndex
    self.weight = Parameter(weight, sparse: true)
  }

  public var parameters: [Parameter] { [weight] }

  /// Gathers rows: `(indices.count, dim)`. Every index must be in `0..<count` (models map raw ids
  /// to dense indices before this point; an out-of-range index is a programming error).
  public func forward(_ indices: [Int]) -> Tensor {
    self.indices = indices
    var out = Tensor(shape: [indices.count, dim])
    Kernels.gatherRows(table: weight.value.scalars, dim: dim, indices: indices, into: &out.scalars)
    return out
  }

  /// Scatter-adds `dOut: (indices.count, dim)` into the touched rows of `weight.grad`.
  public func backward(_ dOut: Tensor) {
    precondition(dOut.count == indices.count * dim)
    for r in indices where r != paddingIndex { weight.markTouched(r) }
    Kernels.scatterAddRows(
      dOut.scalars, dim: dim, indices: indices, skip: paddingIndex, into: &weight.grad.scalars)
  }
}
