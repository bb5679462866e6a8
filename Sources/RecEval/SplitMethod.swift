/// How a split chooses test events.
public enum SplitMethod: Sendable, Equatable, CustomStringConvertible {
  /// Each user's latest event by time (ties toward the larger item id, then the later row,
  /// as the shared protocol does); a seeded random event when there is no time.
  case leaveOneOut
  /// Each user's `k` latest events (random `k` without time).
  case leaveKOut(Int)
  /// Every event at or after a time cut is test (global, so test users may be new).
  case temporal(TemporalCut)
  /// For each user, `floor(ratio * n)` seeded random events (at most `n - 1`) are test.
  case randomPerUser(ratio: Double)
  /// `round(ratio * n)` seeded random events of the whole data are test.
  case randomGlobal(ratio: Double)
  /// Test is another table, split elsewhere (MovieLens' ua.base / ua.test).
  case given(test: String)

  /// Where a temporal split cuts.
  public enum TemporalCut: Sendable, Equatable {
    /// At this time value (same unit as the time column, e.g. Unix seconds).
    case time(Double)
    /// At the time below which this fraction of events lies (0 < q < 1).
    case quantile(Double)
  }

  public var description: String {
    switch self {
    case .leaveOneOut: return "leave-one-out"
    case .leaveKOut(let k): return "leave-\(k)-out"
    case .temporal(.time(let t)): return "temporal cut at \(t)"
    case .temporal(.quantile(let q)): return "temporal cut at quantile \(q)"
    case .randomPerUser(let r): return "random per user ratio=\(r)"
    case .randomGlobal(let r): return "random global ratio=\(r)"
    case .given(let t): return "given test table \(t)"
    }
  }

  /// Whether the method assigns test events per user (and so must leave each user some train).
  var isPerUser: Bool {
    switch self {
    case .leaveOneOut, .leaveKOut, .randomPerUser: return true
    case .temporal, .randomGlobal, .given: return false
    }
  }
}
