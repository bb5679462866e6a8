import Foundation
import RecData
import RecEval
import RecNN
import Testing

@testable import RecModels

@Suite struct NeuMFModelTests {
  /// Two disjoint groups: users 0..<40 interact with items 0..<20, users 40..<80 with items
  /// 20..<40, each user with 8 of its group's 20 items (seeded).
  func twoGroups(seed: UInt64 = 1) throws -> Interactions {
    var g = SeededGenerator(seed: seed)
    var u = [Int]()
    var i = [Int]()
    for user in 0..<80 {
      var group = Array(0..<20)
      g.shuffle(&group)
      for item in group.prefix(8) {
        u.append(user)
        i.append(item + (user < 40 ? 0 : 20))
      }
    }
    let table = Table(columns: [("user", Column(ints: u)), ("item", Column(ints: i))])
    return try Interactions(table: table, roles: InteractionRoles())
  }

  func training(epochs: Int, lr: Float = 0.01, batch: Int = 32, seed: UInt64 = 3) -> NCFTraining {
    var t = NCFTraining()
    t.epochs = epochs
    t.learningRate = lr
    t.batchSize = batch
    t.seed = seed
    return t
  }

  /// The fused step's gradient of the mean weighted BCE against central differences of the
  /// Double reference forward, for every parameter of a small NeuMF (both branches, two hidden
  /// layers), on a batch with repeated users and items, both labels and non-unit weights.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func fusedGradientMatchesCentralDifferences(seed: UInt64) {
    var net = NCFNetwork(users: 3, items: 4, factors: 3, layers: [4, 5, 2], seed: seed)
    // Embeddings of std 0.01 give gradients too small to check: scale them up.
    for k in 0..<(net.parameterCount - net.dense.count) { net[parameter: k] *= 40 }
    // Zero biases put a hidden unit exactly on ReLU's kink when its inputs are all zero, where
    // a central difference sees half the slope: move every dense parameter off it.
    var g = SeededGenerator(seed: seed, stream: 9)
    for k in (net.parameterCount - net.dense.count)..<net.parameterCount {
      net[parameter: k] += Float(g.nextDouble() * 0.2 - 0.1)
    }
    var t = NCFTraining()
    t.batchSize = 6
    let trainer = NCFTrainer(network: net, training: t)
    trainer.bu = [0, 1, 2, 0, 1, 0]
    trainer.bi = [0, 1, 2, 3, 1, 2]
    trainer.by = [1, 0, 1, 0, 1, 0]
    trainer.bw = [1, 1, 2, 1, 0.5, 1]
    let loss = trainer.forwardBackward(net)
    func reference(_ n: NCFNetwork) -> Double {
      var s = 0.0
      for b in 0..<6 {
        let x = n.referenceLogit(user: trainer.bu[b], item: trainer.bi[b])
        let y = Double(trainer.by[b])
        s += Double(trainer.bw[b]) * (max(x, 0) - x * y + log1p(exp(-abs(x))))
      }
      return s / 6
    }
    #expect(abs(loss - reference(net)) < 1e-6)
    let analytic = trainer.dGmfUser + trainer.dGmfItem + trainer.dMlpUser + trainer.dMlpItem + trainer.dDense
    #expect(analytic.count == net.parameterCount)
    let eps: Float = 1e-4
    var checked = 0
    for k in 0..<net.parameterCount {
      var plus = net
      plus[parameter: k] += eps
      var minus = net
      minus[parameter: k] -= eps
      let step = Double(plus[parameter: k]) - Double(minus[parameter: k])
      let numeric = (reference(plus) - reference(minus)) / step
      #expect(
        abs(Double(analytic[k]) - numeric) <= 5e-4 + 2e-2 * abs(numeric),
        "parameter \(k): fused \(analytic[k]), central difference \(numeric)")
      if abs(numeric) > 1e-4 { checked += 1 }
    }
    // The check is not vacuous: most parameters have a clearly non-zero gradient.
    #expect(checked > net.parameterCount / 2)
  }

  @Test(arguments: ["gmf", "mlp", "neumf"])
  func lossDecreasesAndGroupsAreLearned(type: String) throws {
    let d = try twoGroups()
    // The planted structure has rank 2; with more factors than that, gmf and neumf memorise
    // the training events and rank a user's unseen in-group items (drawn as negatives as often
    // as the other group's) no better than the rest.
    var m: any Recommender =
      switch type {
      case "gmf": GMFModel(factors: 2, training: training(epochs: 30, lr: 0.01))
      case "mlp": MLPModel(layers: [16, 8, 4], training: training(epochs: 30, lr: 0.01))
      default: NeuMFModel(factors: 2, layers: [4, 2], training: training(epochs: 30, lr: 0.01))
      }
    let report = try m.fit(d)
    #expect(report.epochs.count == 30)
    #expect(report.epochs.last!.loss < 0.7 * report.epochs.first!.loss)
    for user in 0..<80 {
      let top = m.recommend(for: user, count: 3, excludingSeen: d)
      let group = user < 40 ? 0..<20 : 20..<40
      #expect(top.allSatisfy { group.contains(Int(d.items.text(at: $0.item)) ?? -1) }, "user \(user): \(top)")
    }
  }

  /// Before any training, NeuMF initialised from GMF and MLP scores
  /// `alpha logit_GMF + (1 - alpha) logit_MLP`.
  @Test(arguments: [0.5, 0.25] as [Float])
  func initFromPretrainedIsTheAlphaWeightedCombination(alpha: Float) throws {
    let d = try twoGroups()
    var gmf = GMFModel(factors: 4, training: training(epochs: 3))
    var mlp = MLPModel(layers: [8, 4, 2], training: training(epochs: 3))
    try gmf.fit(d)
    try mlp.fit(d)
    var neumf = try NeuMFModel(gmf: gmf, mlp: mlp, alpha: alpha)
    _ = try neumf.fit(d, context: FitContext(epochs: 0))
    let n = d.itemCount
    var a = [Float](repeating: 0, count: 3 * n)
    var b = a
    var c = a
    gmf.score(users: [0, 41, 79], itemCount: n, into: &a)
    mlp.score(users: [0, 41, 79], itemCount: n, into: &b)
    neumf.score(users: [0, 41, 79], itemCount: n, into: &c)
    for k in 0..<(3 * n) { #expect(abs(c[k] - (alpha * a[k] + (1 - alpha) * b[k])) < 1e-5) }
    // And it trains from there.
    var tuned = try NeuMFModel(gmf: gmf, mlp: mlp, training: training(epochs: 2))
    #expect(try tuned.fit(d).epochs.count == 2)
  }

  @Test func initRejectsModelsOfOtherData() throws {
    var gmf = GMFModel(factors: 4, training: training(epochs: 1))
    try gmf.fit(twoGroups())
    #expect(throws: ModelError.self) { try NeuMFModel(gmf: gmf, mlp: MLPModel()) }
    let type = NeuMFModel.type
    #expect(throws: ModelError.self) {
      try type.make(ModelOptions(["init": .names(["g"])], models: ["g": gmf]))
    }
    #expect(throws: ModelError.self) { try type.make(ModelOptions(["layers": .ints([63, 8])])) }
  }

  /// Same seed: bit-identical scores, with one thread or two; another seed differs.
  @Test func seededAndThreadIndependent() throws {
    let d = try twoGroups()
    func scores(seed: UInt64, threads: Int) throws -> [Float] {
      let saved = Parallel.threads
      Parallel.threads = threads
      defer { Parallel.threads = saved }
      var m = NeuMFModel(factors: 4, layers: [8, 4], training: training(epochs: 3, seed: seed))
      try m.fit(d)
      var s = [Float](repeating: 0, count: 80 * d.itemCount)
      m.score(users: Array(0..<80), itemCount: d.itemCount, into: &s)
      return s
    }
    let a = try scores(seed: 7, threads: 1)
    #expect(a == (try scores(seed: 7, threads: 2)))
    #expect(a != (try scores(seed: 8, threads: 1)))
  }

  /// Batched scoring equals the Double reference forward; a cold user gets popularity, items
  /// beyond the catalogue -infinity; an unfitted model scores zeros.
  @Test func scoringMatchesReferenceAndColdUsersDoNotCrash() throws {
    let d = try twoGroups()
    var m = NeuMFModel(factors: 4, layers: [8, 6, 3], training: training(epochs: 2))
    try m.fit(d)
    let net = try #require(m.network)
    var s = [Float](repeating: 0, count: d.itemCount + 2)
    m.score(user: 4, into: &s)
    for i in 0..<d.itemCount { #expect(abs(Double(s[i]) - net.referenceLogit(user: 4, item: i)) < 1e-5) }
    #expect(s[d.itemCount] == -.infinity)
    m.score(user: 500, into: &s)
    for i in 0..<d.itemCount { #expect(s[i] == Float(d.byItem.count(ofRow: i))) }
    var empty = [Float](repeating: 1, count: 5)
    NeuMFModel().score(user: 0, into: &empty)
    #expect(empty == [0, 0, 0, 0, 0])
  }
}
