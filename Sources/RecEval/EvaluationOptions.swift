/// How `evaluate` ranks: every item, or a sample of negatives.
public enum RankingProtocol: Sendable {
  /// Every catalogue item the user has not interacted with in train (the default).
  case full
  /// The user's test items against these negatives; a negative scoring the same as a test
  /// item ranks above it (ties count against the model, as the shared protocol's P2).
  case sampled(Candidates)
}

/// Which held-out part to evaluate on.
public enum EvaluationTarget: String, Sendable {
  case test, validation
}

/// Users grouped by how many history events they have: cold `< lightFrom`, light
/// `lightFrom..<heavyFrom`, heavy `>= heavyFrom`.
public struct ActivityBuckets: Sendable, Equatable {
  public var lightFrom: Int
  public var heavyFrom: Int
  public init(lightFrom: Int = 20, heavyFrom: Int = 100) {
    self.lightFrom = lightFrom
    self.heavyFrom = heavyFrom
  }

  /// The bucket names and their ranges, in order.
  public var names: [String] {
    ["cold (<\(lightFrom))", "light (\(lightFrom)-\(heavyFrom - 1))", "heavy (>=\(heavyFrom))"]
  }

  /// The bucket index (0 cold, 1 light, 2 heavy) of a user with `n` history events.
  public func bucket(_ n: Int) -> Int { n < lightFrom ? 0 : (n < heavyFrom ? 1 : 2) }
}

/// Options of one evaluation.
public struct EvaluationOptions: Sendable {
  /// The cut-off of the top-k list (`> 0`).
  public var k: Int
  public var metrics: [Metric]
  public var ranking: RankingProtocol
  public var target: EvaluationTarget
  /// A per-bucket breakdown when set.
  public var buckets: ActivityBuckets?
  /// Worker threads (results do not depend on it).
  public var threads: Int

  public init(
    k: Int = 10, metrics: [Metric] = Metric.defaultRanking, ranking: RankingProtocol = .full,
    target: EvaluationTarget = .test, buckets: ActivityBuckets? = nil, threads: Int = 2
  ) {
    self.k = k
    self.metrics = metrics
    self.ranking = ranking
    self.target = target
    self.buckets = buckets
    self.threads = threads
  }
}
