import Foundation
import RecData
import RecEval
import TestSupport
import Testing

@testable import RecModels

/// The contract every model keeps, and the baselines' known answers.
@Suite struct RecommenderContractTests {
  /// A small implicit data set: item i is liked by users 0..<(5 - i) (item 0 most popular).
  func data() throws -> Interactions {
    var u = [Int]()
    var i = [Int]()
    var t = [Int]()
    for item in 0..<5 {
      for user in 0..<(5 - item) {
        u.append(user)
        i.append(item)
        t.append(item * 10 + user)
      }
    }
    let table = Table(columns: [("user", Column(ints: u)), ("item", Column(ints: i)), ("t", Column(ints: t))])
    return try Interactions(table: table, roles: InteractionRoles(time: "t"))
  }

  static let models: [@Sendable () -> any Recommender] = [{ PopularityModel() }, { RandomModel(seed: 3) }]

  @Test(arguments: 0..<2)
  func neverReturnsSeenItemsAndRespectsCount(model index: Int) throws {
    let d = try data()
    var m = Self.models[index]()
    try m.fit(d)
    for user in 0..<d.userCount {
      for count in [0, 1, 3, 10] {
        let rec = m.recommend(for: user, count: count, excludingSeen: d)
        let unseen = d.itemCount - d.byUser.count(ofRow: user)
        #expect(rec.count == min(count, unseen))
        for r in rec { #expect(!d.byUser.contains(row: user, column: Int32(r.item))) }
        // Best first.
        #expect(zip(rec, rec.dropFirst()).allSatisfy { $0.score >= $1.score })
      }
    }
  }

  @Test func popularityRanksByCountWithTiesTowardTheSmallerItem() throws {
    var m = PopularityModel()
    try m.fit(data())
    #expect(m.counts == [5, 4, 3, 2, 1])
    // User 4 has only item 0: the rest by count.
    #expect(m.recommend(for: 4, count: 3, excludingSeen: try data()).map(\.item) == [1, 2, 3])
    var w = PopularityModel(window: 15)
    try w.fit(data())
    // Latest time 40; window 15 keeps t >= 25: item 2 (t 20..22) is out, items 3 and 4 stay.
    #expect(w.counts == [0, 0, 0, 2, 1])
  }

  @Test func randomIsSeededPerUser() throws {
    var a = RandomModel(seed: 9)
    var b = RandomModel(seed: 9)
    try a.fit(data())
    try b.fit(data())
    #expect(a.recommend(for: 2, count: 3) == b.recommend(for: 2, count: 3))
    var s1 = [Float](repeating: 0, count: 5)
    var s2 = s1
    a.score(user: 0, into: &s1)
    a.score(user: 1, into: &s2)
    #expect(s1 != s2)
  }

  @Test(.enabled(if: TestPaths.hasML100K, Comment(rawValue: TestPaths.ml100kMissing)))
  func popOnML100KMatchesTheSharedPopularityRow() throws {
    let table = try MovieLens.read(path: TestPaths.ml100k + "/u.data").0
    let d = try Interactions(table: table, roles: InteractionRoles(rating: "rating", time: "timestamp"))
    let split = try Splitter.split(d, method: .leaveOneOut, seed: 42)
    var pop = PopularityModel()
    try pop.fit(split.train)
    let r = try Evaluator.evaluate(pop, on: split, options: EvaluationOptions(k: 10, metrics: [.hr, .ndcg]))
    // ../shared/bench/peers/RESULTS.md, P1, numpy Popularity (results.json, full precision).
    #expect(abs(r.value(.hr)! - 0.04984093319194061) < 1e-6)
    #expect(abs(r.value(.ndcg)! - 0.02529579910240362) < 1e-6)
    #expect(abs(r.standardError(.hr)! - 0.007090319240526986) < 1e-6)
  }

  @Test func factorModelScoresAreDotProducts() {
    let f = FactorModel.random(users: 3, items: 7, dim: 19, seed: 4)
    var s = [Float](repeating: 0, count: 7)
    f.score(user: 2, into: &s)
    for i in 0..<7 {
      var d: Float = 0
      for j in 0..<19 { d += f.userFactors[2 * 19 + j] * f.itemFactors[i * 19 + j] }
      #expect(abs(s[i] - d) < 1e-5)
    }
  }

  @Test func factorModelBatchScoresEqualSingleUserScores() {
    let f = FactorModel.random(users: 9, items: 13, dim: 64, seed: 5)
    let users = [7, 0, 3]
    var batch = [Float](repeating: 0, count: users.count * 13)
    f.score(users: users, itemCount: 13, into: &batch)
    for (j, u) in users.enumerated() {
      var one = [Float](repeating: 0, count: 13)
      f.score(user: u, into: &one)
      for i in 0..<13 { #expect(abs(batch[j * 13 + i] - one[i]) < 1e-5) }
    }
  }
}
