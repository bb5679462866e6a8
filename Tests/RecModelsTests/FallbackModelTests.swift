import RecData
import RecEval
import Testing

@testable import RecModels

/// `FallbackModel`: cold users (no training data) get the fallback's scores, warm users the
/// primary's, in single and batched scoring alike.
@Suite struct FallbackModelTests {
  @Test func coldUsersGetTheFallbackAndBatchingAgrees() throws {
    let d = try CatalogContractTests.planted()
    var m = FallbackModel(primary: RandomModel(seed: 4), fallback: PopularityModel(), fallbackName: "pop")
    try m.fit(d)
    var pop = PopularityModel()
    try pop.fit(d)
    #expect(m.isCold(user: 40) && !m.isCold(user: 0) && m.isCold(user: 99))
    let n = d.itemCount
    var cold = [Float](repeating: 0, count: n)
    m.score(user: 40, into: &cold)
    #expect(cold == pop.counts)
    var warm = [Float](repeating: 0, count: n)
    m.score(user: 3, into: &warm)
    var random = [Float](repeating: 0, count: n)
    RandomModel(seed: 4).score(user: 3, into: &random)
    #expect(warm == random)
    var all = [Float](repeating: 0, count: 3 * n)
    m.score(users: [3, 40, 3], itemCount: n, into: &all)
    #expect(
      Array(all[0..<n]) == random && Array(all[n..<(2 * n)]) == cold && Array(all[(2 * n)...]) == random)
    // An empty history is cold: the fallback answers.
    var h = [Float](repeating: 0, count: n)
    m.score(history: [], into: &h)
    #expect(h == pop.counts)
  }
}
