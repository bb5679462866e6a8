import Foundation
import Synchronization

/// Request counts by route and status, and a latency histogram by route, written in the
/// Prometheus text exposition format (version 0.0.4) for `GET /metrics`.
///
/// Written by hand rather than with swift-prometheus: that package plugs into swift-metrics,
/// whose `MetricsSystem.bootstrap` is process-wide and may run once, while a session can run
/// several servers (one per served model, and tests start many) that must each count only their
/// own requests. Its registry could be used without the bootstrap, but then it is one more
/// package to build for two metric families that take ~60 lines here.
///
/// Routes are the API's route names, never raw paths: every unknown path counts under
/// `unmatched`, so a scanner trying random URLs cannot grow the label set without bound.
/// - Complexity: `record` is O(buckets) under one lock; `render` O(routes x buckets).
final class RequestMetrics: Sendable {
  /// Upper bounds of the latency buckets in seconds (Prometheus' `le`); `+Inf` is implied.
  /// From 0.1 ms (a cached popularity list) to 10 s (a cold, huge model).
  static let bucketBounds: [Double] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  ]

  private struct Histogram {
    /// Non-cumulative counts per bucket; the last entry is the `+Inf` overflow.
    var buckets = [Int](repeating: 0, count: RequestMetrics.bucketBounds.count + 1)
    var sum = 0.0
    var count = 0
  }

  private struct Key: Hashable, Comparable {
    var route: String
    var status: Int
    static func < (a: Key, b: Key) -> Bool { (a.route, a.status) < (b.route, b.status) }
  }

  private struct State {
    var counts: [Key: Int] = [:]
    var latency: [String: Histogram] = [:]
  }

  private let state = Mutex(State())

  /// Counts one answered request.
  func record(route: String, status: Int, seconds: Double) {
    // The first bucket whose bound is >= seconds (Prometheus buckets are `le`, inclusive).
    let bucket = Self.bucketBounds.firstIndex { seconds <= $0 } ?? Self.bucketBounds.count
    state.withLock { s in
      s.counts[Key(route: route, status: status), default: 0] += 1
      var h = s.latency[route] ?? Histogram()
      h.buckets[bucket] += 1
      h.sum += seconds
      h.count += 1
      s.latency[route] = h
    }
  }

  /// Totals for `ServerStatus`: all requests, those answered 4xx or 5xx, and requests per route.
  func totals() -> (requests: Int, errors: Int, byRoute: [String: Int]) {
    state.withLock { s in
      var requests = 0
      var errors = 0
      var byRoute: [String: Int] = [:]
      for (key, n) in s.counts {
        requests += n
        if key.status >= 400 { errors += n }
        byRoute[key.route, default: 0] += n
      }
      return (requests, errors, byRoute)
    }
  }

  /// The exposition text: `# HELP` and `# TYPE` lines, then one sample per line, sorted by route
  /// and status so equal states print equal text.
  func render() -> String {
    let s = state.withLock { $0 }
    var out = "# HELP recbook_requests_total HTTP requests answered, by route and status.\n"
    out += "# TYPE recbook_requests_total counter\n"
    for key in s.counts.keys.sorted() {
      out +=
        "recbook_requests_total{route=\"\(Self.escape(key.route))\",status=\"\(key.status)\"} \(s.counts[key] ?? 0)\n"
    }
    out += "# HELP recbook_request_duration_seconds Time from request to response, by route.\n"
    out += "# TYPE recbook_request_duration_seconds histogram\n"
    for route in s.latency.keys.sorted() {
      guard let h = s.latency[route] else { continue }
      let label = "route=\"\(Self.escape(route))\""
      var cumulative = 0
      for (i, bound) in Self.bucketBounds.enumerated() {
        cumulative += h.buckets[i]
        out +=
          "recbook_request_duration_seconds_bucket{\(label),le=\"\(Self.format(bound))\"} \(cumulative)\n"
      }
      out += "recbook_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(h.count)\n"
      out += "recbook_request_duration_seconds_sum{\(label)} \(Self.format(h.sum))\n"
      out += "recbook_request_duration_seconds_count{\(label)} \(h.count)\n"
    }
    return out
  }

  /// A label value with `\`, `"` and newlines escaped, as the format requires.
  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }

  /// A float as Prometheus reads it: shortest round-trip decimal (`0.001`, `2.5`, `10.0`).
  static func format(_ x: Double) -> String { "\(x)" }
}
