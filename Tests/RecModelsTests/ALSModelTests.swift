import Foundation
import RecData
import RecEval
import RecNN
import TestSupport
import Testing

@testable import RecModels

@Suite(.serialized) struct ALSModelTests {
  /// Solves `a x = b` for a symmetric positive definite `a: (n, n)` by Cholesky, in Double.
  static func cholesky(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
    var l = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0...i {
        var s = a[i * n + j]
        for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
        l[i * n + j] = i == j ? s.squareRoot() : s / l[j * n + j]
      }
    }
    var y = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var s = b[i]
      for k in 0..<i { s -= l[i * n + k] * y[k] }
      y[i] = s / l[i * n + i]
    }
    var x = [Double](repeating: 0, count: n)
    for i in stride(from: n - 1, through: 0, by: -1) {
      var s = y[i]
      for k in (i + 1)..<n { s -= l[k * n + i] * x[k] }
      x[i] = s / l[i * n + i]
    }
    return x
  }

  /// With as many CG steps as factors, CG solves the normal equations exactly: after the item
  /// half-step every item vector is `(X^T C_i X + lambda I)^-1 X^T C_i p_i` for the user factors
  /// the model holds (c = 1 + alpha * summed weight; the duplicate (0, 1) row adds up).
  @Test(arguments: [UInt64(1), 2, 3])
  func conjugateGradientMatchesTheCholeskySolution(seed: UInt64) throws {
    let pairs = [
      (0, 0), (0, 1), (0, 1), (1, 1), (1, 2), (2, 0), (2, 3), (3, 2), (3, 3), (4, 0), (4, 2), (4, 3),
    ]
    let weights = [1, 2, 0.5, 1, 3, 1, 1, 2, 1, 1, 1, 4.0]
    let data = try PlantedData.interactions(pairs + [(5, 0)], weights: weights + [1])
    let f = 3
    let lambda = 0.1
    let alpha = 2.0
    var m = ALSModel(
      factors: f, regularization: Float(lambda), alpha: Float(alpha), epochs: 2, cgSteps: 8, seed: seed)
    try m.fit(data)
    let s = m.stride
    let x = (0..<data.userCount).map { u in (0..<f).map { Double(m.userFactors[u * s + $0]) } }
    for i in 0..<data.itemCount {
      var a = [Double](repeating: 0, count: f * f)
      var b = [Double](repeating: 0, count: f)
      for j in 0..<f { a[j * f + j] = lambda }
      for u in 0..<data.userCount {
        var w = 0.0
        for e in 0..<data.count where Int(data.user[e]) == u && Int(data.item[e]) == i {
          w += data.weight![e]
        }
        let c = w > 0 ? 1 + alpha * w : 1
        for j in 0..<f {
          for k in 0..<f { a[j * f + k] += c * x[u][j] * x[u][k] }
          if w > 0 { b[j] += c * x[u][j] }
        }
      }
      let exact = Self.cholesky(a, b, n: f)
      for j in 0..<f {
        let got = Double(m.itemFactors[i * s + j])
        #expect(
          abs(got - exact[j]) <= 1e-4 * max(1, abs(exact[j])), "item \(i) factor \(j): \(got) vs \(exact[j])")
      }
      // Padding columns stay zero.
      for j in f..<s { #expect(m.itemFactors[i * s + j] == 0) }
    }
  }

  /// Every half-step lowers the objective. The epoch-e loss is the objective at (X_e, Y_{e-1}),
  /// so it lies above the exact objective after epoch e, which lies above the epoch-(e+1) loss.
  @Test func objectiveDecreasesAndTheEpochLossBracketsIt() throws {
    let data = try PlantedData.random(users: 40, items: 30, perUser: 6, seed: 5)
    var exact = [Double]()
    var logged = [Double]()
    for epochs in 1...5 {
      var m = ALSModel(factors: 8, regularization: 0.05, alpha: 3, epochs: epochs, cgSteps: 3, seed: 9)
      let r = try m.fit(data)
      #expect(r.epochs.count == epochs)
      exact.append(m.objective(on: data))
      logged = r.epochs.map(\.loss)
    }
    for e in 0..<4 {
      #expect(exact[e + 1] < exact[e])
      #expect(logged[e + 1] < logged[e])
      #expect(logged[e] >= exact[e] * (1 - 1e-5))
      #expect(exact[e] >= logged[e + 1] * (1 - 1e-5))
    }
  }

  @Test func recommendsWithinThePlantedGroup() throws {
    let data = try PlantedData.twoGroups()
    var m = ALSModel(factors: 4, regularization: 0.01, alpha: 4, epochs: 10, seed: 3)
    try m.fit(data)
    for u in 0..<data.userCount {
      let top = m.recommend(for: u, count: 1, excludingSeen: data)
      #expect(top.map(\.item) == [PlantedData.missing(user: u)], "user \(u)")
    }
    // Item 0's nearest items are the rest of its group (items 1..<6).
    let similar = try #require(m.similarItems(to: 0, count: 5))
    #expect(Set(similar.map(\.item)) == Set(1..<6))
    #expect(m.similarItems(to: 99, count: 3) == [])
  }

  /// Same seed: bit-identical factors with 1 and 2 threads (the data is large enough for the
  /// half-steps to split into two chunks).
  @Test func seededFitIsBitIdenticalWithOneAndTwoThreads() throws {
    let data = try PlantedData.random(users: 200, items: 150, perUser: 20, seed: 1)
    let saved = Parallel.threads
    defer { Parallel.threads = saved }
    var runs = [(users: [Float], items: [Float])]()
    for threads in [1, 2, 2] {
      Parallel.threads = threads
      var m = ALSModel(factors: 32, epochs: 3, seed: 11)
      try m.fit(data)
      runs.append((m.userFactors, m.itemFactors))
    }
    #expect(runs[0].users == runs[1].users && runs[0].items == runs[1].items)
    #expect(runs[1].users == runs[2].users && runs[1].items == runs[2].items)
    var other = ALSModel(factors: 32, epochs: 3, seed: 12)
    try other.fit(data)
    #expect(other.userFactors != runs[0].users)
  }

  @Test func coldUsersGetPopularityAndBatchEqualsSingle() throws {
    let data = try PlantedData.twoGroups()
    var m = ALSModel(factors: 8, epochs: 3, seed: 1)
    try m.fit(data)
    var cold = [Float](repeating: 0, count: data.itemCount + 2)
    m.score(user: data.userCount + 7, into: &cold)
    for i in 0..<data.itemCount { #expect(cold[i] == Float(data.byItem.count(ofRow: i))) }
    #expect(cold[data.itemCount] == -.infinity)
    let users = [3, data.userCount + 1, 0, 17]
    let n = data.itemCount
    var batch = [Float](repeating: 0, count: users.count * n)
    m.score(users: users, itemCount: n, into: &batch)
    for (j, u) in users.enumerated() {
      var one = [Float](repeating: 0, count: n)
      m.score(user: u, into: &one)
      for i in 0..<n { #expect(abs(batch[j * n + i] - one[i]) <= 1e-5 * max(1, abs(one[i]))) }
    }
  }

  @Test func optionsAndBadDataAreRejected() throws {
    let type = try #require(ModelCatalog.named("als"))
    #expect(type.iterative)
    #expect(throws: ModelError.self) { _ = try type.make(ModelOptions(["factors": .int(0)])) }
    #expect(throws: ModelError.self) { _ = try type.make(ModelOptions(["alpha": .double(-1)])) }
    #expect(throws: ModelError.self) { _ = try type.make(ModelOptions(["cg-steps": .int(0)])) }
    let made = try type.make(ModelOptions(["factors": .int(5), "seed": .int(4)], seed: 1))
    let als = try #require(made as? ALSModel)
    #expect(als.factors == 5 && als.seed == 4 && als.epochs == 15 && als.alpha == 1)
    var m = ALSModel(factors: 2)
    let negative = try PlantedData.interactions([(0, 0), (1, 1)], weights: [1, -2])
    #expect(throws: ModelError.self) { try m.fit(negative) }
  }

  /// On ML-100k's leave-one-out split the fit must reach a sane accuracy (implicit ALS gets
  /// NDCG@10 0.042 on the shared protocol; pop gets 0.025).
  @Test(.enabled(if: TestPaths.hasML100K, Comment(rawValue: TestPaths.ml100kMissing)))
  func beatsPopularityOnML100K() throws {
    let table = try MovieLens.read(path: TestPaths.ml100k + "/u.data").0
    let d = try Interactions(table: table, roles: InteractionRoles(time: "timestamp"))
    let split = try Splitter.split(d, method: .leaveOneOut, seed: 42)
    var m = ALSModel(factors: 16, regularization: 0.05, alpha: 4, epochs: 4, seed: 1)
    try m.fit(split.train)
    let r = try Evaluator.evaluate(m, on: split, options: EvaluationOptions(k: 10, metrics: [.ndcg]))
    #expect(r.value(.ndcg)! > 0.03)
  }
}
