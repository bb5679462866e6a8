import RecData

/// A dense Float32 tensor: a shape and row-major storage.
///
/// Storage is a Swift array, so copies are copy-on-write: passing a tensor around or
/// `reshaped(_:)` costs nothing until one of the copies is written. Views that would
/// save a copy (a row of a matrix) are `ArraySlice`s of the storage (`row(_:)`).
///
/// Shapes in doc comments use the notation `x: (batch, dim)`; the last index varies fastest.
public struct Tensor: Equatable, Sendable {
  /// The extent of each axis; `shape.reduce(1, *) == scalars.count`.
  public private(set) var shape: [Int]
  /// The elements in row-major order.
  public var scalars: [Float]

  /// A tensor of `shape` filled with `value`.
  public init(shape: [Int], repeating value: Float = 0) {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
    self.shape = shape
    self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
  }

  /// A tensor of `shape` holding `scalars` (row-major).
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) does not hold \(scalars.count) scalars")
    self.shape = shape
    self.scalars = scalars
  }

  /// The number of elements.
  public var count: Int { scalars.count }
  /// The extent of the first axis (rows of a matrix, batch of a sequence tensor).
  public var rows: Int { shape.first ?? 1 }
  /// The number of elements per row: the product of every axis but the first.
  public var columns: Int { shape.count <= 1 ? (shape.first ?? 1) : shape.dropFirst().reduce(1, *) }

  /// The same elements under another shape of equal count; shares storage until written.
  public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars) }

  /// Row `i` of the tensor seen as a `(rows, columns)` matrix, without copying.
  public func row(_ i: Int) -> ArraySlice<Float> {
    let c = shape.count <= 1 ? count : columns
    return scalars[i * c..<(i + 1) * c]
  }

  /// The element at a multi-index (programmer use; bounds are preconditions).
  public subscript(_ index: Int...) -> Float {
    get { scalars[offset(index)] }
    set { scalars[offset(index)] = newValue }
  }

  private func offset(_ index: [Int]) -> Int {
    precondition(index.count == shape.count, "index \(index) for shape \(shape)")
    var o = 0
    for (i, n) in zip(index, shape) {
      precondition(i >= 0 && i < n, "index \(index) out of shape \(shape)")
      o = o * n + i
    }
    return o
  }

  /// Sets every element to zero, keeping the shape (and the storage when it is unique).
  public mutating func zero() {
    scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
  }
}

// MARK: - Seeded initialisers

extension Tensor {
  /// Uniform in `[low, high)`: `low + (high - low) * u` with a 24-bit `u`, the same on every machine.
  public static func uniform(
    shape: [Int], low: Float, high: Float, using rng: inout SeededGenerator
  ) -> Tensor {
    var t = Tensor(shape: shape)
    for i in 0..<t.count { t.scalars[i] = low + (high - low) * rng.nextFloat() }
    return t
  }

  /// Normal with `mean` and `std`, drawn in Double (Box-Muller) and rounded to Float.
  public static func normal(
    shape: [Int], mean: Float = 0, std: Float, using rng: inout SeededGenerator
  ) -> Tensor {
    var t = Tensor(shape: shape)
    for i in 0..<t.count { t.scalars[i] = mean + std * Float(rng.nextGaussian()) }
    return t
  }

  /// Xavier/Glorot uniform: `U(-a, a)` with `a = sqrt(6 / (fanIn + fanOut))` (Glorot and Bengio 2010).
  public static func xavierUniform(
    shape: [Int], fanIn: Int, fanOut: Int, using rng: inout SeededGenerator
  ) -> Tensor {
    let a = (6 / Float(fanIn + fanOut)).squareRoot()
    return uniform(shape: shape, low: -a, high: a, using: &rng)
  }

  /// Xavier/Glorot normal: `N(0, 2 / (fanIn + fanOut))`.
  public static func xavierNormal(
    shape: [Int], fanIn: Int, fanOut: Int, using rng: inout SeededGenerator
  ) -> Tensor {
    normal(shape: shape, std: (2 / Float(fanIn + fanOut)).squareRoot(), using: &rng)
  }

  /// He/Kaiming normal for ReLU layers: `N(0, 2 / fanIn)` (He et al. 2015).
  public static func heNormal(shape: [Int], fanIn: Int, using rng: inout SeededGenerator) -> Tensor {
    normal(shape: shape, std: (2 / Float(fanIn)).squareRoot(), using: &rng)
  }

  /// He/Kaiming uniform: `U(-a, a)` with `a = sqrt(6 / fanIn)`.
  public static func heUniform(shape: [Int], fanIn: Int, using rng: inout SeededGenerator) -> Tensor {
    let a = (6 / Float(fanIn)).squareRoot()
    return uniform(shape: shape, low: -a, high: a, using: &rng)
  }
}
