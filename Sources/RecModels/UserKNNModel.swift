import RecData
import RecEval

/// User-based k-nearest-neighbour collaborative filtering on implicit feedback (the
/// neighbourhood method of GroupLens: Resnick, Iacovou, Suchak, Bergstrom and Riedl, CSCW 1994;
/// in the implicit form of Sarwar et al., WWW 2001, section 2).
///
/// Fit: on the (user x item) matrix `x` (event weights summed, 1 per event without a weight
/// role) each user keeps her `k` most similar other users by shrunk cosine,
/// `sim(u, v) = <x_u, x_v> / (|x_u| |x_v| + shrink)` (``NeighbourLists``).
/// Score: `score(u, i) = sum over the neighbours v of u of sim(u, v) * x[v, i]`; with unit
/// weights, the summed similarity of the neighbours who have `i`.
/// A user unseen in fit scores 0 everywhere.
/// - Complexity: fit O(sum over items of users(i)^2 + users^2); score O(sum over the k
///   neighbours of their items + items).
public struct UserKNNModel: Recommender {
  /// Neighbours kept per user (`k`).
  public var neighbourCount: Int
  /// Added to the cosine denominator: pulls down similarities resting on few shared items.
  public var shrink: Double

  /// Each user's neighbours, best first (after `fit`).
  public private(set) var similarity = NeighbourLists()
  /// The training matrix by user: the neighbours' items that `score` sums.
  public private(set) var history = ImplicitMatrix.Rows(offsets: [0], indices: [], values: [])
  public private(set) var itemCount: Int = 0

  public init(neighbours: Int = 50, shrink: Double = 0) {
    self.neighbourCount = neighbours
    self.shrink = shrink
  }

  public var name: String { "userknn" }

  /// Throws for option values the model cannot use (the catalogue checks ranges).
  public func validate() throws(ModelError) {
    if neighbourCount < 1 { throw ModelError("userknn needs k >= 1 neighbours, got \(neighbourCount)") }
    if shrink < 0 { throw ModelError("userknn needs shrink >= 0, got \(shrink)") }
  }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    try validate()
    let x = ImplicitMatrix(data)
    guard
      let lists = NeighbourLists.build(
        rows: x.byUser, columns: x.byItem, k: neighbourCount, shrink: Float(shrink), normalised: true,
        isCancelled: context.isCancelled,
        progress: { context.onProgress(FitProgress(epoch: 1, epochs: 1, fraction: $0)) })
    else { return FitReport(outcome: .cancelled(afterEpoch: 0)) }
    similarity = lists
    history = x.byUser
    itemCount = data.itemCount
    return FitReport()
  }

  public func score(user: Int, into scores: inout [Float]) {
    let n = min(itemCount, scores.count)
    for i in 0..<n { scores[i] = 0 }
    // Items unknown at fit time (a larger catalogue) score lowest.
    for i in n..<scores.count { scores[i] = -.infinity }
    for q in similarity.span(ofRow: user) {
      let s = similarity.similarities[q]
      for p in history.span(ofRow: Int(similarity.neighbours[q])) {
        let i = Int(history.indices[p])
        if i < n { scores[i] += s * history.values[p] }
      }
    }
  }

  /// The user's most similar users (indices into `Interactions.users`), best first.
  public func similarUsers(to user: Int, count: Int) -> [ScoredItem] {
    similarity.scored(row: user, count: count)
  }
}

extension UserKNNModel {
  public static let type = ModelType(
    name: "userknn", family: "neighbourhood", paper: "Resnick et al., CSCW 1994; Sarwar et al., WWW 2001",
    summary:
      "user-user cosine neighbours; an item scores the summed similarity of the neighbours who have it",
    options: [
      ModelOption("k", .int(min: 1, max: 1_000_000), default: "50", "neighbours kept per user"),
      ModelOption(
        "shrink", .double(min: 0, max: 1e9), default: "0",
        "added to the cosine denominator (damps small overlaps)"),
    ],
    make: { o throws(ModelError) in
      let m = UserKNNModel(neighbours: o.int("k", 50), shrink: o.double("shrink", 0))
      try m.validate()
      return m
    })
}
