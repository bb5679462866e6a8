import Foundation
import RecData
import RecEval
import RecNN
import TestSupport
import Testing

@testable import RecModels

/// DeepFM: the FM term against its definition, the backward pass against finite differences,
/// scoring against the training network, and learning a planted feature signal.
@Suite struct DeepFMModelTests {
  /// Random entries for `rows` examples of `fields` fields: each field a bag of 0-2 features.
  static func randomEntries(rows: Int, fields: Int, features: Int, seed: UInt64)
    -> (slot: [Int], feature: [Int], value: [Float])
  {
    var g = SeededGenerator(seed: seed)
    var slot = [Int]()
    var feature = [Int]()
    var value = [Float]()
    for r in 0..<rows {
      for f in 0..<fields {
        for _ in 0..<g.nextInt(below: 3) {
          slot.append(r * fields + f)
          feature.append(g.nextInt(below: features))
          value.append(Float(g.nextDouble()) + 0.25)
        }
      }
    }
    return (slot, feature, value)
  }

  static func network(layers: [Int], seed: UInt64) -> DeepFMNetwork {
    var g = SeededGenerator(seed: seed)
    let net = DeepFMNetwork(features: 7, fields: 4, dim: 5, layers: layers, dropout: 0, using: &g)
    // Embeddings of a useful size (the default N(0, 0.01^2) makes every FM term ~1e-4).
    net.embedding.weight.value = .normal(shape: [7, 5], std: 0.5, using: &g)
    net.firstOrder.weight.value = .normal(shape: [7, 1], std: 0.5, using: &g)
    net.bias.value.scalars[0] = 0.3
    return net
  }

  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func theFMTermIsTheSumOverFieldPairs(seed: UInt64) {
    let net = Self.network(layers: [], seed: seed)
    // Silence the DNN, the first-order terms and the bias: the logit is the FM term alone.
    net.output.weight.value.zero()
    net.firstOrder.weight.value.zero()
    net.bias.value.zero()
    let x = Self.randomEntries(rows: 6, fields: 4, features: 7, seed: seed)
    let logits = net.forward(rows: 6, slot: x.slot, feature: x.feature, value: x.value)
    let v = net.embedding.weight.value.scalars
    for r in 0..<6 {
      // e_f = sum over the field's entries of value * v_feature; FM = sum_{f<g} <e_f, e_g>.
      var e = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 4)
      for t in 0..<x.slot.count where x.slot[t] / 4 == r {
        for d in 0..<5 { e[x.slot[t] % 4][d] += Double(x.value[t]) * Double(v[x.feature[t] * 5 + d]) }
      }
      var pairs = 0.0
      for f in 0..<4 {
        for g in (f + 1)..<4 { for d in 0..<5 { pairs += e[f][d] * e[g][d] } }
      }
      #expect(isClose(Double(logits[r]), pairs, tolerance: 1e-4 * max(1, abs(pairs))), "row \(r)")
    }
  }

  /// Backpropagates `dOut` (the gradient of `loss` with respect to the logits) and compares every
  /// parameter's gradient, at a dozen elements each, with central differences of `loss`.
  static func checkGradients(_ net: DeepFMNetwork, dOut: [Float], loss: () -> Double) {
    _ = loss()
    for p in net.parameters { p.zeroGrad() }
    net.backward(dOut)
    let eps: Float = 1e-3
    for (n, p) in net.parameters.enumerated() {
      let analytic = p.grad.scalars
      for i in stride(from: 0, to: p.value.count, by: max(1, p.value.count / 12)) {
        let saved = p.value.scalars[i]
        p.value.scalars[i] = saved + eps
        let up = loss()
        p.value.scalars[i] = saved - eps
        let down = loss()
        p.value.scalars[i] = saved
        let numeric = (up - down) / (2 * Double(eps))
        let ok = abs(numeric - Double(analytic[i])) <= 2e-3 + 2e-2 * abs(numeric)
        #expect(ok, "parameter \(n) element \(i): numeric \(numeric), analytic \(analytic[i])")
      }
    }
  }

  @Test(arguments: [[], [6], [6, 3]] as [[Int]])
  func backwardMatchesFiniteDifferences(layers: [Int]) {
    let net = Self.network(layers: layers, seed: 3)
    let rows = 5
    let x = Self.randomEntries(rows: rows, fields: 4, features: 7, seed: 17)
    var g = SeededGenerator(seed: 23)
    let dOut = (0..<rows).map { _ in Float(g.nextGaussian()) }
    // loss = sum(logits * dOut), so dLoss/dLogits = dOut.
    func loss() -> Double {
      let y = net.forward(rows: rows, slot: x.slot, feature: x.feature, value: x.value)
      return zip(y, dOut).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    Self.checkGradients(net, dOut: dOut, loss: loss)
  }

  /// Wide & Deep: without the FM term, the logit of a network with no hidden layers, no bias and
  /// no first-order weights is the crossed features' terms alone, `sum value * w_cross`.
  @Test func wideAndDeepAddsCrossedWeightsAndNoFMTerm() {
    var g = SeededGenerator(seed: 2)
    let net = DeepFMNetwork(
      features: 7, fields: 4, dim: 5, layers: [], dropout: 0, factorizationMachine: false, crosses: 6,
      using: &g)
    net.embedding.weight.value = .normal(shape: [7, 5], std: 0.5, using: &g)
    net.cross?.weight.value = Tensor(shape: [6, 1], scalars: [0.5, -1, 2, 0.25, 3, -0.75])
    net.output.weight.value.zero()
    let x = Self.randomEntries(rows: 3, fields: 4, features: 7, seed: 4)
    let crosses = DeepFMNetwork.Crosses(row: [0, 0, 2, 1], feature: [1, 4, 4, 5], value: [2, 1, 0.5, 1])
    let y = net.forward(rows: 3, slot: x.slot, feature: x.feature, value: x.value, crosses: crosses)
    let expected: [Float] = [1, -0.75, 1.5]  // 2 * -1 + 1 * 3, 1 * -0.75, 0.5 * 3
    #expect(y == expected)
  }

  @Test(arguments: [[], [6]] as [[Int]])
  func wideAndDeepBackwardMatchesFiniteDifferences(layers: [Int]) {
    var g = SeededGenerator(seed: 8)
    let net = DeepFMNetwork(
      features: 7, fields: 4, dim: 5, layers: layers, dropout: 0, factorizationMachine: false, crosses: 6,
      using: &g)
    net.embedding.weight.value = .normal(shape: [7, 5], std: 0.5, using: &g)
    net.cross?.weight.value = .normal(shape: [6, 1], std: 0.5, using: &g)
    let rows = 5
    let x = Self.randomEntries(rows: rows, fields: 4, features: 7, seed: 19)
    let crosses = DeepFMNetwork.Crosses(
      row: [0, 1, 1, 3, 4, 4], feature: [0, 2, 5, 1, 2, 3], value: [1, 0.5, 2, 1.5, 1, 0.25])
    let dOut = (0..<rows).map { _ in Float(g.nextGaussian()) }
    func loss() -> Double {
      let y = net.forward(rows: rows, slot: x.slot, feature: x.feature, value: x.value, crosses: crosses)
      return zip(y, dOut).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    #expect(net.parameters.contains { $0 === net.cross?.weight })
    Self.checkGradients(net, dOut: dOut, loss: loss)
  }

  /// Users U0..U39 (group x for the first 20, y for the rest) pick 6 of the 10 items of their
  /// group's kind (items I0..I9 kind A, I10..I19 kind B). Items I20..I23 (A, A, B, B) and user
  /// U40 (group x) only occur in the test part: cold, with features.
  static func planted() throws -> (data: Interactions, users: Table, items: Table) {
    var g = SeededGenerator(seed: 11)
    var u = [Int]()
    var i = [Int]()
    for user in 0..<40 {
      let base = user < 20 ? 0 : 10
      var items = Array(base..<(base + 10))
      g.shuffle(&items)
      for item in items.prefix(6) {
        u.append(user)
        i.append(item)
      }
    }
    let train = Table(columns: [("user", Column(ints: u)), ("item", Column(ints: i))])
    let test = Table(columns: [
      ("user", Column(ints: [40, 0, 1, 2])), ("item", Column(ints: [20, 21, 22, 23])),
    ])
    let data = try Interactions.build(tables: [("train", train), ("test", test)], roles: InteractionRoles())[
      0]
    let users = Table(columns: [
      ("user", Column(ints: Array(0...40))),
      ("group", Column(strings: (0...40).map { $0 < 20 || $0 == 40 ? "x" : "y" })),
    ])
    let items = Table(columns: [
      ("item", Column(ints: Array(0..<24))),
      ("kind", Column(strings: (0..<24).map { $0 < 10 || $0 == 20 || $0 == 21 ? "A" : "B" })),
    ])
    return (data, users, items)
  }

  static func model(_ p: (data: Interactions, users: Table, items: Table), seed: UInt64 = 5) -> DeepFMModel {
    DeepFMModel(
      items: p.items, features: ["kind"], users: p.users, userFeatures: ["group"], epochs: 20, seed: seed)
  }

  @Test func theLossDecreases() throws {
    let p = try Self.planted()
    var m = Self.model(p)
    let r = try m.fit(p.data)
    #expect(r.epochs.count == 20)
    let first = try #require(r.epochs.first?.loss)
    let last = try #require(r.epochs.last?.loss)
    #expect(last < 0.7 * first, "loss \(first) -> \(last)")
  }

  static func wideAndDeep(_ p: (data: Interactions, users: Table, items: Table), seed: UInt64 = 5)
    -> DeepFMModel
  {
    DeepFMModel(
      items: p.items, features: ["kind"], users: p.users, userFeatures: ["group"], epochs: 20, seed: seed,
      factorizationMachine: false, crosses: ["group:kind"])
  }

  @Test(arguments: [true, false])
  func aPlantedFeatureSignalReachesColdItemsAndUsers(factorizationMachine: Bool) throws {
    let p = try Self.planted()
    // DeepFM through the FM term on the feature embeddings; Wide & Deep through the group x kind cross.
    var m = factorizationMachine ? Self.model(p) : Self.wideAndDeep(p)
    #expect(m.name == (factorizationMachine ? "deepfm" : "widedeep"))
    try m.fit(p.data)
    var s = [Float](repeating: 0, count: m.itemCount)
    var right = 0
    // Every x user (and the cold x user 40) ranks both cold A items over both cold B items.
    for user in Array(0..<40) + [40] {
      m.score(user: user, into: &s)
      let (liked, other) = user < 20 || user == 40 ? ([20, 21], [22, 23]) : ([22, 23], [20, 21])
      if liked.allSatisfy({ a in other.allSatisfy { s[a] > s[$0] } }) { right += 1 }
    }
    #expect(right >= 39, "\(right) of 41 users rank their kind's cold items first")
  }

  @Test(arguments: [true, false])
  func scoresAreTheNetworksLogits(factorizationMachine: Bool) throws {
    let p = try Self.planted()
    var m = DeepFMModel(
      items: p.items, features: ["kind"], users: p.users, userFeatures: ["group"], layers: [8, 4], seed: 3,
      factorizationMachine: factorizationMachine, crosses: factorizationMachine ? [] : ["group:kind"])
    let net = try m.prepare(p.data)
    #expect(m.crossSpecs.count == (factorizationMachine ? 0 : 1))
    // Bring the embeddings to a useful size and take the model's snapshot of them.
    var g = SeededGenerator(seed: 4)
    net.embedding.weight.value = .normal(shape: net.embedding.weight.value.shape, std: 0.5, using: &g)
    if let cross = net.cross {
      cross.weight.value = .normal(shape: cross.weight.value.shape, std: 0.5, using: &g)
    }
    m.weights = net.snapshot()
    m.refreshCache()
    var s = [Float](repeating: 0, count: m.itemCount + 2)
    for user in [0, 25, 40] {
      m.score(user: user, into: &s)
      let pairs = (0..<m.itemCount).map { (user: user, item: $0) }
      let x = m.entries(pairs)
      let y = net.forward(
        rows: m.itemCount, slot: x.slot, feature: x.feature, value: x.value, crosses: m.crossEntries(pairs))
      for i in 0..<m.itemCount {
        #expect(isClose(Double(s[i]), Double(y[i]), tolerance: 1e-4), "user \(user) item \(i)")
      }
      #expect(s[m.itemCount] == -.infinity)
    }
  }

  @Test func theSameSeedGivesBitIdenticalScoresWithOneOrTwoThreads() throws {
    let p = try Self.planted()
    var a = Self.model(p, seed: 9)
    var b = Self.model(p, seed: 9)
    var c = Self.model(p, seed: 10)
    Parallel.threads = 1
    _ = try a.fit(p.data, context: FitContext(epochs: 3))
    Parallel.threads = 2
    _ = try b.fit(p.data, context: FitContext(epochs: 3))
    _ = try c.fit(p.data, context: FitContext(epochs: 3))
    var sa = [Float](repeating: 0, count: a.itemCount)
    var sb = sa
    var sc = sa
    for user in [3, 30, 40] {
      a.score(user: user, into: &sa)
      b.score(user: user, into: &sb)
      c.score(user: user, into: &sc)
      #expect(sa == sb, "user \(user)")
      #expect(sa != sc, "user \(user)")
    }
  }

  @Test func optionMistakesAreErrors() throws {
    #expect(throws: ModelError.self) {
      _ = try DeepFMModel.type.make(ModelOptions(["features": .names(["kind"])]))
    }
    var o = ModelOptions(["user-features": .names(["grup"])])
    o.tables["users"] = Table(columns: [("user", Column(ints: [1])), ("group", Column(strings: ["x"]))])
    #expect(throws: ModelError.self) { _ = try DeepFMModel.type.make(o) }
    // Crosses name a user feature and an item feature.
    var w = ModelOptions([
      "user-features": .names(["group"]), "features": .names(["kind"]), "crosses": .names(["kind:group"]),
    ])
    w.tables["users"] = Table(columns: [("user", Column(ints: [1])), ("group", Column(strings: ["x"]))])
    w.tables["items"] = Table(columns: [("item", Column(ints: [1])), ("kind", Column(strings: ["A"]))])
    do {
      _ = try DeepFMModel.wideAndDeepType.make(w)
      Issue.record("a cross of an item column and a user column must be refused")
    } catch {
      #expect(error.message == "cross 'kind:group': 'kind' is not one of user-features= (group)")
    }
    w.values["crosses"] = .names(["group"])
    #expect(throws: ModelError.self) { _ = try DeepFMModel.wideAndDeepType.make(w) }
    w.values["crosses"] = .names(["group:kind"])
    let made = try DeepFMModel.wideAndDeepType.make(w)
    #expect(made.name == "widedeep")
  }
}
