import RecData
import RecEval
import Testing

@testable import RecModels

@Suite struct CaserModelTests {
  func small(epochs: Int = 60, seed: UInt64 = 7) -> CaserModel {
    CaserModel(
      length: 3, targets: 2, horizontal: 8, vertical: 2, dim: 16, dropout: 0.1, negatives: 3, epochs: epochs,
      learningRate: 0.01, batch: 32, seed: seed)
  }

  @Test func learnsThePlantedNextItem() throws {
    var m = small()
    let r = try m.fit(try ChainData.make())
    #expect(r.outcome == .completed)
    #expect(ChainData.nextItemAccuracy(m, items: 20) >= 0.9)
  }

  @Test func windowsFollowTheReferenceCode() {
    // Long enough: every window of L + T = 4 items, newest first.
    let w = CaserModel.windows(user: 2, sequence: [10, 11, 12, 13, 14], length: 2, targets: 2, padding: 99)
    #expect(w.map(\.inputs) == [[11, 12], [10, 11]])
    #expect(w.map(\.targets) == [[13, 14], [12, 13]])
    #expect(w.allSatisfy { $0.user == 2 })
    // Short: one window padded on the left; a padded target position is no target.
    let s = CaserModel.windows(user: 0, sequence: [10, 11, 12], length: 2, targets: 2, padding: 99)
    #expect(s.map(\.inputs) == [[99, 10]] && s.map(\.targets) == [[11, 12]])
    let t = CaserModel.windows(user: 0, sequence: [10, 11], length: 3, targets: 2, padding: 99)
    #expect(t.map(\.inputs) == [[99, 99, 99]] && t.map(\.targets) == [[10, 11]])
    #expect(CaserModel.windows(user: 0, sequence: [10], length: 3, targets: 2, padding: 99).isEmpty)
  }

  @Test func scoresAnUnseenHistoryAndAColdUser() throws {
    var m = small()
    let d = try ChainData.make()
    try m.fit(d)
    var s = [Float](repeating: 0, count: 21)
    m.score(history: [7, 8, 9], into: &s)
    #expect(s.indices.max { s[$0] < s[$1] } == 10)
    #expect(s[20] == -.infinity)
    m.score(user: 1000, into: &s)
    #expect(s.prefix(20).allSatisfy(\.isFinite))
  }

  @Test func needsATimeRole() throws {
    var m = small()
    let d = try ChainData.make(time: false)
    do {
      try m.fit(d)
      Issue.record("fit without a time role did not throw")
    } catch let e as ModelError {
      #expect(e.message.contains("caser needs a time role") && e.message.contains("time=COL"))
    }
  }

  @Test func theSameSeedGivesTheSameScoresAndAnotherSeedDoesNot() throws {
    let d = try ChainData.make()
    var a = small(epochs: 3, seed: 1)
    var b = small(epochs: 3, seed: 1)
    var c = small(epochs: 3, seed: 2)
    try a.fit(d)
    try b.fit(d)
    try c.fit(d)
    var sa = [Float](repeating: 0, count: 20)
    var sb = sa
    var sc = sa
    a.score(user: 3, into: &sa)
    b.score(user: 3, into: &sb)
    c.score(user: 3, into: &sc)
    #expect(sa == sb)
    #expect(sa != sc)
  }

  @Test func lossDecreases() throws {
    var m = small(epochs: 20)
    let r = try m.fit(try ChainData.make())
    let first = try #require(r.epochs.first?.loss)
    let last = try #require(r.epochs.last?.loss)
    #expect(last < 0.5 * first, "loss \(first) -> \(last)")
  }

  @Test func batchedScoresEqualSingleUserScores() throws {
    let d = try ChainData.make(users: 12)
    var m = small(epochs: 2)
    try m.fit(d)
    var all = [Float](repeating: 0, count: 12 * 21)
    m.score(users: Array(0..<12), itemCount: 21, into: &all)
    var one = [Float](repeating: 0, count: 21)
    for u in 0..<12 {
      m.score(user: u, into: &one)
      for i in 0..<21 {
        #expect(all[u * 21 + i] == one[i] || abs(all[u * 21 + i] - one[i]) <= 1e-5 * max(1, abs(one[i])))
      }
    }
  }

  @Test func optionsBuildTheModel() throws {
    let spec = try #require(ModelCatalog.named("caser"))
    let m = try spec.make(ModelOptions(["length": .int(4), "l2": .double(0), "negatives": .int(5)], seed: 3))
    let c = try #require(m as? CaserModel)
    #expect(c.length == 4 && c.l2 == 0 && c.negatives == 5 && c.seed == 3 && c.dim == 50 && c.targets == 3)
  }
}
