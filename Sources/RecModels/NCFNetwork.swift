import RecData
import RecEval
import RecNN

/// The weights of the neural collaborative filtering family (He et al., WWW 2017): GMF, MLP
/// and NeuMF are one network with one or both branches.
///
///     GMF branch:  g = p_u (*) q_i                                  p_u, q_i: (factors)
///     MLP branch:  a_0 = [x_u ; x_i],  a_l = relu(W_l a_{l-1} + b_l)  x_u, x_i: (layers[0] / 2)
///     logit:       h . [g ; a_L] + c
///
/// GMF has `layers == []`, MLP has `factors == 0`, NeuMF has both. The dense parameters (every
/// `W_l` as `(layers[l + 1], layers[l])`, every `b_l`, then `h` and `c`) live in one flat array
/// `dense`, so that one fused Adam call updates them all; the four embedding tables are
/// row-major `(users or items, dim)` arrays. Scores are logits (sigmoid is monotone, so ranks
/// are the same, and logits do not saturate to ties).
public struct NCFNetwork: Sendable, Codable {
  public let users: Int
  public let items: Int
  /// GMF embedding size (0: no GMF branch).
  public let factors: Int
  /// MLP layer sizes, input first (`[]`: no MLP branch; else at least two, `layers[0]` even).
  public let layers: [Int]
  /// GMF tables `(users, factors)` and `(items, factors)`.
  var gmfUser: [Float]
  var gmfItem: [Float]
  /// MLP tables `(users, layers[0] / 2)` and `(items, layers[0] / 2)`.
  var mlpUser: [Float]
  var mlpItem: [Float]
  /// `W_0, b_0, W_1, b_1, ..., h, c`.
  var dense: [Float]
  /// Offsets of `W_l` and `b_l` in `dense`.
  let weightOffsets: [Int]
  let biasOffsets: [Int]
  /// Training-event count of each item: the scores of a user the network has never seen.
  var popularity: [Float]

  /// The MLP embedding size of one side (`layers[0] / 2`, 0 without an MLP branch).
  public var half: Int { layers.isEmpty ? 0 : layers[0] / 2 }
  /// Hidden layers (`Linear + ReLU` pairs).
  var hiddenCount: Int { max(layers.count - 1, 0) }
  /// The width of the prediction layer's input `[g ; a_L]`.
  var outWidth: Int { factors + (layers.last ?? 0) }
  /// Offset of `h` in `dense`; `c` follows it.
  var outOffset: Int { dense.count - outWidth - 1 }
  var outBiasOffset: Int { dense.count - 1 }

  /// A network initialised as the NCF reference code does: embeddings `N(0, 0.01^2)`, hidden
  /// layers Glorot-uniform, the prediction layer LeCun-uniform, biases zero.
  init(users: Int, items: Int, factors: Int, layers: [Int], seed: UInt64) {
    precondition(factors >= 0 && (layers.isEmpty || (layers.count >= 2 && layers[0] % 2 == 0)))
    precondition(factors > 0 || !layers.isEmpty)
    self.users = users
    self.items = items
    self.factors = factors
    self.layers = layers
    var g = SeededGenerator(seed: seed, stream: 0)
    func normal(_ n: Int) -> [Float] { (0..<n).map { _ in Float(g.nextGaussian() * 0.01) } }
    func uniform(_ n: Int, _ limit: Double) -> [Float] {
      (0..<n).map { _ in Float((2 * g.nextDouble() - 1) * limit) }
    }
    let h = layers.isEmpty ? 0 : layers[0] / 2
    gmfUser = normal(users * factors)
    gmfItem = normal(items * factors)
    mlpUser = normal(users * h)
    mlpItem = normal(items * h)
    var d = [Float]()
    var wo = [Int]()
    var bo = [Int]()
    for l in 0..<max(layers.count - 1, 0) {
      let (fanIn, fanOut) = (layers[l], layers[l + 1])
      wo.append(d.count)
      d += uniform(fanIn * fanOut, (6 / Double(fanIn + fanOut)).squareRoot())
      bo.append(d.count)
      d += [Float](repeating: 0, count: fanOut)
    }
    let width = factors + (layers.last ?? 0)
    d += uniform(width, (3 / Double(width)).squareRoot())
    d.append(0)
    dense = d
    weightOffsets = wo
    biasOffsets = bo
    popularity = [Float](repeating: 0, count: items)
  }

  /// NeuMF from pretrained GMF and MLP networks (He et al. 2017, section 3.4.1): both branches'
  /// weights are copied and the prediction layer becomes `[alpha h_GMF ; (1 - alpha) h_MLP]` with
  /// bias `alpha c_GMF + (1 - alpha) c_MLP`, so that before training the logit is exactly
  /// `alpha logit_GMF + (1 - alpha) logit_MLP`.
  init(gmf: NCFNetwork, mlp: NCFNetwork, alpha: Float) {
    precondition(gmf.layers.isEmpty && mlp.factors == 0 && gmf.users == mlp.users && gmf.items == mlp.items)
    self.init(users: gmf.users, items: gmf.items, factors: gmf.factors, layers: mlp.layers, seed: 0)
    gmfUser = gmf.gmfUser
    gmfItem = gmf.gmfItem
    mlpUser = mlp.mlpUser
    mlpItem = mlp.mlpItem
    let hidden = mlp.outOffset
    dense.replaceSubrange(0..<hidden, with: mlp.dense[0..<hidden])
    for k in 0..<factors { dense[outOffset + k] = alpha * gmf.dense[gmf.outOffset + k] }
    for j in 0..<(layers.last ?? 0) {
      dense[outOffset + factors + j] = (1 - alpha) * mlp.dense[mlp.outOffset + j]
    }
    dense[outBiasOffset] = alpha * gmf.dense[gmf.outBiasOffset] + (1 - alpha) * mlp.dense[mlp.outBiasOffset]
    popularity = gmf.popularity
  }

  /// Every parameter as one list, tables first then `dense` (for tests and gradient checks).
  var parameterCount: Int { gmfUser.count + gmfItem.count + mlpUser.count + mlpItem.count + dense.count }

  /// Reads or writes parameter `k` of the order of ``parameterCount``.
  subscript(parameter k: Int) -> Float {
    get {
      var k = k
      if k < gmfUser.count { return gmfUser[k] }
      k -= gmfUser.count
      if k < gmfItem.count { return gmfItem[k] }
      k -= gmfItem.count
      if k < mlpUser.count { return mlpUser[k] }
      k -= mlpUser.count
      if k < mlpItem.count { return mlpItem[k] }
      return dense[k - mlpItem.count]
    }
    set {
      var k = k
      if k < gmfUser.count { gmfUser[k] = newValue; return }
      k -= gmfUser.count
      if k < gmfItem.count { gmfItem[k] = newValue; return }
      k -= gmfItem.count
      if k < mlpUser.count { mlpUser[k] = newValue; return }
      k -= mlpUser.count
      if k < mlpItem.count { mlpItem[k] = newValue; return }
      dense[k - mlpItem.count] = newValue
    }
  }

  /// The logit of one pair by plain loops in Double: the reference the fused step and the
  /// batched scoring are tested against.
  func referenceLogit(user u: Int, item i: Int) -> Double {
    var s = Double(dense[outBiasOffset])
    for k in 0..<factors {
      s += Double(dense[outOffset + k]) * Double(gmfUser[u * factors + k]) * Double(gmfItem[i * factors + k])
    }
    guard !layers.isEmpty else { return s }
    var a =
      (0..<half).map { Double(mlpUser[u * half + $0]) } + (0..<half).map { Double(mlpItem[i * half + $0]) }
    for l in 0..<hiddenCount {
      let (nIn, nOut) = (layers[l], layers[l + 1])
      a = (0..<nOut).map { j in
        var z = Double(dense[biasOffsets[l] + j])
        for k in 0..<nIn { z += Double(dense[weightOffsets[l] + j * nIn + k]) * a[k] }
        return max(z, 0)
      }
    }
    for j in 0..<a.count { s += Double(dense[outOffset + factors + j]) * a[j] }
    return s
  }

  /// Logits of every item for each of `users` into `scores: (users.count, n)`; items at or
  /// beyond the fitted catalogue get `-infinity`, users the network has not seen get popularity.
  ///
  /// The first MLP layer is split as `W_0 [x_u ; x_i] = W_0u x_u + W_0i x_i`: the item half
  /// `X_items W_0i^T: (items, layers[1])` is one sgemm per call, shared by every user of the
  /// block, and a user adds a bias-like row. The remaining layers run as sgemms over all items
  /// at once, and the GMF branch is one sgemv (`scoreRows`) with the query `p_u (*) h_GMF`.
  /// - Complexity: per user `2 items (layers[1] layers[2] + ... + factors + layers.last)` flops.
  func score(users list: [Int], itemCount n: Int, into scores: inout [Float]) {
    guard !list.isEmpty else { return }
    let m = min(n, items)
    let f = factors
    let h = half
    var itemPart = [Float]()
    if !layers.isEmpty && m > 0 {
      itemPart = [Float](repeating: 0, count: items * layers[1])
      Kernels.gemm(
        transA: false, transB: true, m: items, n: layers[1], k: h, a: mlpItem, b: dense,
        bOffset: weightOffsets[0] + h, ldb: layers[0], beta: 0, c: &itemPart)
    }
    let widest = layers.dropFirst().max() ?? 0
    var act = [Float](repeating: 0, count: items * widest)
    var next = act
    var part = [Float](repeating: 0, count: items)
    let outW = Array(dense[outOffset..<(outOffset + outWidth)])
    let outB = dense[outBiasOffset]
    for (r, u) in list.enumerated() {
      let row = r * n
      for i in m..<n { scores[row + i] = -.infinity }
      guard u >= 0 && u < users else {
        for i in 0..<m { scores[row + i] = popularity[i] }
        continue
      }
      for i in 0..<m { scores[row + i] = outB }
      if f > 0 {
        let q = (0..<f).map { gmfUser[u * f + $0] * outW[$0] }
        Kernels.scoreRows(table: gmfItem, rows: m, dim: f, query: q, into: &part)
        for i in 0..<m { scores[row + i] += part[i] }
      }
      guard !layers.isEmpty else { continue }
      // Layer 0: the user's half plus the bias, added to the shared item half.
      let n1 = layers[1]
      var c = Array(dense[biasOffsets[0]..<(biasOffsets[0] + n1)])
      for j in 0..<n1 {
        for k in 0..<h { c[j] += dense[weightOffsets[0] + j * layers[0] + k] * mlpUser[u * h + k] }
      }
      for i in 0..<m {
        for j in 0..<n1 { act[i * n1 + j] = max(itemPart[i * n1 + j] + c[j], 0) }
      }
      for l in 1..<hiddenCount {
        let (nIn, nOut) = (layers[l], layers[l + 1])
        Kernels.fillRows(&next, rows: m, with: Array(dense[biasOffsets[l]..<(biasOffsets[l] + nOut)]))
        Kernels.gemm(
          transA: false, transB: true, m: m, n: nOut, k: nIn, a: act, b: dense, bOffset: weightOffsets[l],
          beta: 1, c: &next)
        for e in 0..<(m * nOut) { act[e] = max(next[e], 0) }
      }
      Kernels.scoreRows(
        table: act, rows: m, dim: layers[layers.count - 1], query: Array(outW[f...]), into: &part)
      for i in 0..<m { scores[row + i] += part[i] }
    }
  }
}

/// Scoring shared by `gmf`, `mlp` and `neumf`: everything goes through the fitted network
/// (zeros before `fit`).
public protocol NCFScoring: Recommender {
  var network: NCFNetwork? { get }
}

extension NCFScoring {
  public func score(user: Int, into scores: inout [Float]) {
    score(users: [user], itemCount: scores.count, into: &scores)
  }

  public func score(users: [Int], itemCount n: Int, into scores: inout [Float]) {
    guard let network else {
      for k in 0..<min(scores.count, users.count * n) { scores[k] = 0 }
      return
    }
    network.score(users: users, itemCount: n, into: &scores)
  }

  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    network?.similarItems(to: item, count: count)
  }
}
