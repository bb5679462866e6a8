import Foundation
import RecData
import RecEval
import Testing

@testable import RecModels

/// The contract every model of the catalogue keeps (implicit's `RecommenderBaseTestMixin` is
/// the pattern): on data with a planted answer the model finds it; it never recommends seen
/// items; it respects k; single-user and all-users scores agree; the same seed gives the same
/// recommendations; a user with no training data gets an answer, not a crash.
///
/// New models join by being in `ModelCatalog.all`; nothing here names them.
@Suite struct CatalogContractTests {
  /// Two communities: users 0..<20 pick items 0..<10, users 20..<40 pick items 10..<20, each
  /// 6 of their community's 10 items (seeded), with ratings 4-5 inside the community; user 40
  /// is in the id map but has no interactions (cold). A model that learns anything from
  /// co-occurrence recommends a user's own community's items first. With `dislikes` (for
  /// rating models) each user also rates 3 items of the other community 1.
  static func planted(dislikes: Bool = false) throws -> Interactions {
    var g = SeededGenerator(seed: 11)
    var u = [Int]()
    var i = [Int]()
    var r = [Int]()
    for user in 0..<40 {
      let base = user < 20 ? 0 : 10
      var items = Array(base..<(base + 10))
      g.shuffle(&items)
      for item in items.prefix(6) {
        u.append(user)
        i.append(item)
        r.append(4 + Int(g.next() % 2))
      }
      guard dislikes else { continue }
      var others = Array((10 - base)..<(20 - base))
      g.shuffle(&others)
      for item in others.prefix(3) {
        u.append(user)
        i.append(item)
        r.append(1)
      }
    }
    // A time column (the row order) so that sequence models, which need one, take part too.
    let table = Table(columns: [
      ("user", Column(ints: u)), ("item", Column(ints: i)), ("rating", Column(ints: r)),
      ("time", Column(ints: Array(0..<u.count))),
    ])
    let roles = InteractionRoles(rating: "rating", time: "time")
    let cold = Table(columns: [
      ("user", Column(ints: [40])), ("item", Column(ints: [0])), ("rating", Column(ints: [5])),
      ("time", Column(ints: [u.count])),
    ])
    // The cold user exists in the map (through the second table) but not in train.
    return try Interactions.build(tables: [("train", table), ("cold", cold)], roles: roles)[0]
  }

  static let types = ModelCatalog.all.map(\.name)

  /// Settings for the 40-user planted data where a type's defaults suit data sets a thousand
  /// times larger (a batch of 256 is the whole data: 20 epochs would be 20 steps). GMF, NeuMF
  /// and ALS get the planted rank (2 factors): with 8 factors and many epochs they memorise the
  /// 240 events and rank every unseen item alike, since the unseen items of a user's own
  /// community are sampled as negatives as often as the other community's.
  static let plantedOptions: [String: [String: ModelOptions.Value]] = [
    "svd": ["epochs": .int(100), "learning-rate": .double(0.02)],
    "als": ["factors": .int(2)],
    "gmf": ["epochs": .int(10), "batch-size": .int(16), "learning-rate": .double(0.01), "factors": .int(2)],
    "mlp": ["epochs": .int(60), "batch-size": .int(16), "learning-rate": .double(0.01)],
    "neumf": [
      "epochs": .int(10), "batch-size": .int(16), "learning-rate": .double(0.01), "factors": .int(2),
    ],
    "caser": [
      "epochs": .int(100), "batch": .int(8), "learning-rate": .double(0.01), "length": .int(3),
      "targets": .int(2),
    ],
  ]

  func make(_ type: String, seed: UInt64 = 5, planted: Bool = false) throws -> any Recommender {
    let spec = try #require(ModelCatalog.named(type))
    return try spec.make(ModelOptions(planted ? Self.plantedOptions[type] ?? [:] : [:], seed: seed))
  }

  @Test(arguments: types)
  func findsThePlantedCommunities(type: String) throws {
    let spec = try #require(ModelCatalog.named(type))
    guard spec.family != "baseline" else { return }  // pop and random know nothing of users
    let d = try Self.planted(dislikes: spec.needs == .ratings)
    var m = try make(type, planted: true)
    try m.fit(d, context: FitContext(seed: 5))
    var hits = 0
    var total = 0
    for user in 0..<40 {
      let own = user < 20 ? 0..<10 : 10..<20
      for r in m.recommend(for: user, count: 3, excludingSeen: d) {
        total += 1
        if own.contains(r.item) { hits += 1 }
      }
    }
    #expect(total == 120)
    #expect(Double(hits) / Double(total) >= 0.9, "\(type): \(hits) of \(total) in the user's own community")
  }

  @Test(arguments: types)
  func neverRecommendsSeenItemsAndRespectsK(type: String) throws {
    let d = try Self.planted()
    var m = try make(type)
    try m.fit(d, context: FitContext(seed: 5))
    for user in [0, 7, 25, 39, 40] {
      for k in [0, 1, 4, 30] {
        let rec = m.recommend(for: user, count: k, excludingSeen: d)
        let unseen = d.itemCount - d.byUser.count(ofRow: user)
        #expect(rec.count == min(k, unseen), "\(type): user \(user) k \(k)")
        #expect(rec.allSatisfy { !d.byUser.contains(row: user, column: Int32($0.item)) })
        #expect(Set(rec.map(\.item)).count == rec.count)
        #expect(zip(rec, rec.dropFirst()).allSatisfy { !($0.score < $1.score) }, "\(type): best first")
      }
    }
  }

  @Test(arguments: types)
  func singleUserAndAllUsersScoresAgree(type: String) throws {
    let d = try Self.planted()
    var m = try make(type)
    try m.fit(d, context: FitContext(seed: 5))
    let users = Array(0..<d.userCount)
    let n = d.itemCount
    var all = [Float](repeating: 0, count: users.count * n)
    m.score(users: users, itemCount: n, into: &all)
    var one = [Float](repeating: 0, count: n)
    for u in users {
      m.score(user: u, into: &one)
      for i in 0..<n {
        let a = all[u * n + i]
        let b = one[i]
        let same = a == b || (a.isNaN && b.isNaN) || abs(a - b) <= 1e-4 * max(1, abs(a), abs(b))
        #expect(same, "\(type): user \(u) item \(i): \(a) batched vs \(b) single")
        if !same { return }
      }
    }
  }

  @Test(arguments: types)
  func theSameSeedGivesTheSameRecommendations(type: String) throws {
    let d = try Self.planted()
    var a = try make(type, seed: 9)
    var b = try make(type, seed: 9)
    try a.fit(d, context: FitContext(seed: 9))
    try b.fit(d, context: FitContext(seed: 9))
    for user in 0..<d.userCount {
      var sa = [Float](repeating: 0, count: d.itemCount)
      var sb = sa
      a.score(user: user, into: &sa)
      b.score(user: user, into: &sb)
      #expect(sa.elementsEqual(sb) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(type): user \(user)")
    }
  }

  /// Models trained from a random start: another seed gives other scores (the seed reaches
  /// the initialisation and the sampling, not only the options).
  @Test(arguments: ModelCatalog.all.filter(\.iterative).map(\.name))
  func anotherSeedGivesOtherScores(type: String) throws {
    let d = try Self.planted()
    var a = try make(type, seed: 1)
    var b = try make(type, seed: 2)
    try a.fit(d, context: FitContext(seed: 1))
    try b.fit(d, context: FitContext(seed: 2))
    var sa = [Float](repeating: 0, count: d.itemCount)
    var sb = sa
    a.score(user: 3, into: &sa)
    b.score(user: 3, into: &sb)
    #expect(sa != sb, "\(type): seeds 1 and 2 gave the same scores")
  }

  @Test(arguments: types)
  func aColdUserGetsFiniteScores(type: String) throws {
    let d = try Self.planted()
    var m = try make(type)
    try m.fit(d, context: FitContext(seed: 5))
    var s = [Float](repeating: 0, count: d.itemCount + 3)
    m.score(user: 40, into: &s)
    #expect(s.prefix(d.itemCount).allSatisfy { !$0.isNaN }, "\(type): NaN score for a cold user")
    #expect(m.recommend(for: 40, count: 5, excludingSeen: d).count == 5)
  }

  @Test(arguments: types)
  func savesAndLoadsWithIdenticalScores(type: String) throws {
    let d = try Self.planted()
    var m = try make(type)
    try m.fit(d, context: FitContext(seed: 5))
    let t = TrainedModel(name: "m", type: type, model: m, train: d, trainedOn: "planted")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("recbook-contract-\(type).model")
      .path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try t.save(to: path, recbookVersion: "test")
    let back = try TrainedModel.load(from: path)
    #expect(back.info.fingerprint == t.info.fingerprint)
    for user in 0..<d.userCount {
      var a = [Float](repeating: 0, count: d.itemCount)
      var b = a
      m.score(user: user, into: &a)
      back.model.score(user: user, into: &b)
      #expect(
        a.elementsEqual(b) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(type): user \(user) after loading")
    }
    let id = d.users.text(at: 3)
    #expect(try back.recommend(user: id, k: 5) == t.recommend(user: id, k: 5))
  }

  @Test(arguments: types)
  func cancellingBeforeTheStartKeepsNothing(type: String) throws {
    let spec = try #require(ModelCatalog.named(type))
    guard spec.iterative else { return }
    var m = try make(type)
    let r = try m.fit(try Self.planted(), context: FitContext(seed: 5, isCancelled: { true }))
    #expect(r.outcome == .cancelled(afterEpoch: 0))
    #expect(r.epochs.isEmpty)
  }

  @Test(arguments: types)
  func optionsAreDeclaredWithDefaultsAndHelp(type: String) throws {
    let spec = try #require(ModelCatalog.named(type))
    #expect(!spec.summary.isEmpty && !spec.paper.isEmpty)
    #expect(Set(spec.options.map(\.name)).count == spec.options.count)
    for o in spec.options { #expect(!o.help.isEmpty, "\(type).\(o.name) has no help") }
    if spec.iterative {
      #expect(spec.options.contains { $0.name == "epochs" }, "\(type) needs an epochs option")
    }
  }
}
