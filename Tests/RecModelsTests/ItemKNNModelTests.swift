import Foundation
import RecData
import RecEval
import RecNN
import Testing

@testable import RecModels

/// Item-kNN: similarities and scores against values computed by hand on the 4 x 4 matrix of
/// `ModelTestData.square`, whose item columns are
/// `i0 = {u0, u1, u3}`, `i1 = {u0, u1, u2}`, `i2 = {u0, u2}`, `i3 = {u2, u3}`, so
/// `|i0| = |i1| = sqrt(3)`, `|i2| = |i3| = sqrt(2)` and the co-occurrences are
/// `i0.i1 = 2, i0.i2 = 1, i0.i3 = 1, i1.i2 = 2, i1.i3 = 1, i2.i3 = 1`.
@Suite struct ItemKNNModelTests {
  let s6 = Float(6).squareRoot()

  func fitted(_ m: ItemKNNModel, _ pairs: [(Int, Int)] = ModelTestData.square, weights: [Double]? = nil)
    throws -> ItemKNNModel
  {
    var m = m
    try m.fit(ModelTestData.interactions(pairs, weights: weights))
    return m
  }

  func expectList(_ got: [ScoredItem]?, _ want: [(Int, Float)], tolerance: Float = 1e-6) {
    guard let got else {
      Issue.record("no neighbours")
      return
    }
    #expect(got.map(\.item) == want.map(\.0))
    for (g, w) in zip(got, want) { #expect(abs(g.score - w.1) <= tolerance, "item \(g.item)") }
  }

  @Test func cosineSimilaritiesByHand() throws {
    let m = try fitted(ItemKNNModel(neighbours: 10))
    // Equal similarities keep the smaller item first (i2 before i3 for i0).
    expectList(m.similarItems(to: 0, count: 10), [(1, 2 / 3), (2, 1 / s6), (3, 1 / s6)])
    expectList(m.similarItems(to: 1, count: 10), [(2, 2 / s6), (0, 2 / 3), (3, 1 / s6)])
    expectList(m.similarItems(to: 2, count: 10), [(1, 2 / s6), (3, 1 / 2), (0, 1 / s6)])
    expectList(m.similarItems(to: 3, count: 10), [(2, 1 / 2), (0, 1 / s6), (1, 1 / s6)])
    // `count` truncates the answer, not the model.
    expectList(m.similarItems(to: 1, count: 1), [(2, 2 / s6)])
    #expect(m.similarItems(to: 9, count: 3)?.isEmpty == true)
  }

  @Test func shrinkIsAddedToTheCosineDenominator() throws {
    let m = try fitted(ItemKNNModel(neighbours: 10, shrink: 1))
    expectList(
      m.similarItems(to: 1, count: 10), [(2, 2 / (s6 + 1)), (0, 2 / (3 + 1)), (3, 1 / (s6 + 1))])
    expectList(m.similarItems(to: 3, count: 10), [(2, 1 / (2 + 1)), (0, 1 / (s6 + 1)), (1, 1 / (s6 + 1))])
  }

  @Test func scoresSumTheNeighboursOfTheUsersItems() throws {
    let m = try fitted(ItemKNNModel(neighbours: 10))
    var s = [Float](repeating: 9, count: 4)
    // u1 has i0 and i1: score(i) = sim(i0, i) + sim(i1, i), an item never its own neighbour.
    m.score(user: 1, into: &s)
    let want: [Float] = [2 / 3, 2 / 3, 1 / s6 + 2 / s6, 1 / s6 + 1 / s6]
    for i in 0..<4 { #expect(abs(s[i] - want[i]) < 1e-6, "item \(i)") }
    #expect(
      m.recommend(for: 1, count: 2, excludingSeen: try ModelTestData.interactions(ModelTestData.square))
        .map(\.item) == [2, 3])
  }

  @Test func aHistoryScoresAsATrainingUserWithTheSameItems() throws {
    let m = try fitted(ItemKNNModel(neighbours: 10))
    var fromUser = [Float](repeating: 0, count: 4)
    var fromHistory = [Float](repeating: 0, count: 4)
    m.score(user: 1, into: &fromUser)
    m.score(history: [1, 0], into: &fromHistory)
    #expect(fromUser == fromHistory)
    // A repeat adds up; an unknown item is ignored.
    m.score(history: [2, 2, 99], into: &fromHistory)
    let want: [Float] = [2 / s6, 4 / s6, 0, 1]
    for i in 0..<4 { #expect(abs(fromHistory[i] - want[i]) < 1e-6, "item \(i)") }
  }

  @Test func kKeepsOnlyTheBestNeighboursOfEachItem() throws {
    let m = try fitted(ItemKNNModel(neighbours: 1))
    expectList(m.similarItems(to: 0, count: 10), [(1, 2 / 3)])
    expectList(m.similarItems(to: 1, count: 10), [(2, 2 / s6)])
    expectList(m.similarItems(to: 2, count: 10), [(1, 2 / s6)])
    expectList(m.similarItems(to: 3, count: 10), [(2, 1 / 2)])
    // u1 (i0, i1): i0 passes only to i1, i1 only to i2; the lists are not symmetric.
    var s = [Float](repeating: 0, count: 4)
    m.score(user: 1, into: &s)
    let want: [Float] = [0, 2 / 3, 2 / s6, 0]
    for i in 0..<4 { #expect(abs(s[i] - want[i]) < 1e-6, "item \(i)") }
  }

  /// implicit's weightings written out on a dense Double matrix: the reference for tf-idf and bm25.
  static func referenceSimilarity(
    _ x: [[Double]], _ weighting: ItemKNNModel.Weighting, k1: Double = 1.2, b: Double = 0.75,
    shrink: Double = 0
  ) -> [[Double]] {
    let users = x.count
    let items = x[0].count
    let idf = x.map { row in log(Double(items)) - log(1 + Double(row.filter { $0 != 0 }.count)) }
    let length = (0..<items).map { i in (0..<users).reduce(0) { $0 + x[$1][i] } }
    let mean = length.reduce(0, +) / Double(items)
    var w = x
    for u in 0..<users {
      for i in 0..<items where x[u][i] != 0 {
        switch weighting {
        case .none: w[u][i] = x[u][i]
        case .tfidf: w[u][i] = x[u][i].squareRoot() * idf[u]
        case .bm25:
          let norm = (1 - b) + b * length[i] / mean
          w[u][i] = x[u][i] * (k1 + 1) / (k1 * norm + x[u][i]) * idf[u]
        }
      }
    }
    func col(_ i: Int) -> [Double] { (0..<users).map { w[$0][i] } }
    func dot(_ a: [Double], _ c: [Double]) -> Double { zip(a, c).reduce(0) { $0 + $1.0 * $1.1 } }
    return (0..<items).map { i in
      (0..<items).map { j in
        let d = dot(col(i), col(j))
        return weighting == .bm25
          ? d : d / ((dot(col(i), col(i)) * dot(col(j), col(j))).squareRoot() + shrink)
      }
    }
  }

  /// 4 users x 6 items with two weighted events, so idf, term saturation and length norms all vary.
  static let weightedPairs: [(Int, Int)] = [
    (0, 0), (0, 1), (0, 2), (1, 0), (1, 3), (2, 1), (2, 2), (2, 4), (3, 0), (3, 5), (3, 2),
  ]
  static let weightedWeights: [Double] = [2, 1, 1, 1, 1, 1, 1, 3, 1, 1, 1]

  @Test(arguments: [
    (ItemKNNModel.Weighting.none, 0.0), (.none, 2.5), (.tfidf, 0.0), (.tfidf, 1.0), (.bm25, 0.0),
  ])
  func similaritiesMatchImplicitsFormulas(weighting: ItemKNNModel.Weighting, shrink: Double) throws {
    let m = try fitted(
      ItemKNNModel(neighbours: 3, shrink: shrink, weighting: weighting), Self.weightedPairs,
      weights: Self.weightedWeights)
    let x = ModelTestData.dense(Self.weightedPairs, weights: Self.weightedWeights, users: 4, items: 6)
    let sim = Self.referenceSimilarity(x, weighting, shrink: shrink)
    for i in 0..<6 {
      // The 3 best positive similarities of i. Exact ties in Double (i4 and i5 for i2) may fall
      // either way in Float, so the scores are compared in order and each item with its own.
      let want = (0..<6).filter { $0 != i && sim[i][$0] > 1e-12 }.map { sim[i][$0] }.sorted(by: >).prefix(3)
      let got = m.similarItems(to: i, count: 10) ?? []
      #expect(got.count == want.count, "item \(i)")
      for (g, w) in zip(got, want) { #expect(abs(Double(g.score) - w) < 1e-5, "item \(i) rank of \(g.item)") }
      for g in got { #expect(abs(Double(g.score) - sim[i][g.item]) < 1e-5, "item \(i) -> \(g.item)") }
    }
  }

  @Test func bm25OnePairWrittenOut() throws {
    let m = try fitted(
      ItemKNNModel(neighbours: 5, weighting: .bm25), Self.weightedPairs, weights: Self.weightedWeights)
    // i0 and i3 share only u1 (2 of 6 items: idf = log 6 - log 3). Item lengths (column sums):
    // i0 = 2 + 1 + 1 = 4, i3 = 1; their mean over the 6 items is 14 / 6.
    let k1 = 1.2
    let b = 0.75
    let idf = log(6.0) - log(3.0)
    let mean = 14.0 / 6
    let w0 = 1 * (k1 + 1) / (k1 * ((1 - b) + b * 4 / mean) + 1) * idf
    let w3 = 1 * (k1 + 1) / (k1 * ((1 - b) + b * 1 / mean) + 1) * idf
    let got = m.similarItems(to: 3, count: 5) ?? []
    #expect(got.map(\.item) == [0])
    #expect(abs(Double(got.first?.score ?? 0) - w0 * w3) < 1e-6)
  }

  @Test func duplicateEventsAddUp() throws {
    let once = try fitted(ItemKNNModel(neighbours: 10), [(0, 0), (0, 1), (1, 0)], weights: [2, 1, 1])
    let twice = try fitted(ItemKNNModel(neighbours: 10), [(0, 0), (0, 1), (1, 0), (0, 0)])
    #expect(once.similarity == twice.similarity)
    #expect(once.history == twice.history)
  }

  @Test func recommendsWithinThePlantedGroup() throws {
    let d = try ModelTestData.interactions(ModelTestData.twoGroups)
    var m = ItemKNNModel(neighbours: 20)
    try m.fit(d)
    for u in 0..<20 {
      let rec = m.recommend(for: u, count: 2, excludingSeen: d)
      #expect(rec.count == 2)
      #expect(rec.allSatisfy { $0.item / 5 == u / 10 && $0.score > 0 }, "user \(u): \(rec)")
    }
  }

  @Test func coldUserScoresZeroAndUnknownItemsLowest() throws {
    let m = try fitted(ItemKNNModel())
    var s = [Float](repeating: 7, count: 6)
    m.score(user: 50, into: &s)
    #expect(s == [0, 0, 0, 0, -.infinity, -.infinity])
    #expect(m.recommend(for: 50, count: 2).map(\.item) == [0, 1])
  }

  @Test func sameListsWithOneOrTwoThreads() throws {
    var g = SeededGenerator(seed: 5)
    var pairs = [(Int, Int)]()
    for u in 0..<300 {
      for _ in 0..<(5 + Int(g.next() % 40)) { pairs.append((u, Int(g.next() % 400))) }
    }
    let d = try ModelTestData.interactions(pairs)
    let saved = Parallel.threads
    defer { Parallel.threads = saved }
    var lists = [NeighbourLists]()
    for threads in [1, 2] {
      Parallel.threads = threads
      var m = ItemKNNModel(neighbours: 15, shrink: 3)
      try m.fit(d)
      lists.append(m.similarity)
    }
    #expect(lists[0] == lists[1])
    #expect(lists[0].neighbours.count > 300 * 10)
  }

  @Test func optionsAreCheckedByTheCatalogueAndTheModel() throws {
    let k = ItemKNNModel.type.options.first { $0.name == "k" }
    #expect(k?.kind == .int(min: 1, max: 100_000))
    #expect(throws: ModelError.self) { try ItemKNNModel(neighbours: 0).validate() }
    #expect(throws: ModelError.self) { try ItemKNNModel.type.make(ModelOptions(["k": .int(0)])) }
    #expect(throws: ModelError.self) {
      try ItemKNNModel.type.make(ModelOptions(["weighting": .text("bm25"), "shrink": .double(10)]))
    }
    #expect(throws: ModelError.self) { try ItemKNNModel.type.make(ModelOptions(["weighting": .text("idf")])) }
    let m = try ItemKNNModel.type.make(ModelOptions(["k": .int(7), "weighting": .text("tfidf")]))
    let knn = try #require(m as? ItemKNNModel)
    #expect(knn.neighbourCount == 7 && knn.weighting == .tfidf && knn.bm25K1 == 1.2 && knn.bm25B == 0.75)
    var bad = ItemKNNModel(neighbours: 0)
    #expect(throws: ModelError.self) { try bad.fit(ModelTestData.interactions(ModelTestData.square)) }
    #expect(Array(ModelCatalog.names.prefix(5)) == ["pop", "random", "itemknn", "userknn", "ease"])
  }
}
