import RecData
import RecEval

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Content-based recommendation: items described by their features, users by the items they
/// chose, scored by cosine similarity (Lops, de Gemmis and Semeraro, "Content-based recommender
/// systems: state of the art and trends", 2011; Pazzani and Billsus, "Content-based
/// recommendation systems", 2007).
///
/// **Item profile.** One block per feature column of the item table (``SideFeatures``):
/// - categorical: one-hot;
/// - multi-valued (`"camera|gift"`): multi-hot, divided by `sqrt(tags)`;
/// - text (`text=title`): TF-IDF over lower-cased words, `tf(w) * ln(N / df(w))`, where `N` is
///   the number of catalogue items with a row in the table and `df(w)` how many of them contain
///   `w` (a word in every item weighs 0), then L2-normalised;
/// - numeric: min-max scaled to `x` in [0, 1], then encoded as the unit vector
///   `(cos(pi x / 2), sin(pi x / 2))`, so two items' numeric block contributes
///   `cos(pi (x - y) / 2)`: 1 for equal values, 0 for the two ends of the range. (L2-normalising
///   the one number `x` itself would give 0 or 1 and throw the value away.)
///
/// Every block has norm 1 (or 0 when the item lacks the value); block `b` is multiplied by its
/// weight `w_b` (`weights=`, default 1) and the whole profile is scaled to unit norm.
///
/// **User profile.** `p_u = sum over u's training events e of weight(e) * p_item(e)` (the weight
/// role, else 1; duplicates add up). **Score:** `cos(p_u, p_i) = p_u . p_i / |p_u|` (item
/// profiles are unit vectors). Items no one interacted with score like any other: this is what
/// makes the model work for new items. A user without history gets popularity scores.
///
/// Without an item table the model falls back to *collaborative* profiles: item `i`'s profile is
/// its vector of training users (weighted), so scoring is a profile-based item-item cosine. It
/// then knows nothing of new items (they score 0).
///
/// - Complexity: fit O(table rows * fields + events); scoring one user O(history * profile
///   size + nonzeros of all item profiles).
public struct ContentModel: Recommender, HistoryScorer, Codable {
  /// The item table (side data), its key column and the columns used.
  public var items: Table?
  public var itemKey: String?
  public var features: [String]
  public var text: [String]
  /// One weight per block, in the order `features` then `text`; nil: all 1.
  public var weights: [Double]?

  /// The profile dimension after `fit`.
  public private(set) var featureCount = 0
  /// Unit item profiles, CSR: item `i` owns entries `profileStart[i] ..< profileStart[i + 1]`.
  var profileStart: [Int] = [0]
  var profileFeature: [Int32] = []
  var profileValue: [Float] = []
  /// Training history per user: `(item, weight)` entries `historyStart[u] ..< historyStart[u + 1]`.
  var historyStart: [Int] = [0]
  var historyItem: [Int32] = []
  var historyWeight: [Float] = []
  /// Weighted training counts, the cold-start scores.
  var popularity: [Float] = []
  /// The encoded features of the last fit (nil in the collaborative fallback), for inspection.
  public private(set) var side: SideFeatures?

  public init(
    items: Table? = nil, itemKey: String? = nil, features: [String] = [], text: [String] = [],
    weights: [Double]? = nil
  ) {
    self.items = items
    self.itemKey = itemKey
    self.features = features
    self.text = text
    self.weights = weights
  }

  /// Everything but the side table, which `fit` has already encoded (a loaded model scores
  /// without it; refitting needs `items=` again).
  enum CodingKeys: String, CodingKey {
    case itemKey, features, text, weights, featureCount, profileStart, profileFeature, profileValue
    case historyStart, historyItem, historyWeight, popularity, side
  }

  public var name: String { "content" }
  public var itemCount: Int { profileStart.count - 1 }
  var userCount: Int { historyStart.count - 1 }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    if context.isCancelled() { return FitReport(outcome: .cancelled(afterEpoch: 0)) }
    if let items {
      let key = itemKey ?? data.roles.item
      let side = try SideFeatures(
        table: items, role: "items", key: key, columns: features, text: text, map: data.items)
      self.side = side
      buildProfiles(side)
    } else {
      side = nil
      buildCollaborativeProfiles(data)
    }
    // Histories and popularity.
    var start = [0]
    var item = [Int32]()
    var weight = [Float]()
    var pop = [Float](repeating: 0, count: data.itemCount)
    for u in 0..<data.userCount {
      for e in data.byUser.events(ofRow: u) {
        let w = Float(data.weight?[Int(e)] ?? 1)
        item.append(data.item[Int(e)])
        weight.append(w)
        pop[Int(data.item[Int(e)])] += w
      }
      start.append(item.count)
    }
    historyStart = start
    historyItem = item
    historyWeight = weight
    popularity = pop
    context.onProgress(FitProgress(epoch: 1, epochs: 1, fraction: 1))
    return FitReport()
  }

  /// Item profiles from side features (see the type's comment for each block).
  mutating func buildProfiles(_ side: SideFeatures) {
    let n = side.entityCount
    // Offsets of each field's block in the profile; numeric fields take two slots.
    var offset = [Int]()
    var dim = 0
    for f in side.fields {
      offset.append(dim)
      dim += f.kind == .numeric ? 2 : f.vocabulary.count
    }
    // Inverse document frequencies of text fields.
    let documents = side.hasRow.reduce(0) { $0 + ($1 ? 1 : 0) }
    var idf = [[Float]]()
    for (f, field) in side.fields.enumerated() {
      guard field.kind == .text else {
        idf.append([])
        continue
      }
      var df = [Int](repeating: 0, count: field.vocabulary.count)
      for e in 0..<n { for k in side.entries(e, f) { df[Int(side.feature[k])] += 1 } }
      idf.append(df.map { $0 > 0 ? Float(log(Double(documents) / Double($0))) : 0 })
    }
    var start = [0]
    var feature = [Int32]()
    var value = [Float]()
    for e in 0..<n {
      let first = feature.count
      for (f, field) in side.fields.enumerated() {
        let w = Float(weights.flatMap { f < $0.count ? $0[f] : nil } ?? 1)
        let r = side.entries(e, f)
        guard w > 0, !r.isEmpty else { continue }
        switch field.kind {
        case .numeric:
          let x = Double(side.value[r.lowerBound])
          feature.append(Int32(offset[f]))
          value.append(w * Float(cos(Double.pi * x / 2)))
          feature.append(Int32(offset[f] + 1))
          value.append(w * Float(sin(Double.pi * x / 2)))
        case .categorical, .multiHot, .text:
          let raw = r.map { k in
            field.kind == .text ? side.value[k] * idf[f][Int(side.feature[k])] : 1
          }
          let norm = raw.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
          guard norm > 0 else { continue }
          for (k, v) in zip(r, raw) where v != 0 {
            feature.append(Int32(offset[f]) + side.feature[k])
            value.append(w * v / norm)
          }
        }
      }
      Self.normalise(&value[first...])
      start.append(feature.count)
    }
    featureCount = dim
    profileStart = start
    profileFeature = feature
    profileValue = value
  }

  /// The fallback without an item table: item `i`'s profile is its weighted vector of users.
  mutating func buildCollaborativeProfiles(_ data: Interactions) {
    var start = [0]
    var feature = [Int32]()
    var value = [Float]()
    for i in 0..<data.itemCount {
      let first = feature.count
      // byItem lists users ascending; duplicate events of one user are adjacent and add up.
      for e in data.byItem.events(ofRow: i) {
        let u = data.user[Int(e)]
        let w = Float(data.weight?[Int(e)] ?? 1)
        if feature.count > first, feature[feature.count - 1] == u {
          value[value.count - 1] += w
        } else {
          feature.append(u)
          value.append(w)
        }
      }
      Self.normalise(&value[first...])
      start.append(feature.count)
    }
    featureCount = data.userCount
    profileStart = start
    profileFeature = feature
    profileValue = value
  }

  static func normalise(_ v: inout ArraySlice<Float>) {
    let norm = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { return }
    for k in v.indices { v[k] /= norm }
  }

  /// The unit profile of a weighted set of items, dense `(featureCount)`, or nil when it is zero.
  func userProfile(_ items: some Sequence<(Int, Float)>) -> [Float]? {
    var q = [Float](repeating: 0, count: featureCount)
    var any = false
    for (i, w) in items where i >= 0 && i < itemCount {
      for k in profileStart[i]..<profileStart[i + 1] {
        q[Int(profileFeature[k])] += w * profileValue[k]
        any = true
      }
    }
    guard any else { return nil }
    let norm = q.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { return nil }
    for f in 0..<q.count { q[f] /= norm }
    return q
  }

  /// `scores[i] = q . p_i` for every item; -infinity beyond the catalogue.
  func score(profile q: [Float], into scores: inout [Float]) {
    let n = min(itemCount, scores.count)
    for i in 0..<n {
      var s: Float = 0
      for k in profileStart[i]..<profileStart[i + 1] { s += q[Int(profileFeature[k])] * profileValue[k] }
      scores[i] = s
    }
    scores.rankUnknownLast(from: n)
  }

  func scorePopularity(into scores: inout [Float]) {
    let n = min(popularity.count, scores.count)
    for i in 0..<n { scores[i] = popularity[i] }
    scores.rankUnknownLast(from: n)
  }

  public func score(user: Int, into scores: inout [Float]) {
    let history: [(Int, Float)] =
      user >= 0 && user < userCount
      ? (historyStart[user]..<historyStart[user + 1]).map { (Int(historyItem[$0]), historyWeight[$0]) } : []
    if let q = userProfile(history) {
      score(profile: q, into: &scores)
    } else {
      scorePopularity(into: &scores)
    }
  }

  /// Scores from a history given at request time: the profile of those items (weight 1 each).
  public func score(history: [Int], into scores: inout [Float]) {
    if let q = userProfile(history.map { ($0, Float(1)) }) {
      score(profile: q, into: &scores)
    } else {
      scorePopularity(into: &scores)
    }
  }

  /// The items whose profiles have the highest cosine with `item`'s (an item without features
  /// has no similar items).
  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    guard item >= 0, item < itemCount else { return nil }
    guard let q = userProfile([(item, Float(1))]) else { return [] }
    var scores = [Float](repeating: 0, count: itemCount)
    score(profile: q, into: &scores)
    return TopK.select(scores, k: count, excluding: [Int32(item)]).map {
      ScoredItem(item: Int($0), score: scores[Int($0)])
    }
  }
}

extension ContentModel {
  public static let type = ModelType(
    name: "content", family: "content",
    paper: "Lops, de Gemmis and Semeraro 2011; Pazzani and Billsus 2007",
    summary: "cosine between item feature profiles and the profile of the user's items",
    options: [
      ModelOption("items", .table, "the item table with the features (without it: collaborative profiles)"),
      ModelOption("item-key", .columns, default: "the split's item column", "the item id column of items="),
      ModelOption("features", .columns, "item columns: categorical, multi-valued (a|b) or numeric"),
      ModelOption("text", .columns, "item text columns, as TF-IDF of lower-cased words"),
      ModelOption(
        "weights", .ints(min: 0, max: 1000), default: "1,1,...",
        "one weight per column, features then text (0 drops a column)"),
    ],
    make: { o throws(ModelError) in
      let features = o.names("features") ?? []
      let text = o.names("text") ?? []
      let key = o.names("item-key")?.first
      let weights = o.values["weights"] == nil ? nil : o.ints("weights", []).map(Double.init)
      guard let items = o.table("items") else {
        if !features.isEmpty || !text.isEmpty {
          throw ModelError("features= and text= need the item table: give items=TABLE")
        }
        return ContentModel()
      }
      if features.isEmpty && text.isEmpty {
        throw ModelError("items= needs the columns to use: features=COL,COL and/or text=COL")
      }
      try SideFeatures.check(table: items, role: "items", key: key, columns: features, text: text)
      if let weights, weights.count != features.count + text.count {
        throw ModelError(
          "weights= needs one weight per column (\(features.count + text.count): "
            + "\((features + text).joined(separator: ", "))), got \(weights.count)")
      }
      return ContentModel(items: items, itemKey: key, features: features, text: text, weights: weights)
    })
}
