import Synchronization

/// Encoded answers of `GET /v1/recommend`, by request, for a model that does not change while
/// it is served.
///
/// A served model is immutable (the session's `fit` makes a new one; `recbook serve FILE` loads
/// one), so the same user, `k` and `exclude_seen` always get the same bytes: keeping them turns
/// a repeated request (a page reloaded, a user coming back) from a scoring of the whole
/// catalogue into a dictionary lookup. Only successful answers are kept; errors are computed
/// each time. Bounded: when `capacity` answers are held, the oldest half is dropped (insertion
/// order), so memory stays under `capacity` answers of about 1 KB each for top-10.
///
/// Written here rather than taken from a package: the Swift packages at hand (swift-collections,
/// NIO) have no concurrent bounded cache, and this one is a dictionary and a queue under a
/// mutex.
final class ResponseCache: Sendable {
  /// Largest number of answers kept; 0 keeps none.
  let capacity: Int

  private struct State {
    var answers: [String: [UInt8]] = [:]
    /// Keys in the order they were stored, for eviction.
    var order: [String] = []
    var hits = 0
    var misses = 0
  }

  private let state = Mutex(State())

  init(capacity: Int) { self.capacity = max(0, capacity) }

  /// The key of a request: its user, k and exclude_seen (the only inputs of the answer).
  static func key(user: String, k: Int, excludeSeen: Bool) -> String {
    "\(k)\(excludeSeen ? "+" : "-")\(user)"
  }

  /// The stored answer for `key`, counting a hit or a miss.
  func answer(for key: String) -> [UInt8]? {
    guard capacity > 0 else { return nil }
    return state.withLock { s in
      if let bytes = s.answers[key] {
        s.hits += 1
        return bytes
      }
      s.misses += 1
      return nil
    }
  }

  /// Stores an answer, dropping the oldest half when full.
  func store(_ bytes: [UInt8], for key: String) {
    guard capacity > 0 else { return }
    state.withLock { s in
      guard s.answers[key] == nil else { return }
      if s.answers.count >= capacity {
        let drop = max(1, s.order.count / 2)
        for old in s.order.prefix(drop) { s.answers[old] = nil }
        s.order.removeFirst(drop)
      }
      s.answers[key] = bytes
      s.order.append(key)
    }
  }

  /// Hits, misses and answers held, for `/metrics` and `serve status`.
  func counts() -> (hits: Int, misses: Int, entries: Int) {
    state.withLock { ($0.hits, $0.misses, $0.answers.count) }
  }

  /// The cache's lines of the Prometheus exposition.
  func render() -> String {
    let c = counts()
    return """
      # HELP recbook_recommend_cache_total GET /v1/recommend answers served from the cache (hit) or computed (miss).
      # TYPE recbook_recommend_cache_total counter
      recbook_recommend_cache_total{result="hit"} \(c.hits)
      recbook_recommend_cache_total{result="miss"} \(c.misses)
      # HELP recbook_recommend_cache_entries Answers held in the cache.
      # TYPE recbook_recommend_cache_entries gauge
      recbook_recommend_cache_entries \(c.entries)

      """
  }
}
