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
public struct UserKNNModel: Recommender, Codable {
  /// Neighbours kept per user (`k`).
  public var neighbourCount: Int
  /// Added to the cosine denominator: pulls down similarities resting on few shared items.
  public var shrink: Double

  /// Each user's neighbours, best first (after `fit`).
  public private(set) var similarity = NeighbourLists()
  /// The training matrix by user: the neighbours' items that `score` sums.
  public private(set) var history = ImplicitMatrix.Rows(offsets: [0], indices: [], values: [])
  /// The training matrix by item and each user's norm `|x_v|`: what a history given at request
  /// time needs to find its neighbours (``score(history:into:)``).
  public private(set) var byItem = ImplicitMatrix.Rows(offsets: [0], indices: [], values: [])
  public private(set) var norms: [Float] = []
  public private(set) var itemCount: Int = 0

  public init(neighbours: Int = 50, shrink: Double = 0) {
    self.neighbourCount = neighbours
    self.shrink = shrink
  }

  public var name: String { "userknn" }

  /// Throws for option values the model cannot use (the catalogue checks ranges).
  public func validate() throws(ModelError) {
    if neighbourCount < 1 { throw ModelError("needs k >= 1 neighbours, got \(neighbourCount)") }
    if shrink < 0 { throw ModelError("needs shrink >= 0, got \(shrink)") }
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
    byItem = x.byItem
    norms = (0..<x.userCount).map { u in
      Float(
        x.byUser.span(ofRow: u).reduce(0.0) { $0 + Double(x.byUser.values[$1] * x.byUser.values[$1]) }
          .squareRoot())
    }
    itemCount = data.itemCount
    return FitReport()
  }

  public func score(user: Int, into scores: inout [Float]) {
    let span = similarity.span(ofRow: user)
    accumulate(
      scores: &scores, count: span.count, neighbour: { Int(similarity.neighbours[span.lowerBound + $0]) },
      similarity: { similarity.similarities[span.lowerBound + $0] })
  }

  /// `scores[i] = sum over the neighbours e of similarity(e) * x[neighbour(e), i]`; -infinity
  /// beyond `itemCount`.
  private func accumulate(
    scores: inout [Float], count: Int, neighbour: (Int) -> Int, similarity: (Int) -> Float
  ) {
    let n = scores.resetScores(known: itemCount)
    for e in 0..<count {
      let s = similarity(e)
      for p in history.span(ofRow: neighbour(e)) {
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

extension UserKNNModel: HistoryScorer {
  /// Scores for a history given at request time: the history is a new user row (1 per listed
  /// item, a repeat adds up) whose `k` nearest training users are found as in `fit`, then
  /// scored as a training user is. Items outside the catalogue are ignored.
  /// - Complexity: O(sum over the history's items of their users + users + the neighbours' items).
  public func score(history items: [Int], into scores: inout [Float]) {
    var x = [Int: Float]()
    for i in items where i >= 0 && i < itemCount { x[i, default: 0] += 1 }
    let norm = x.values.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
    let users = history.rowCount
    var dot = [Float](repeating: 0, count: users)
    for (i, w) in x.sorted(by: { $0.key < $1.key }) {
      for p in byItem.span(ofRow: i) { dot[Int(byItem.indices[p])] += w * byItem.values[p] }
    }
    // Non-candidates at -infinity, so `TopK` takes them last and they are dropped below.
    var sims = [Float](repeating: -.infinity, count: users)
    for v in 0..<users where dot[v] > 0 {
      let d = norm * norms[v] + Float(shrink)
      if d > 0 && dot[v] / d > 0 { sims[v] = dot[v] / d }
    }
    let top = TopK.select(sims, k: neighbourCount).filter { sims[Int($0)] > 0 }
    accumulate(
      scores: &scores, count: top.count, neighbour: { Int(top[$0]) }, similarity: { sims[Int(top[$0])] })
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
