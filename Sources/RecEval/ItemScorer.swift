/// Anything that can score every catalogue item for a user: what evaluation needs from a model.
///
/// `RecModels.Recommender` refines this with `fit` and `recommend`; evaluation only scores.
/// Scores are higher-is-better; `NaN` counts as the lowest score.
public protocol ItemScorer: Sendable {
  /// The display name in reports and leaderboards.
  var name: String { get }
  /// Writes the score of every item (dense index) for `user` into `scores: (itemCount)`.
  /// `scores.count` is the catalogue size of the split being evaluated.
  func score(user: Int, into scores: inout [Float])
}
