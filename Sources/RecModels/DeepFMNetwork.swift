import RecData
import RecNN

/// The trainable DeepFM network (Guo et al., IJCAI 2017): a shared feature embedding read by a
/// factorization machine and by an MLP, for training; ``DeepFMModel`` scores from a snapshot of
/// its weights. Without the factorization machine and with crossed features it is Wide & Deep
/// (Cheng et al., DLRS 2016): the wide part is the first-order terms plus one weight per crossed
/// pair of features, the deep part the same MLP.
///
/// Input: `rows` examples of `fields` fields each, given as flat entries `(slot, feature, value)`
/// with `slot = row * fields + field`: a field's embedding is the value-weighted sum of its
/// features' rows, `e_f = sum value_j v_j` (an embedding bag; a missing field is zero).
///
/// `logit = b + sum_j value_j w_j + sum_c value_c w_c + FM + DNN`, where the `c` are crossed
/// features (given apart, as `(row, cross, value)`: they have a weight and no embedding), and
/// - `FM = 1/2 sum_d [(sum_f e_fd)^2 - sum_f e_fd^2]`, the pairwise `sum_{f<g} <e_f, e_g>` in
///   O(fields * dim) (Rendle's sum-square trick);
/// - `DNN = MLP(concat e_f)`: `Linear -> ReLU -> Dropout` per hidden layer, then `Linear` to 1.
///
/// Shapes: `embedding.weight: (features, dim)`, `firstOrder.weight: (features, 1)`,
/// `cross.weight: (crosses, 1)`, DNN input `(rows, fields * dim)`. No autograd: `forward` caches
/// what `backward` needs.
final class DeepFMNetwork {
  /// Crossed-feature entries of a batch: example row, cross index, value.
  struct Crosses {
    var row: [Int] = []
    var feature: [Int] = []
    var value: [Float] = []
  }

  let fields: Int
  let dim: Int
  /// Whether the FM term is on (DeepFM) or off (Wide & Deep).
  let factorizationMachine: Bool
  let embedding: Embedding
  let firstOrder: Embedding
  /// The weights of the crossed features (nil when there are none).
  let cross: Embedding?
  let bias: Parameter
  let hidden: [Linear]
  let relus: [ReLU]
  let dropouts: [Dropout]
  let output: Linear

  // Forward caches.
  private var rows = 0
  private var slot: [Int] = []
  private var value: [Float] = []
  private var pooled: [Float] = []  // (rows, fields, dim)
  private var sums: [Float] = []  // (rows, dim)
  private var crosses = Crosses()

  /// A network with N(0, 0.01^2) embeddings (first order and crosses zero) and Xavier-uniform
  /// layers.
  init(
    features: Int, fields: Int, dim: Int, layers: [Int], dropout: Float, factorizationMachine: Bool = true,
    crosses: Int = 0, using rng: inout SeededGenerator
  ) {
    self.fields = fields
    self.dim = dim
    self.factorizationMachine = factorizationMachine
    embedding = Embedding(count: features, dim: dim, using: &rng)
    firstOrder = Embedding(weight: Tensor(shape: [features, 1]))
    cross = crosses > 0 ? Embedding(weight: Tensor(shape: [crosses, 1])) : nil
    bias = Parameter(Tensor(shape: [1]))
    var inputs = fields * dim
    var h = [Linear]()
    for width in layers {
      h.append(Linear(inputs: inputs, outputs: width, using: &rng))
      inputs = width
    }
    hidden = h
    relus = layers.map { _ in ReLU() }
    dropouts = layers.map { _ in Dropout(p: dropout, seed: rng.next()) }
    output = Linear(inputs: inputs, outputs: 1, using: &rng)
  }

  var parameters: [Parameter] {
    [embedding.weight, firstOrder.weight, bias] + (cross.map { [$0.weight] } ?? [])
      + hidden.flatMap(\.parameters)
      + output.parameters
  }

  /// Dropout on (training) or off (scoring).
  func setTraining(_ on: Bool) { for d in dropouts { d.isTraining = on } }

  /// Logits `(rows)` for the examples whose entries are `(slot, feature, value)`, and whose
  /// crossed features are `crosses`.
  func forward(rows: Int, slot: [Int], feature: [Int], value: [Float], crosses: Crosses = Crosses())
    -> [Float]
  {
    precondition(slot.count == feature.count && feature.count == value.count)
    precondition(crosses.row.isEmpty || cross != nil, "crossed features need a network built with crosses")
    self.rows = rows
    self.slot = slot
    self.value = value
    self.crosses = crosses
    let k = dim
    let vectors = embedding.forward(feature).scalars  // (entries, dim)
    let weights = firstOrder.forward(feature).scalars  // (entries, 1)
    var e = [Float](repeating: 0, count: rows * fields * k)
    var logits = [Float](repeating: bias.value.scalars[0], count: rows)
    for t in 0..<slot.count {
      let base = slot[t] * k
      let v = value[t]
      for d in 0..<k { e[base + d] += v * vectors[t * k + d] }
      logits[slot[t] / fields] += v * weights[t]
    }
    if let cross, !crosses.row.isEmpty {
      let w = cross.forward(crosses.feature).scalars
      for t in 0..<crosses.row.count { logits[crosses.row[t]] += crosses.value[t] * w[t] }
    }
    // FM: 1/2 sum_d (S_d^2 - sum_f e_fd^2).
    var s = [Float](repeating: 0, count: rows * k)
    for r in 0..<rows where factorizationMachine {
      var squares: Float = 0
      for f in 0..<fields {
        let base = (r * fields + f) * k
        for d in 0..<k {
          let x = e[base + d]
          s[r * k + d] += x
          squares += x * x
        }
      }
      var total: Float = 0
      for d in 0..<k { total += s[r * k + d] * s[r * k + d] }
      logits[r] += 0.5 * (total - squares)
    }
    pooled = e
    sums = s
    var h = Tensor(shape: [rows, fields * k], scalars: e)
    for (l, layer) in hidden.enumerated() {
      h = dropouts[l].forward(relus[l].forward(layer.forward(h)))
    }
    let y = output.forward(h)
    for r in 0..<rows { logits[r] += y.scalars[r] }
    return logits
  }

  /// Accumulates every parameter's gradient from `dLogits: (rows)`.
  func backward(_ dLogits: [Float]) {
    precondition(dLogits.count == rows)
    let k = dim
    bias.grad.scalars[0] += dLogits.reduce(0, +)
    var dh = output.backward(Tensor(shape: [rows, 1], scalars: dLogits))
    for l in stride(from: hidden.count - 1, through: 0, by: -1) {
      dh = hidden[l].backward(relus[l].backward(dropouts[l].backward(dh)))
    }
    // dE[r, f, d] = dDNN + dLogit[r] (S[r, d] - E[r, f, d]) (the second term with the FM only).
    var de = dh.scalars
    for r in 0..<rows where factorizationMachine {
      let g = dLogits[r]
      for f in 0..<fields {
        let base = (r * fields + f) * k
        for d in 0..<k { de[base + d] += g * (sums[r * k + d] - pooled[base + d]) }
      }
    }
    var dVectors = [Float](repeating: 0, count: slot.count * k)
    var dWeights = [Float](repeating: 0, count: slot.count)
    for t in 0..<slot.count {
      let base = slot[t] * k
      let v = value[t]
      for d in 0..<k { dVectors[t * k + d] = v * de[base + d] }
      dWeights[t] = v * dLogits[slot[t] / fields]
    }
    embedding.backward(Tensor(shape: [slot.count, k], scalars: dVectors))
    firstOrder.backward(Tensor(shape: [slot.count, 1], scalars: dWeights))
    if let cross, !crosses.row.isEmpty {
      let d = (0..<crosses.row.count).map { crosses.value[$0] * dLogits[crosses.row[$0]] }
      cross.backward(Tensor(shape: [crosses.row.count, 1], scalars: d))
    }
  }

  /// The weights as values (a snapshot the model keeps).
  func snapshot() -> DeepFMWeights {
    DeepFMWeights(
      fields: fields, dim: dim, embedding: embedding.weight.value.scalars,
      firstOrder: firstOrder.weight.value.scalars, cross: cross?.weight.value.scalars ?? [],
      bias: bias.value.scalars[0],
      layers: (hidden + [output]).map {
        DeepFMWeights.Layer(
          inputs: $0.inputs, outputs: $0.outputs, weight: $0.weight.value.scalars,
          bias: $0.bias?.value.scalars ?? [Float](repeating: 0, count: $0.outputs))
      })
  }
}

/// DeepFM's weights as plain arrays: what a fitted ``DeepFMModel`` holds (a value, so
/// ``EpochTrainer``'s per-epoch copies are real snapshots).
struct DeepFMWeights: Sendable, Equatable, Codable {
  struct Layer: Sendable, Equatable, Codable {
    var inputs: Int
    var outputs: Int
    /// `(outputs, inputs)`.
    var weight: [Float]
    var bias: [Float]
  }
  var fields = 0
  var dim = 0
  /// `(features, dim)`.
  var embedding: [Float] = []
  /// `(features)`.
  var firstOrder: [Float] = []
  /// `(crosses)`: the weight of each crossed pair of features (Wide & Deep).
  var cross: [Float] = []
  var bias: Float = 0
  /// The hidden layers, then the output layer (`outputs == 1`).
  var layers: [Layer] = []
}
