import Logging
import RecModels
import Synchronization

/// A `RecommendationService` with known answers for the HTTP tests.
///
/// Items `i1`...`i5`, item `in` scoring `(6 - n) / 4` (1.25, 1, 0.75, 0.5, 0.25: exact in
/// binary, so the JSON text is exact), titled `Item n`. Users: `u1` has seen `i1`; `cold` is
/// unknown and answered by the `pop` fallback (`cold_start`); `ghost` is unknown with no
/// fallback (`unknownUser`). `explain` is unsupported for user `u2`.
struct FakeService: RecommendationService {
  static let items = (1...5).map { "i\($0)" }

  var info: ModelInfo {
    ModelInfo(
      name: "fake", type: "itemknn", options: ["neighbors": "20"], users: 2, items: 5, trainedOn: "ratings",
      fingerprint: "abc123", metrics: ["ndcg@10": 0.25], fallback: "pop")
  }

  static func score(_ item: String) -> Double {
    let n = Int(item.dropFirst()) ?? 0
    return Double(6 - n) / 4
  }

  static func metadata(_ item: String) -> [String: String] { ["title": "Item \(item.dropFirst())"] }

  /// The top `k` of the catalogue without `excluded`, best first.
  static func top(_ k: Int, excluding excluded: [String]) -> [Recommendation] {
    items.filter { !excluded.contains($0) }.prefix(k).enumerated().map { i, item in
      Recommendation(item: item, rank: i + 1, score: score(item), metadata: metadata(item))
    }
  }

  func recommend(user: String, k: Int, excludeSeen: Bool) throws(ServiceError) -> RecommendationList {
    switch user {
    case "u1", "u2":
      return RecommendationList(items: Self.top(k, excluding: excludeSeen ? ["i1"] : []), source: "fake")
    case "ghost": throw .unknownUser(user)
    default: return RecommendationList(items: Self.top(k, excluding: []), coldStart: true, source: "pop")
    }
  }

  func recommend(history: [String], k: Int) throws(ServiceError) -> RecommendationList {
    if let unknown = history.first(where: { !Self.items.contains($0) }) { throw .unknownItem(unknown) }
    return RecommendationList(items: Self.top(k, excluding: history), source: "fake")
  }

  func similar(item: String, k: Int) throws(ServiceError) -> RecommendationList {
    guard Self.items.contains(item) else { throw .unknownItem(item) }
    return RecommendationList(items: Self.top(k, excluding: [item]), source: "fake")
  }

  func explain(user: String, item: String) throws(ServiceError) -> Explanation {
    guard user == "u1" || user == "u2" else { throw .unknownUser(user) }
    guard Self.items.contains(item) else { throw .unknownItem(item) }
    if user == "u2" { throw .unsupported("fake cannot explain for u2") }
    return Explanation(
      user: user, item: item, score: Self.score(item), method: "item-item similarity",
      contributions: [.init(item: "i1", weight: 0.5, metadata: Self.metadata("i1"))])
  }
}

/// A service whose every answer costs about `microseconds` of CPU, for the benchmark-like
/// concurrency test (keeps several requests in flight at once).
struct SlowService: RecommendationService {
  var microseconds: Int
  var info: ModelInfo { FakeService().info }

  private func spin() {
    let end = ContinuousClock.now.advanced(by: .microseconds(microseconds))
    while ContinuousClock.now < end {}
  }
  func recommend(user: String, k: Int, excludeSeen: Bool) throws(ServiceError) -> RecommendationList {
    spin()
    return try FakeService().recommend(user: user, k: k, excludeSeen: excludeSeen)
  }
  func recommend(history: [String], k: Int) throws(ServiceError) -> RecommendationList {
    spin()
    return try FakeService().recommend(history: history, k: k)
  }
  func similar(item: String, k: Int) throws(ServiceError) -> RecommendationList {
    try FakeService().similar(item: item, k: k)
  }
  func explain(user: String, item: String) throws(ServiceError) -> Explanation {
    try FakeService().explain(user: user, item: item)
  }
}

/// A log handler that keeps messages, to check the one-line-per-request log.
struct CapturingLogHandler: LogHandler {
  final class Store: Sendable {
    let lines = Mutex<[(Logger.Level, String)]>([])
  }
  let store: Store
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .info

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    store.lines.withLock { $0.append((event.level, event.message.description)) }
  }
}

/// A logger that drops everything below `error` (keeps test output readable).
func quietLogger() -> Logger {
  var logger = Logger(label: "recbook.serve.test")
  logger.logLevel = .error
  return logger
}
