import RecEval

/// Cold start as a policy: a model plus the model that answers for users it cannot serve.
///
/// A user is cold when the training data holds none of their interactions (they are in the
/// id map through the test part, or arrive later). Collaborative models have nothing to say
/// about such users (their factors are the initialisation; their neighbourhood is empty), so
/// `model NAME = TYPE fallback=pop` routes them to the fallback (popularity, a content model,
/// any model of the session) and says so. Both models are fitted on the same data.
public struct FallbackModel: Recommender, HistoryScorer {
  public var primary: any Recommender
  public var fallback: any Recommender
  /// How the fallback is named in listings (`pop`, or a session model's name).
  public var fallbackName: String
  /// `warm[u]`: user `u` had training interactions.
  public private(set) var warm: [Bool] = []

  public init(primary: any Recommender, fallback: any Recommender, fallbackName: String) {
    self.primary = primary
    self.fallback = fallback
    self.fallbackName = fallbackName
  }

  public var name: String { primary.name }
  public var itemCount: Int { primary.itemCount }

  /// Whether `user` is served by the fallback.
  public func isCold(user: Int) -> Bool { user >= warm.count || !warm[user] }

  /// The primary's report (the fallback's is not shown; one-pass fallbacks have none).
  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    let report = try primary.fit(data, context: context)
    if case .cancelled(afterEpoch: 0) = report.outcome { return report }
    var quiet = context
    quiet.onEpoch = { _ in }
    quiet.validate = nil
    quiet.epochs = nil
    quiet.patience = nil
    try fallback.fit(data, context: quiet)
    warm = (0..<data.userCount).map { data.byUser.count(ofRow: $0) > 0 }
    return report
  }

  public func score(user: Int, into scores: inout [Float]) {
    if isCold(user: user) {
      fallback.score(user: user, into: &scores)
    } else {
      primary.score(user: user, into: &scores)
    }
  }

  /// Warm users through the primary's batched scoring, cold ones through the fallback's.
  public func score(users: [Int], itemCount n: Int, into scores: inout [Float]) {
    let coldRows = users.indices.filter { isCold(user: users[$0]) }
    guard !coldRows.isEmpty else { return primary.score(users: users, itemCount: n, into: &scores) }
    let warmRows = users.indices.filter { !isCold(user: users[$0]) }
    for (rows, model) in [(warmRows, primary), (coldRows, fallback)] where !rows.isEmpty {
      var part = [Float](repeating: 0, count: rows.count * n)
      model.score(users: rows.map { users[$0] }, itemCount: n, into: &part)
      for (j, r) in rows.enumerated() {
        scores.replaceSubrange((r * n)..<((r + 1) * n), with: part[(j * n)..<((j + 1) * n)])
      }
    }
  }

  /// The primary scores a history when it can, else the fallback (an empty history is cold).
  public func score(history: [Int], into scores: inout [Float]) {
    if !history.isEmpty, let h = primary as? any HistoryScorer {
      h.score(history: history, into: &scores)
    } else if let h = fallback as? any HistoryScorer {
      h.score(history: history, into: &scores)
    } else {
      fallback.score(user: Int.max, into: &scores)
    }
  }

  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    primary.similarItems(to: item, count: count) ?? fallback.similarItems(to: item, count: count)
  }
}
