import RecEval

/// One recommended item with its score.
public struct ScoredItem: Sendable, Equatable {
  /// Dense item index (see `Interactions.items` for the raw id).
  public var item: Int
  public var score: Float
  public init(item: Int, score: Float) {
    self.item = item
    self.score = score
  }
}

/// The protocol every model conforms to (after implicit's `RecommenderBase`): fit on
/// interaction data, score every item for a user into a buffer, recommend the top k.
public protocol Recommender: ItemScorer {
  /// The number of items the model scores (the catalogue of the data it was fitted on).
  var itemCount: Int { get }
  /// Fits on `data` (the train part of a split). Throws `ModelError` for data the model
  /// cannot use (no ratings for `svd`, too many items for `ease`); a cancelled or diverged
  /// fit returns normally and says so in the report.
  @discardableResult
  mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport
  /// Items most similar to `item`, best first, or `nil` if the model has no notion of it.
  func similarItems(to item: Int, count: Int) -> [ScoredItem]?
}

extension Recommender {
  /// Fits with a default context (seed 42, no callbacks).
  @discardableResult
  public mutating func fit(_ data: Interactions) throws -> FitReport { try fit(data, context: FitContext()) }

  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? { nil }

  /// The `count` best items for `user`, best first, without the user's events in
  /// `excludingSeen` (usually the training data); equal scores rank the smaller item first.
  /// - Complexity: one `score` call and an O(items) top-k scan.
  public func recommend(for user: Int, count: Int, excludingSeen seen: Interactions? = nil) -> [ScoredItem] {
    var scores = [Float](repeating: 0, count: itemCount)
    score(user: user, into: &scores)
    let excluded: ArraySlice<Int32> =
      seen.flatMap { s in user < s.userCount ? s.byUser.columns(ofRow: user) : nil } ?? []
    let top = TopK.select(scores, k: count, excluding: excluded)
    return top.map { ScoredItem(item: Int($0), score: scores[Int($0)]) }
  }
}

/// A model that can score items for a history given at request time (a new user, a session):
/// `recommend MODEL history=...` and `POST /v1/recommend` use it. Sequence models read the
/// history in order (oldest first); neighbourhood and content models treat it as a set.
public protocol HistoryScorer {
  /// Writes a score for every item (dense index) into `scores`, from the dense item indices of
  /// `history`, oldest first. Unknown items are the caller's to reject; an empty history gives
  /// the model's cold-start scores.
  func score(history: [Int], into scores: inout [Float])
}

extension Array where Element == Float {
  /// Readies a score row for a model fitted on `known` items: entries `0..<known` become
  /// `start`, the rest (items of a larger catalogue the model never saw) -infinity, so they
  /// rank last. Returns how many entries are known items.
  @discardableResult
  mutating func resetScores(known: Int, to start: Float = 0) -> Int {
    let n = Swift.min(known, count)
    for i in 0..<n { self[i] = start }
    rankUnknownLast(from: n)
    return n
  }

  /// Sets entries `n...` (items the model was not fitted on) to -infinity.
  mutating func rankUnknownLast(from n: Int) {
    if count > n { for i in n..<count { self[i] = -.infinity } }
  }
}
