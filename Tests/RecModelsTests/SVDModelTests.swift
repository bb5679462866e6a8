import Foundation
import RecData
import RecEval
import Testing

@testable import RecModels

@Suite struct SVDModelTests {
  func ratings(_ rows: [(Int, Int, Double)]) throws -> Interactions {
    let table = Table(columns: [
      ("user", Column(ints: rows.map(\.0))), ("item", Column(ints: rows.map(\.1))),
      ("rating", Column(doubles: rows.map(\.2))),
    ])
    return try Interactions(table: table, roles: InteractionRoles(rating: "rating"))
  }

  /// One epoch on one rating equals the hand-computed Surprise update from the initial factors.
  @Test func oneSGDUpdateMatchesTheFormula() throws {
    let d = try ratings([(0, 0, 4)])
    var m = SVDModel(factors: 3, epochs: 0, learningRate: 0.1, regularization: 0.5, initStd: 0.3, seed: 5)
    try m.fit(d)
    let p0 = m.userFactors
    let q0 = m.itemFactors
    var one = m
    one.epochs = 1
    try one.fit(d)
    // mu = 4, b = 0: e = 4 - (4 + 0 + 0 + q.p) = -q.p.
    let dot = zip(p0, q0).reduce(0) { $0 + $1.0 * $1.1 }
    let e = -dot
    #expect(abs(one.userBias[0] - 0.1 * e) < 1e-12)
    #expect(abs(one.itemBias[0] - 0.1 * e) < 1e-12)
    for f in 0..<3 {
      #expect(abs(one.userFactors[f] - (p0[f] + 0.1 * (e * q0[f] - 0.5 * p0[f]))) < 1e-12)
      #expect(abs(one.itemFactors[f] - (q0[f] + 0.1 * (e * p0[f] - 0.5 * q0[f]))) < 1e-12)
    }
    #expect(abs(one.predict(user: 0, item: 0) - 4) < 1e-12)  // clipped to the only rating seen
  }

  /// Ratings from a planted rank-2 model plus biases: the fit's training RMSE falls well below
  /// the RMSE of predicting the mean.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func learnsPlantedLowRankRatings(seed: UInt64) throws {
    var g = SeededGenerator(seed: seed)
    let (users, items) = (40, 30)
    let p = (0..<(users * 2)).map { _ in g.nextGaussian() }
    let q = (0..<(items * 2)).map { _ in g.nextGaussian() }
    var rows = [(Int, Int, Double)]()
    for u in 0..<users {
      for i in 0..<items where g.nextInt(below: 3) > 0 {
        rows.append((u, i, 3 + 0.8 * (p[2 * u] * q[2 * i] + p[2 * u + 1] * q[2 * i + 1])))
      }
    }
    let d = try ratings(rows)
    var m = SVDModel(factors: 4, epochs: 200, learningRate: 0.02, regularization: 0.01, seed: seed)
    try m.fit(d)
    let mean = rows.reduce(0) { $0 + $1.2 } / Double(rows.count)
    func rmse(_ f: (Int, Int) -> Double) -> Double {
      (rows.reduce(0) { $0 + pow(f($1.0, $1.1) - $1.2, 2) } / Double(rows.count)).squareRoot()
    }
    let base = rmse { _, _ in mean }
    let fitted = rmse { u, i in
      m.predict(user: d.users.index(of: .int(u))!, item: d.items.index(of: .int(i))!)
    }
    #expect(fitted < 0.25 * base, "rmse \(fitted) vs mean-only \(base)")
  }

  @Test func needsRatings() throws {
    let table = Table(columns: [("user", Column(ints: [0, 1])), ("item", Column(ints: [0, 1]))])
    let d = try Interactions(table: table, roles: InteractionRoles())
    var m = SVDModel()
    #expect(
      throws: ModelError("svd needs explicit ratings: give the split a rating role (split ... rating=COL)")
    ) {
      try m.fit(d)
    }
  }

  @Test func coldUserScoresMeanPlusItemBiasAndBatchEqualsSingle() throws {
    let d = try ratings([(0, 0, 5), (0, 1, 1), (1, 0, 4), (1, 2, 2)])
    var m = SVDModel(factors: 2, epochs: 5, seed: 1)
    try m.fit(d)
    var one = [Float](repeating: 0, count: 4)
    m.score(user: 7, into: &one)
    for i in 0..<3 {
      #expect(abs(Double(one[i]) - min(max(m.globalMean + m.itemBias[i], 1), 5)) < 1e-5)
    }
    #expect(one[3] == -.infinity)
    var batch = [Float](repeating: 0, count: 2 * 3)
    m.score(users: [0, 1], itemCount: 3, into: &batch)
    for u in 0..<2 {
      for i in 0..<3 { #expect(abs(Double(batch[u * 3 + i]) - m.predict(user: u, item: i)) < 1e-5) }
    }
  }
}
