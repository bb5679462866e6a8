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
  /// Writes the scores of several users into `scores: (users.count, itemCount)`, row-major.
  /// The default calls ``score(user:into:)`` per user; factor models override it with one
  /// matrix product, which is several times faster than one dot-product pass per user.
  func score(users: [Int], itemCount: Int, into scores: inout [Float])
}

extension ItemScorer {
  public func score(users: [Int], itemCount: Int, into scores: inout [Float]) {
    var row = [Float](repeating: 0, count: itemCount)
    for (j, u) in users.enumerated() {
      score(user: u, into: &row)
      scores.replaceSubrange((j * itemCount)..<((j + 1) * itemCount), with: row)
    }
  }
}
