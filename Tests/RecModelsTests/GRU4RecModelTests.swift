import RecData
import RecEval
import Testing

@testable import RecModels

/// Sequence data with a planted rule: item `i` is always followed by item `i + 1`.
enum ChainData {
  /// `users` users, each a run of `length` consecutive items from a seeded start in
  /// `0...(items - length)`, timed by position. Rows are written newest first, so a model that
  /// ignored the time role would read every sequence backwards.
  static func make(users: Int = 60, items: Int = 20, length: Int = 8, seed: UInt64 = 3, time: Bool = true)
    throws -> Interactions
  {
    var g = SeededGenerator(seed: seed)
    var u = [Int]()
    var i = [Int]()
    var t = [Int]()
    for user in 0..<users {
      let start = g.nextInt(below: items - length + 1)
      for k in (0..<length).reversed() {
        u.append(user)
        i.append(start + k)
        t.append(1000 * user + k)
      }
    }
    // Every item in the map (dense index == item id, the map sorts ids).
    let zeros = [Int](repeating: 0, count: items)
    var cols: [(String, Column)] = [("user", Column(ints: u)), ("item", Column(ints: i))]
    var allCols: [(String, Column)] = [
      ("user", Column(ints: zeros)), ("item", Column(ints: Array(0..<items))),
    ]
    if time {
      cols.append(("time", Column(ints: t)))
      allCols.append(("time", Column(ints: zeros)))
    }
    let roles = InteractionRoles(time: time ? "time" : nil)
    return try Interactions.build(
      tables: [("train", Table(columns: cols)), ("all", Table(columns: allCols))], roles: roles)[0]
  }

  /// Share of histories `[k - 2, k - 1, k]` whose top-scored item is `k + 1`.
  static func nextItemAccuracy(_ m: some HistoryScorer, items: Int) -> Double {
    var hits = 0
    var s = [Float](repeating: 0, count: items)
    for k in 2..<(items - 1) {
      m.score(history: [k - 2, k - 1, k], into: &s)
      let best = s.indices.max { s[$0] < s[$1] } ?? -1
      if best == k + 1 { hits += 1 }
    }
    return Double(hits) / Double(items - 3)
  }
}

@Suite struct GRU4RecModelTests {
  func small(_ objective: GRU4RecModel.Objective = .softmax, epochs: Int = 40, seed: UInt64 = 7)
    -> GRU4RecModel
  {
    GRU4RecModel(
      embeddingDim: 16, hiddenDim: 16, dropout: 0, objective: objective, negatives: 8, batchUsers: 8,
      epochs: epochs, learningRate: 0.02, seed: seed)
  }

  @Test func learnsThePlantedNextItem() throws {
    let d = try ChainData.make()
    var m = small()
    try m.fit(d)
    #expect(ChainData.nextItemAccuracy(m, items: 20) >= 0.9)
    // A training user's next item: after a run ending at e, e + 1 (when there is one).
    var hits = 0
    var total = 0
    for u in 0..<d.userCount {
      let last = Int(d.item[u * 8])  // rows newest first
      guard last < 19 else { continue }
      total += 1
      if m.recommend(for: u, count: 1, excludingSeen: d).first?.item == last + 1 { hits += 1 }
    }
    #expect(total > 10 && Double(hits) >= 0.9 * Double(total))
  }

  @Test func scoresAnUnseenHistory() throws {
    var m = small()
    try m.fit(try ChainData.make())
    // [4, 5] never appears as a whole history in train as the only items, yet 6 follows 5.
    var s = [Float](repeating: 0, count: 22)
    m.score(history: [4, 5], into: &s)
    #expect(s.indices.max { s[$0] < s[$1] } == 6)
    #expect(s[20] == -.infinity && s[21] == -.infinity)
    // The empty history gives finite scores (the output bias).
    m.score(history: [], into: &s)
    #expect(s.prefix(20).allSatisfy { $0.isFinite })
  }

  /// Repeats of an item (a view, a cart and a purchase of it) are one step: in training
  /// sequences and in histories given at request time.
  @Test func repeatsAreOneStep() throws {
    #expect(UserSequences.firstTouches([3, 3, 5, 3, 7, 5]) == [3, 5, 7])
    #expect(UserSequences.known([4, 4, 99, -1, 5, 4], itemCount: 20) == [4, 5])
    var m = small(epochs: 5)
    try m.fit(try ChainData.make())
    var once = [Float](repeating: 0, count: 20)
    var repeated = [Float](repeating: 0, count: 20)
    m.score(history: [4, 5], into: &once)
    m.score(history: [4, 4, 5, 5, 4], into: &repeated)
    #expect(once == repeated)
  }

  @Test func needsATimeRole() throws {
    var m = small()
    let d = try ChainData.make(time: false)
    do {
      try m.fit(d)
      Issue.record("fit without a time role did not throw")
    } catch let e as ModelError {
      #expect(e.message.contains("gru4rec needs a time role") && e.message.contains("time=COL"))
    }
  }

  @Test(arguments: GRU4RecModel.Objective.allCases)
  func eachLossRunsAndDecreases(objective: GRU4RecModel.Objective) throws {
    var m = small(objective, epochs: 15)
    let r = try m.fit(try ChainData.make())
    #expect(r.outcome == .completed && r.epochs.count == 15)
    let first = try #require(r.epochs.first?.loss)
    let last = try #require(r.epochs.last?.loss)
    #expect(last < 0.7 * first, "\(objective): loss \(first) -> \(last)")
  }

  @Test func twoLayersLearn() throws {
    var m = small(epochs: 60)
    m.layers = 2
    try m.fit(try ChainData.make())
    #expect(ChainData.nextItemAccuracy(m, items: 20) >= 0.8)
  }

  @Test func maxLengthReadsOnlyTheLastItems() throws {
    var m = small(epochs: 3)
    m.maxLength = 2
    try m.fit(try ChainData.make())
    var long = [Float](repeating: 0, count: 20)
    var short = long
    var other = long
    m.score(history: [1, 2, 3, 9, 10], into: &long)
    m.score(history: [9, 10], into: &short)
    m.score(history: [8, 9, 10], into: &other)
    #expect(long == short && long == other)
    m.maxLength = 0
    m.score(history: [8, 9, 10], into: &other)
    #expect(other != short)
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
        #expect(abs(all[u * 21 + i] - one[i]) <= 1e-5 * max(1, abs(one[i])) || all[u * 21 + i] == one[i])
      }
    }
  }

  @Test func optionsBuildTheModel() throws {
    let spec = try #require(ModelCatalog.named("gru4rec"))
    let m = try spec.make(
      ModelOptions(
        [
          "hidden": .int(32), "loss": .text("bpr-max"), "max-length": .int(50),
          "learning-rate": .double(0.01),
        ],
        seed: 4))
    let g = try #require(m as? GRU4RecModel)
    #expect(g.hiddenDim == 32 && g.objective == .bprMax && g.maxLength == 50 && g.seed == 4)
    #expect(g.learningRate == 0.01 && g.embeddingDim == 64 && g.epochs == 18)
  }
}
