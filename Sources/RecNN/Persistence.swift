/// `Codable` for the state of the network: `Tensor`, `Parameter` and the layers that hold
/// weights (`Embedding`, `Linear`, `GRU`), so a model built from them is `Codable` by
/// synthesis and saves through `RecModels.BinaryStateEncoder` (its `[Float]` fast path
/// writes each tensor's scalars as one raw block).
///
/// What is saved is what scoring needs: weights and shapes. Gradients, caches of the last
/// forward pass and optimizer state (`Parameter`'s moments and step count) are not: a loaded
/// model scores and recommends, and training it further starts its optimizer afresh.
/// Decoding checks every shape and throws a `DecodingError` naming the field rather than
/// reaching the initialisers' preconditions. Shared parameters (weight tying) load as copies.

extension Tensor: Codable {
  private enum CodingKeys: String, CodingKey {
    case shape, scalars
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let shape = try c.decode([Int].self, forKey: .shape)
    let scalars = try c.decode([Float].self, forKey: .scalars)
    var count = 1
    for n in shape {
      let (p, overflow) = count.multipliedReportingOverflow(by: n)
      guard n >= 0, !overflow else {
        throw DecodingError.dataCorruptedError(
          forKey: .shape, in: c, debugDescription: "impossible shape \(shape)")
      }
      count = p
    }
    guard count == scalars.count else {
      throw DecodingError.dataCorruptedError(
        forKey: .scalars, in: c,
        debugDescription: "shape \(shape) needs \(count) scalars, found \(scalars.count)")
    }
    self.init(shape: shape, scalars: scalars)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(shape, forKey: .shape)
    try c.encode(scalars, forKey: .scalars)
  }
}

extension Parameter: Codable {
  private enum CodingKeys: String, CodingKey {
    case value, sparse
  }

  /// The weights and whether the gradient is row-sparse; the gradient starts at zero and the
  /// optimizer state empty.
  public convenience init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      try c.decode(Tensor.self, forKey: .value),
      sparse: try c.decodeIfPresent(Bool.self, forKey: .sparse) ?? false)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(value, forKey: .value)
    try c.encode(isSparse, forKey: .sparse)
  }
}

/// Throws unless `t` has `rank` axes (and, where given, the expected extents).
private func checkShape<K: CodingKey>(
  _ t: Tensor, _ expected: [Int?], _ key: K, in c: KeyedDecodingContainer<K>
) throws {
  let ok = t.shape.count == expected.count && zip(t.shape, expected).allSatisfy { $1 == nil || $0 == $1 }
  guard ok else {
    let want = expected.map { $0.map(String.init) ?? "_" }.joined(separator: ", ")
    throw DecodingError.dataCorruptedError(
      forKey: key, in: c, debugDescription: "expected shape (\(want)), found \(t.shape)")
  }
}

extension Embedding: Codable {
  private enum CodingKeys: String, CodingKey {
    case weight, paddingIndex
  }

  public convenience init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let w = try c.decode(Tensor.self, forKey: .weight)
    try checkShape(w, [nil, nil], CodingKeys.weight, in: c)
    let p = try c.decodeIfPresent(Int.self, forKey: .paddingIndex)
    if let p, p < 0 || p >= w.shape[0] {
      throw DecodingError.dataCorruptedError(
        forKey: .paddingIndex, in: c, debugDescription: "padding index \(p) outside 0..<\(w.shape[0])")
    }
    self.init(weight: w, paddingIndex: p)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(weight.value, forKey: .weight)
    try c.encodeIfPresent(paddingIndex, forKey: .paddingIndex)
  }
}

extension Linear: Codable {
  private enum CodingKeys: String, CodingKey {
    case weight, bias
  }

  public convenience init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let w = try c.decode(Tensor.self, forKey: .weight)
    try checkShape(w, [nil, nil], CodingKeys.weight, in: c)
    let b = try c.decodeIfPresent(Tensor.self, forKey: .bias)
    if let b { try checkShape(b, [w.shape[0]], CodingKeys.bias, in: c) }
    self.init(weight: w, bias: b)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(weight.value, forKey: .weight)
    try c.encodeIfPresent(bias?.value, forKey: .bias)
  }
}

extension GRU: Codable {
  private enum CodingKeys: String, CodingKey {
    case weightIH, weightHH, biasIH, biasHH
  }

  public convenience init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let wih = try c.decode(Tensor.self, forKey: .weightIH)
    try checkShape(wih, [nil, nil], CodingKeys.weightIH, in: c)
    guard wih.shape[0] % 3 == 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: .weightIH, in: c, debugDescription: "\(wih.shape[0]) rows are not 3 gate blocks")
    }
    let h = wih.shape[0] / 3
    let whh = try c.decode(Tensor.self, forKey: .weightHH)
    try checkShape(whh, [3 * h, h], CodingKeys.weightHH, in: c)
    let bih = try c.decode(Tensor.self, forKey: .biasIH)
    try checkShape(bih, [3 * h], CodingKeys.biasIH, in: c)
    let bhh = try c.decode(Tensor.self, forKey: .biasHH)
    try checkShape(bhh, [3 * h], CodingKeys.biasHH, in: c)
    self.init(weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(weightIH.value, forKey: .weightIH)
    try c.encode(weightHH.value, forKey: .weightHH)
    try c.encode(biasIH.value, forKey: .biasIH)
    try c.encode(biasHH.value, forKey: .biasHH)
  }
}
