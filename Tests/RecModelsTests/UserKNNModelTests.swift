import Foundation
import RecData
import RecEval
import Testing

@testable import RecModels

/// User-kNN against values computed by hand on `ModelTestData.square`, whose user rows are
/// `u0 = {i0, i1, i2}`, `u1 = {i0, i1}`, `u2 = {i1, i2, i3}`, `u3 = {i0, i3}`, so
/// `|u0| = |u2| = sqrt(3)`, `|u1| = |u3| = sqrt(2)` and the overlaps are
/// `u0.u1 = 2, u0.u2 = 2, u0.u3 = 1, u1.u2 = 1, u1.u3 = 1, u2.u3 = 1`.
@Suite struct UserKNNModelTests {
  let s6 = Float(6).squareRoot()

  func fitted(_ m: UserKNNModel, _ pairs: [(Int, Int)] = ModelTestData.square) throws -> UserKNNModel {
    var m = m
    try m.fit(ModelTestData.interactions(pairs))
    return m
  }

  func expectList(_ got: [ScoredItem], _ want: [(Int, Float)]) {
    #expect(got.map(\.item) == want.map(\.0))
    for (g, w) in zip(got, want) { #expect(abs(g.score - w.1) <= 1e-6, "user \(g.item)") }
  }

  @Test func cosineSimilaritiesByHand() throws {
    let m = try fitted(UserKNNModel(neighbours: 10))
    expectList(m.similarUsers(to: 0, count: 10), [(1, 2 / s6), (2, 2 / 3), (3, 1 / s6)])
    expectList(m.similarUsers(to: 1, count: 10), [(0, 2 / s6), (3, 1 / 2), (2, 1 / s6)])
    expectList(m.similarUsers(to: 3, count: 10), [(1, 1 / 2), (0, 1 / s6), (2, 1 / s6)])
    #expect(m.similarItems(to: 0, count: 3) == nil)
  }

  @Test func shrinkIsAddedToTheCosineDenominator() throws {
    let m = try fitted(UserKNNModel(neighbours: 10, shrink: 2))
    expectList(m.similarUsers(to: 1, count: 10), [(0, 2 / (s6 + 2)), (3, 1 / (2 + 2)), (2, 1 / (s6 + 2))])
  }

  @Test func scoresSumTheSimilarityOfTheNeighboursWhoHaveTheItem() throws {
    // k = 2: u1 keeps u0 (2 / sqrt 6) and u3 (1 / 2), not u2.
    let m = try fitted(UserKNNModel(neighbours: 2))
    var s = [Float](repeating: 9, count: 4)
    m.score(user: 1, into: &s)
    // i0: u0 and u3; i1: u0; i2: u0; i3: u3 (u2's i3 does not count: not a neighbour).
    let want: [Float] = [2 / s6 + 1 / 2, 2 / s6, 2 / s6, 1 / 2]
    for i in 0..<4 { #expect(abs(s[i] - want[i]) < 1e-6, "item \(i)") }
    let seen = try ModelTestData.interactions(ModelTestData.square)
    #expect(m.recommend(for: 1, count: 2, excludingSeen: seen).map(\.item) == [2, 3])
  }

  @Test func aHistoryFindsItsNeighboursAmongTheTrainingUsers() throws {
    // The history {i0, i1} is u1's row: its similarities are 1 to u1, 2 / sqrt 6 to u0,
    // 1 / 2 to u3, 1 / sqrt 6 to u2; k = 2 keeps u1 and u0.
    let m = try fitted(UserKNNModel(neighbours: 2))
    var s = [Float](repeating: 0, count: 4)
    m.score(history: [0, 1, 42], into: &s)
    let want: [Float] = [1 + 2 / s6, 1 + 2 / s6, 2 / s6, 0]
    for i in 0..<4 { #expect(abs(s[i] - want[i]) < 1e-6, "item \(i)") }
    m.score(history: [], into: &s)
    #expect(s == [0, 0, 0, 0])
  }

  @Test func recommendsWithinThePlantedGroup() throws {
    let d = try ModelTestData.interactions(ModelTestData.twoGroups)
    var m = UserKNNModel(neighbours: 5)
    try m.fit(d)
    for u in 0..<20 {
      let rec = m.recommend(for: u, count: 2, excludingSeen: d)
      #expect(rec.count == 2)
      #expect(rec.allSatisfy { $0.item / 5 == u / 10 && $0.score > 0 }, "user \(u): \(rec)")
      #expect(m.similarUsers(to: u, count: 5).allSatisfy { $0.item / 10 == u / 10 })
    }
  }

  @Test func coldUserScoresZero() throws {
    let m = try fitted(UserKNNModel())
    var s = [Float](repeating: 7, count: 5)
    m.score(user: 4, into: &s)
    #expect(s == [0, 0, 0, 0, -.infinity])
  }

  @Test func optionsAreChecked() throws {
    let k = UserKNNModel.type.options.first { $0.name == "k" }
    #expect(k?.kind == .int(min: 1, max: 1_000_000))
    #expect(throws: ModelError.self) { try UserKNNModel.type.make(ModelOptions(["k": .int(0)])) }
    #expect(throws: ModelError.self) { try UserKNNModel(neighbours: 3, shrink: -1).validate() }
    let m = try #require(try UserKNNModel.type.make(ModelOptions(["shrink": .double(4)])) as? UserKNNModel)
    #expect(m.neighbourCount == 50 && m.shrink == 4)
  }
}
