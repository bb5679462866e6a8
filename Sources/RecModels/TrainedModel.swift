import Foundation
import RecData
import RecEval

/// A model that can say why: the items of a user's history that contributed most to the score
/// of `item`, with the model's own decomposition (item-kNN: the similarities summed; ALS: the
/// user-weighted item-item terms).
public protocol Explaining {
  /// `(method, [(history item, contribution)])`, or nil when this model cannot decompose.
  func contributions(user: Int, item: Int, history: [Int]) -> (method: String, items: [(Int, Double)])?
}

/// A fitted model with what serving it needs: the raw id maps, each user's training items (to
/// exclude, and as the history to explain with), and item metadata (title, category) to show.
/// The `recommend`, `similar` and `explain` cells and the HTTP service all ask this.
public struct TrainedModel: RecommendationService {
  public var info: ModelInfo
  public var model: any Recommender
  public let users: IDMap
  public let items: IDMap
  /// Training items by user, ascending (for exclusion).
  public let seen: CSR
  /// Training items by user in time order (row order without a time role), same offsets.
  public let history: [Int32]
  /// Metadata column names and, per column, the value of each dense item ("" when unknown).
  public private(set) var metadataColumns: [String] = []
  public private(set) var metadata: [[String]] = []

  public init(
    name: String, type: String, options: [String: String] = [:], model: any Recommender, train: Interactions,
    trainedOn: String, metrics: [String: Double] = [:]
  ) {
    self.model = model
    users = train.users
    items = train.items
    seen = train.byUser
    var order = [Int32]()
    order.reserveCapacity(train.count)
    for u in 0..<train.userCount {
      var events = Array(train.byUser.events(ofRow: u))
      if let t = train.time { events.sort { (t[Int($0)], $0) < (t[Int($1)], $1) } } else { events.sort() }
      order += events.map { train.item[Int($0)] }
    }
    history = order
    info = ModelInfo(
      name: name, type: type, options: options, users: train.userCount, items: train.itemCount,
      trainedOn: trainedOn, fingerprint: ModelFileHeader.fingerprint(of: train), metrics: metrics,
      fallback: (model as? FallbackModel)?.fallbackName)
  }

  /// Attaches item metadata: `table`'s `key` column holds item ids (e.g. `sample:shop/items`);
  /// `columns` (default: every other column) are shown with recommended items. Rows whose id
  /// the model does not know are skipped.
  public mutating func attachMetadata(_ table: Table, key: String, columns: [String]? = nil) {
    guard let keyColumn = table.column(key) else { return }
    let cols = (columns ?? table.columnNames).filter { $0 != key && table.column($0) != nil }
    var values = cols.map { _ in [String](repeating: "", count: items.count) }
    for r in 0..<table.rowCount {
      guard let i = items.index(of: keyColumn[r]) else { continue }
      for (c, name) in cols.enumerated() {
        if let col = table.column(name), !col.isMissing(r) { values[c][i] = col[r].description }
      }
    }
    metadataColumns = cols
    metadata = values
  }

  /// A model read back from a file: everything the service needs is in it.
  init(
    info: ModelInfo, model: any Recommender, users: IDMap, items: IDMap, seen: CSR, metadataColumns: [String],
    metadata: [[String]]
  ) {
    self.info = info
    self.model = model
    self.users = users
    self.items = items
    self.seen = seen
    // The file keeps each user's items, not their order: ascending stands in for time.
    history = seen.columns
    self.metadataColumns = metadataColumns
    self.metadata = metadata
  }

  /// Writes the model file (ModelFile: header, state, seen items, checksum), atomically.
  /// `fallbackType` is the catalogue type of a `FallbackModel`'s fallback.
  public func save(to path: String, recbookVersion: String, fallbackType: String? = nil)
    throws(ModelFileError)
  {
    let header = ModelFileHeader(
      recbookVersion: recbookVersion, modelType: info.type, name: info.name, options: info.options,
      created: Date(), users: users, items: items, fingerprint: info.fingerprint, metrics: info.metrics,
      fallback: info.fallback, fallbackType: fallbackType,
      itemColumns: metadataColumns.enumerated().map { c, name in
        .init(name: name, values: metadata[c].map { $0.isEmpty ? nil : $0 })
      })
    try ModelFile.save(model, header: header, seen: seen, to: path)
  }

  /// Reads a model file; `name` renames the model (default: the name it was saved under).
  public static func load(from path: String, name: String? = nil) throws(ModelFileError) -> TrainedModel {
    let (file, model) = try ModelFile.load(path)
    let h = file.header
    let info = ModelInfo(
      name: name ?? h.name, type: h.modelType, options: h.options, users: h.users.count, items: h.items.count,
      trainedOn: "file \(path)", fingerprint: h.fingerprint, metrics: h.metrics, fallback: h.fallback)
    return TrainedModel(
      info: info, model: model, users: h.users, items: h.items, seen: file.seen,
      metadataColumns: h.itemColumns.map(\.name), metadata: h.itemColumns.map { $0.values.map { $0 ?? "" } })
  }

  /// The raw id of a dense item as text.
  public func itemID(_ i: Int) -> String { items.value(at: i).description }

  func meta(_ i: Int) -> [String: String] {
    var m: [String: String] = [:]
    for (c, name) in metadataColumns.enumerated() where i < metadata[c].count && !metadata[c][i].isEmpty {
      m[name] = metadata[c][i]
    }
    return m
  }

  func userHistory(_ u: Int) -> [Int] {
    guard u < seen.rowCount else { return [] }
    return history[seen.offsets[u]..<seen.offsets[u + 1]].map { Int($0) }
  }

  func check(k: Int) throws(ServiceError) {
    guard k >= 1 && k <= 10_000 else { throw .badArgument("k must be from 1 to 10000, found \(k)") }
  }

  func list(_ scores: [Float], k: Int, excluding: ArraySlice<Int32>, cold: Bool, source: String)
    -> RecommendationList
  {
    let top = TopK.select(scores, k: k, excluding: excluding)
    let recs = top.enumerated().map { r, i in
      Recommendation(item: itemID(Int(i)), rank: r + 1, score: Double(scores[Int(i)]), metadata: meta(Int(i)))
    }
    return RecommendationList(items: recs, coldStart: cold, source: source)
  }

  /// Whether the model has something to say for a user it has no data on.
  var servesColdUsers: Bool { model is FallbackModel || model is PopularityModel || model is RandomModel }

  public func recommend(user: String, k: Int, excludeSeen: Bool = true) throws(ServiceError)
    -> RecommendationList
  {
    try check(k: k)
    let known = users.index(ofText: Substring(user))
    let cold = known.map { seen.count(ofRow: $0) == 0 } ?? true
    if cold && !servesColdUsers {
      throw .unknownUser(user)
    }
    var scores = [Float](repeating: 0, count: items.count)
    let u = known ?? Int.max
    model.score(user: u, into: &scores)
    let excluded = excludeSeen && known != nil ? seen.columns(ofRow: u) : []
    let source = cold ? (info.fallback ?? info.name) : info.name
    return list(scores, k: k, excluding: excluded, cold: cold, source: source)
  }

  /// Dense indices of raw item ids, or `unknownItem` naming every unknown one.
  func itemIndices(_ ids: [String]) throws(ServiceError) -> [Int] {
    var out: [Int] = []
    var unknown: [String] = []
    for id in ids {
      if let i = items.index(ofText: Substring(id)) { out.append(i) } else { unknown.append(id) }
    }
    if !unknown.isEmpty {
      throw .unknownItem(unknown.prefix(10).joined(separator: "', '") + (unknown.count > 10 ? "' ..." : ""))
    }
    return out
  }

  public func recommend(history ids: [String], k: Int) throws(ServiceError) -> RecommendationList {
    try check(k: k)
    let h = try itemIndices(ids)
    var scores = [Float](repeating: 0, count: items.count)
    if let m = model as? any HistoryScorer {
      m.score(history: h, into: &scores)
    } else if let sims = similarityScores(h) {
      scores = sims
    } else {
      throw .unsupported(
        "\(info.name) (\(info.type)) cannot score a new history; models that can: itemknn, ease, content, gru4rec, caser"
      )
    }
    let excluded = Array(Set(h.map { Int32($0) })).sorted()
    return list(
      scores, k: k, excluding: excluded[...], cold: h.isEmpty,
      source: h.isEmpty ? (info.fallback ?? info.name) : info.name)
  }

  /// The sum over `h` of each item's similarity to every item (for models with item neighbours).
  func similarityScores(_ h: [Int]) -> [Float]? {
    var scores = [Float](repeating: 0, count: items.count)
    for j in h {
      guard let near = model.similarItems(to: j, count: items.count) else { return nil }
      for s in near where s.item < scores.count { scores[s.item] += s.score }
    }
    return scores
  }

  public func similar(item: String, k: Int) throws(ServiceError) -> RecommendationList {
    try check(k: k)
    let i = try itemIndices([item])[0]
    guard let near = model.similarItems(to: i, count: k) else {
      throw .unsupported("\(info.name) (\(info.type)) has no notion of item similarity")
    }
    let recs = near.enumerated().map { r, s in
      Recommendation(item: itemID(s.item), rank: r + 1, score: Double(s.score), metadata: meta(s.item))
    }
    return RecommendationList(items: recs, source: info.name)
  }

  public func explain(user: String, item: String) throws(ServiceError) -> Explanation {
    let i = try itemIndices([item])[0]
    guard let u = users.index(ofText: Substring(user)) else { throw .unknownUser(user) }
    let h = userHistory(u)
    var scores = [Float](repeating: 0, count: items.count)
    model.score(user: u, into: &scores)
    let score = Double(scores[i])
    guard !h.isEmpty else {
      throw .unsupported("user '\(user)' has no training items: nothing to explain the score with")
    }
    var target = model
    if let f = model as? FallbackModel { target = f.primary }
    if target is PopularityModel || target is RandomModel {
      throw .unsupported(
        "\(info.name) (\(info.type)) ranks items without regard to the user's items: nothing to explain")
    }
    var method: String
    var parts: [(Int, Double)]
    if let e = target as? any Explaining, let c = e.contributions(user: u, item: i, history: h) {
      (method, parts) = c
    } else if let m = target as? any HistoryScorer {
      // Leave-one-out: how much the item's score falls without each history item (the most
      // recent 200, so a long history stays fast).
      method = "leave-one-out: the drop in the score without each item"
      let recent = Array(h.suffix(200))
      var base = [Float](repeating: 0, count: items.count)
      m.score(history: recent, into: &base)
      parts = recent.indices.map { j in
        var without = recent
        without.remove(at: j)
        var s = [Float](repeating: 0, count: items.count)
        m.score(history: without, into: &s)
        return (recent[j], Double(base[i] - s[i]))
      }
    } else if let near = target.similarItems(to: i, count: items.count) {
      method = "similarity of each of the user's items to this item"
      var sim = [Int: Double]()
      for s in near { sim[s.item] = Double(s.score) }
      parts = h.map { ($0, sim[$0] ?? 0) }
    } else {
      throw .unsupported(
        "\(info.name) (\(info.type)) scores items without regard to the user's items: nothing to explain")
    }
    // Largest first; equal contributions toward the smaller item; one row per item.
    var seenItems = Set<Int>()
    let top = parts.sorted { ($0.1, -$0.0) > ($1.1, -$1.0) }.filter {
      $0.1 != 0 && seenItems.insert($0.0).inserted
    }
    .prefix(10)
    return Explanation(
      user: user, item: item, score: score, method: method,
      contributions: top.map { .init(item: itemID($0.0), weight: $0.1, metadata: meta($0.0)) })
  }
}

extension PopularityModel: HistoryScorer {
  /// The same list for every history.
  public func score(history: [Int], into scores: inout [Float]) { score(user: 0, into: &scores) }
}

extension RandomModel: HistoryScorer {
  /// A random list drawn for the history's length (any fixed stream would do).
  public func score(history: [Int], into scores: inout [Float]) { score(user: history.count, into: &scores) }
}
