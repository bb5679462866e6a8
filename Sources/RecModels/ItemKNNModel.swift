import Foundation
import RecData
import RecEval

/// Item-based k-nearest-neighbour collaborative filtering (Sarwar, Karypis, Konstan and Riedl,
/// "Item-based collaborative filtering recommendation algorithms", WWW 2001), on implicit
/// feedback as implicit's `CosineRecommender`, `TFIDFRecommender` and `BM25Recommender` do it.
///
/// Fit: the (user x item) matrix `x` (event weights summed, 1 per event without a weight role)
/// is reweighted per `weighting` into `w`, then each item keeps its `k` most similar other
/// items (``NeighbourLists``):
/// - `none`:  `w[u, i] = x[u, i]`, `sim(i, j) = <w_i, w_j> / (|w_i| |w_j| + shrink)` (cosine);
/// - `tfidf`: `w[u, i] = sqrt(x[u, i]) * idf(u)`, cosine as above, with
///   `idf(u) = log(items) - log(1 + |items of u|)` (a user who rated everything says little);
/// - `bm25`:  `w[u, i] = x[u, i] (k1 + 1) / (k1 L(i) + x[u, i]) * idf(u)`, with the item length
///   norm `L(i) = 1 - b + b * x_i. / mean_j x_j.`; `sim(i, j) = <w_i, w_j>` unnormalised, as in
///   implicit (so `shrink` does not apply and must stay 0).
///
/// Score: `score(u, i) = sum over the items j of u of x[u, j] * sim(j, i)` where `sim(j, .)` holds
/// only `j`'s `k` neighbours (implicit's rule: the lists are not symmetric after truncation).
/// A user unseen in fit scores 0 everywhere.
/// - Complexity: fit O(sum over users of items(u)^2 + items^2); score O(items(u) * k + items).
public struct ItemKNNModel: Recommender, Codable {
  /// How `x` is reweighted before the similarities (implicit's three item-item recommenders).
  public enum Weighting: String, Sendable, CaseIterable, Codable {
    case none, tfidf, bm25
  }

  /// Neighbours kept per item (`k`).
  public var neighbourCount: Int
  /// Added to the cosine denominator: pulls down similarities resting on few co-occurrences.
  public var shrink: Double
  public var weighting: Weighting
  public var bm25K1: Double
  public var bm25B: Double

  /// Each item's neighbours, best first (after `fit`).
  public private(set) var similarity = NeighbourLists()
  /// The training matrix by user: the histories `score` sums over.
  public private(set) var history = ImplicitMatrix.Rows(offsets: [0], indices: [], values: [])
  public private(set) var itemCount: Int = 0

  public init(
    neighbours: Int = 9, shrink: Double = 0, weighting: Weighting = .none, bm25K1: Double = 1.2,
    bm25B: Double = 0.75
  ) {
    self.neighbourCount = neighbours
    self.shrink = shrink
    self.weighting = weighting
    self.bm25K1 = bm25K1
    self.bm25B = bm25B
  }

  public var name: String { "itemknn" }

  /// Throws for option combinations the model cannot use (the catalogue checks ranges).
  public func validate() throws(ModelError) {
    if neighbourCount < 1 { throw ModelError("needs k >= 1 neighbours, got \(neighbourCount)") }
    if shrink < 0 { throw ModelError("needs shrink >= 0, got \(shrink)") }
    if weighting == .bm25 && shrink != 0 {
      throw ModelError(
        "weighting=bm25 uses unnormalised similarities (as implicit's BM25Recommender), "
          + "so shrink does not apply: drop shrink=\(shrink) or use weighting=none|tfidf")
    }
  }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    try validate()
    let x = ImplicitMatrix(data)
    let weighted = Self.weigh(x, weighting, k1: Float(bm25K1), b: Float(bm25B))
    guard
      let lists = NeighbourLists.build(
        rows: weighted.byItem, columns: weighted.byUser, k: neighbourCount, shrink: Float(shrink),
        normalised: weighting != .bm25, isCancelled: context.isCancelled,
        progress: { context.onProgress(FitProgress(epoch: 1, epochs: 1, fraction: $0)) })
    else { return FitReport(outcome: .cancelled(afterEpoch: 0)) }
    similarity = lists
    history = x.byUser
    itemCount = data.itemCount
    return FitReport()
  }

  /// `x` reweighted per `weighting` (see the type's comment for the formulas).
  static func weigh(_ x: ImplicitMatrix, _ weighting: Weighting, k1: Float, b: Float) -> ImplicitMatrix {
    let items = Double(x.itemCount)
    // idf per user ("term"), over the items ("documents") as implicit computes it.
    func idf(_ u: Int) -> Float { Float(log(items) - log1p(Double(x.byUser.count(ofRow: u)))) }
    switch weighting {
    case .none:
      return x
    case .tfidf:
      return ImplicitMatrix(
        byUser: x.byUser.mapValues { u, _, v in v.squareRoot() * idf(u) }, itemCount: x.itemCount)
    case .bm25:
      var length = [Float](repeating: 0, count: x.itemCount)
      for i in 0..<x.itemCount { for p in x.byItem.span(ofRow: i) { length[i] += x.byItem.values[p] } }
      let mean = x.itemCount > 0 ? length.reduce(0, +) / Float(x.itemCount) : 1
      let norm = length.map { (1 - b) + b * (mean > 0 ? $0 / mean : 0) }
      return ImplicitMatrix(
        byUser: x.byUser.mapValues { u, i, v in v * (k1 + 1) / (k1 * norm[i] + v) * idf(u) },
        itemCount: x.itemCount)
    }
  }

  public func score(user: Int, into scores: inout [Float]) {
    let span = history.span(ofRow: user)
    accumulate(
      scores: &scores, count: span.count, item: { Int(history.indices[span.lowerBound + $0]) },
      weight: { history.values[span.lowerBound + $0] })
  }

  /// `scores[i] = sum over the entries e of weight(e) * sim(item(e), i)`; -infinity beyond `itemCount`.
  private func accumulate(
    scores: inout [Float], count: Int, item: (Int) -> Int, weight: (Int) -> Float
  ) {
    let n = scores.resetScores(known: itemCount)
    for e in 0..<count {
      let x = weight(e)
      for q in similarity.span(ofRow: item(e)) {
        let i = Int(similarity.neighbours[q])
        if i < n { scores[i] += x * similarity.similarities[q] }
      }
    }
  }

  public func similarItems(to item: Int, count: Int) -> [ScoredItem]? {
    similarity.scored(row: item, count: count)
  }
}

extension ItemKNNModel: HistoryScorer {
  /// Scores for a history given at request time: each listed item counts 1 (a repeat adds up),
  /// as a training user's events do without a weight role.
  public func score(history items: [Int], into scores: inout [Float]) {
    accumulate(scores: &scores, count: items.count, item: { items[$0] }, weight: { _ in 1 })
  }
}

extension ItemKNNModel {
  public static let type = ModelType(
    name: "itemknn", family: "neighbourhood", paper: "Sarwar, Karypis, Konstan and Riedl, WWW 2001",
    summary: "item-item cosine (or tf-idf, bm25) neighbours; a user scores the sum of her items' neighbours",
    options: [
      ModelOption(
        "k", .int(min: 1, max: 100_000), default: "9",
        "neighbours kept per item, not counting itself (implicit's K=10 counts the item)"),
      ModelOption(
        "shrink", .double(min: 0, max: 1e9), default: "0",
        "added to the cosine denominator (damps rare co-occurrences)"),
      ModelOption(
        "weighting", .choice(Weighting.allCases.map(\.rawValue)), default: "none",
        "reweight the matrix first: none (cosine), tfidf, bm25 (as implicit)"),
      ModelOption("bm25-k1", .double(min: 0, max: 1e6), default: "1.2", "bm25 term saturation"),
      ModelOption("bm25-b", .double(min: 0, max: 1), default: "0.75", "bm25 length normalisation"),
    ],
    make: { o throws(ModelError) in
      let w = o.text("weighting", "none")
      guard let weighting = Weighting(rawValue: w) else {
        throw ModelError("weighting must be none, tfidf or bm25, got '\(w)'")
      }
      let m = ItemKNNModel(
        neighbours: o.int("k", 9), shrink: o.double("shrink", 0), weighting: weighting,
        bm25K1: o.double("bm25-k1", 1.2), bm25B: o.double("bm25-b", 0.75))
      try m.validate()
      return m
    })
}
