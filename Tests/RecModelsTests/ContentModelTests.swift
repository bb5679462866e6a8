import Foundation
import RecData
import RecEval
import TestSupport
import Testing

@testable import RecModels

/// Content-based profiles with cosines written out by hand on a three-item catalogue.
@Suite struct ContentModelTests {
  /// Items P1, P2, P3: category a, a, b; tags x|y, y, x|y|z; price 10, 20, 30 (scaled 0, 0.5, 1);
  /// titles "Red Phone", "red red case", "Blue Phone Case".
  static let items = Table(columns: [
    ("item", Column(strings: ["P1", "P2", "P3"])),
    ("category", Column(strings: ["a", "a", "b"])),
    ("tags", Column(strings: ["x|y", "y", "x|y|z"])),
    ("price", Column(doubles: [10, 20, 30])),
    ("title", Column(strings: ["Red Phone", "red red case", "Blue Phone Case"])),
  ])

  /// In train U1 has P1 and U2 has P2 twice and P3 once; the test part gives U1 P2.
  static func data() throws -> Interactions {
    let train = Table(columns: [
      ("user", Column(strings: ["U1", "U2", "U2", "U2"])),
      ("item", Column(strings: ["P1", "P2", "P2", "P3"])),
    ])
    let test = Table(columns: [("user", Column(strings: ["U1"])), ("item", Column(strings: ["P2"]))])
    return try Interactions.build(tables: [("train", train), ("test", test)], roles: InteractionRoles())[0]
  }

  /// Only U1-P1 in train; P2 and P3 occur only in the test part, so they are in the map with no
  /// training events: cold items.
  static func coldData() throws -> Interactions {
    let train = Table(columns: [("user", Column(strings: ["U1"])), ("item", Column(strings: ["P1"]))])
    let test = Table(columns: [
      ("user", Column(strings: ["U1", "U2"])), ("item", Column(strings: ["P2", "P3"])),
    ])
    return try Interactions.build(tables: [("train", train), ("test", test)], roles: InteractionRoles())[0]
  }

  static func make(_ values: [String: ModelOptions.Value], items: Table? = items) throws -> any Recommender {
    var o = ModelOptions(values)
    if let items { o.tables["items"] = items }
    return try ContentModel.type.make(o)
  }

  static func scores(_ m: any Recommender, user: Int) -> [Float] {
    var s = [Float](repeating: 0, count: m.itemCount)
    m.score(user: user, into: &s)
    return s
  }

  // The three blocks have norm 1 each, so a profile is (blocks) / sqrt(3), and a cosine is the
  // sum of the block dot products divided by 3. Price blocks dot to cos(pi (x - y) / 2).
  static let cos12 = (1 + 1 / sqrt(2.0) + cos(Double.pi / 4)) / 3  // same category, tag y, dprice 0.5
  static let cos13 = (0 + 2 / sqrt(6.0) + cos(Double.pi / 2)) / 3  // tags {x,y}.{x,y,z}, dprice 1
  static let cos23 = (0 + 1 / sqrt(3.0) + cos(Double.pi / 4)) / 3  // tag y, dprice 0.5

  @Test func profileCosinesMatchTheHandComputedValues() throws {
    var m = try Self.make(["features": .names(["category", "tags", "price"])])
    let d = try Self.coldData()
    try m.fit(d)
    // U1's profile is P1's: its scores are cos(P1, .). P2 and P3 have no training events.
    let s = Self.scores(m, user: 0)
    #expect(isClose(Double(s[0]), 1, tolerance: 1e-6))
    #expect(isClose(Double(s[1]), Self.cos12, tolerance: 1e-6))
    #expect(isClose(Double(s[2]), Self.cos13, tolerance: 1e-6))
    let sim = try #require(m.similarItems(to: 1, count: 2))
    #expect(sim.map(\.item) == [0, 2])  // cos12 ~ 0.805 > cos23 ~ 0.428
    #expect(isClose(Double(sim[1].score), Self.cos23, tolerance: 1e-6))
  }

  @Test func aUserProfileIsTheWeightedSumOfItemProfiles() throws {
    var m = try Self.make(["features": .names(["category", "tags", "price"])])
    try m.fit(try Self.data())
    // U2: 2 p2 + p3 (duplicates add up). cos(U2, P1) = (2 cos12 + cos13) / |2 p2 + p3|,
    // |2 p2 + p3|^2 = 4 + 1 + 4 cos23.
    let s = Self.scores(m, user: 1)
    let expected = (2 * Self.cos12 + Self.cos13) / (5 + 4 * Self.cos23).squareRoot()
    #expect(isClose(Double(s[0]), expected, tolerance: 1e-6))
  }

  @Test func blockWeightsScaleTheBlocks() throws {
    // Weights 2, 0, 1: tags dropped; a profile is (2 cat, price) / sqrt(5).
    var m = try Self.make(["features": .names(["category", "tags", "price"]), "weights": .ints([2, 0, 1])])
    try m.fit(try Self.data())
    let s = Self.scores(m, user: 0)
    #expect(isClose(Double(s[1]), (4 + cos(Double.pi / 4)) / 5, tolerance: 1e-6))
    #expect(isClose(Double(s[2]), (0 + cos(Double.pi / 2)) / 5, tolerance: 1e-6))
  }

  @Test func textIsTFIDFOfLowerCasedWords() throws {
    var m = try Self.make(["text": .names(["title"])])
    try m.fit(try Self.data())
    let c = try #require(m as? ContentModel)
    let side = try #require(c.side)
    #expect(side.fields[0].vocabulary == ["blue", "case", "phone", "red"])
    // N = 3 documents; df: blue 1, case 2, phone 2, red 2.
    let l15 = log(1.5)
    let l3 = log(3.0)
    // P3 "Blue Phone Case": (blue ln3, case ln1.5, phone ln1.5) / norm.
    let n3 = (l3 * l3 + 2 * l15 * l15).squareRoot()
    let p3 = c.profileValue[c.profileStart[2]..<c.profileStart[3]].map(Double.init)
    #expect(c.profileFeature[c.profileStart[2]..<c.profileStart[3]].elementsEqual([0, 1, 2]))
    for (a, b) in zip(p3, [l3 / n3, l15 / n3, l15 / n3]) { #expect(isClose(a, b, tolerance: 1e-6)) }
    // P1 "Red Phone" = (phone, red) / sqrt 2; P2 "red red case": tf red 2 -> (case 1, red 2) / sqrt 5.
    let s = Self.scores(m, user: 0)
    #expect(isClose(Double(s[1]), 2 / sqrt(10.0), tolerance: 1e-6))
    #expect(isClose(Double(s[2]), (1 / sqrt(2.0)) * l15 / n3, tolerance: 1e-6))
  }

  @Test func aColdItemGetsAContentScore() throws {
    var m = try Self.make(["features": .names(["category"])])
    let d = try Self.coldData()
    try m.fit(d)
    #expect(d.byItem.count(ofRow: 1) == 0)  // P2 has no training events
    let rec = m.recommend(for: 0, count: 1, excludingSeen: d)
    #expect(rec.first?.item == 1)  // same category as U1's P1
    #expect(rec.first.map { isClose(Double($0.score), 1, tolerance: 1e-6) } == true)
  }

  @Test func historyScoringUsesTheGivenItems() throws {
    var m = try Self.make(["features": .names(["category", "tags", "price"])])
    try m.fit(try Self.data())
    let h = try #require(m as? any HistoryScorer)
    var s = [Float](repeating: 0, count: 3)
    h.score(history: [1], into: &s)
    #expect(isClose(Double(s[0]), Self.cos12, tolerance: 1e-6))
    #expect(isClose(Double(s[2]), Self.cos23, tolerance: 1e-6))
    // An empty history falls back to popularity: P1 1 event, P2 2, P3 1.
    h.score(history: [], into: &s)
    #expect(s == [1, 2, 1])
  }

  @Test func aMissingFeatureColumnIsNamedWithTheColumnsThatExist() throws {
    do {
      _ = try Self.make(["features": .names(["categroy"])])
      Issue.record("expected an error")
    } catch let e as ModelError {
      #expect(e.message.contains("'categroy'"))
      #expect(e.message.contains("did you mean 'category'"))
      #expect(e.message.contains("item, category, tags, price, title"))
    }
  }

  @Test func anItemTableWithoutTheKeyColumnIsAnError() throws {
    let noKey = Self.items.renaming("item", to: "sku")
    var m = try Self.make(["features": .names(["category"])], items: noKey)
    #expect(throws: ModelError.self) { try m.fit(try Self.data()) }
    // Named at once when item-key= is given.
    #expect(throws: ModelError.self) {
      _ = try Self.make(["features": .names(["category"]), "item-key": .names(["id"])], items: noKey)
    }
    // And right with item-key=sku.
    var k = try Self.make(["features": .names(["category"]), "item-key": .names(["sku"])], items: noKey)
    try k.fit(try Self.data())
    #expect(Self.scores(k, user: 0)[1] > 0.99)
  }

  @Test func optionMistakesAreErrors() throws {
    #expect(throws: ModelError.self) { _ = try Self.make(["features": .names(["tags"])], items: nil) }
    #expect(throws: ModelError.self) { _ = try Self.make([:]) }
    #expect(throws: ModelError.self) {
      _ = try Self.make(["features": .names(["tags"]), "weights": .ints([1, 2])])
    }
    #expect(throws: ModelError.self) { _ = try Self.make(["text": .names(["price"])]) }
  }

  @Test func withoutAnItemTableProfilesAreTheItemsUsers() throws {
    var m = ContentModel()
    try m.fit(try Self.data())
    // P2's users: U2 (weight 2); P3's: U2. Unit profiles are both e_U2, so cos(P2, P3) = 1.
    let sim = try #require(m.similarItems(to: 1, count: 1))
    #expect(sim.first?.item == 2)
    #expect(sim.first.map { isClose(Double($0.score), 1, tolerance: 1e-6) } == true)
  }
}
