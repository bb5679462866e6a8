import Foundation

/// Per-user ranking metrics from the positions of hits in a top-k list.
///
/// `hits` are the 0-based positions, ascending, at which the top-k list holds a relevant
/// item; `relevant` is how many relevant items the user has (`>= 1`). Positions at or past
/// `k` are ignored, so a longer list can be passed. Formulas: ``Metric/formula``.
public enum RankingMetrics {
  /// 1 if any relevant item is in the top `k`.
  public static func hitRate(hits: [Int], k: Int) -> Double { hits.contains { $0 < k } ? 1 : 0 }

  /// Hits in the top `k` over `k`.
  public static func precision(hits: [Int], k: Int) -> Double { Double(count(hits, k)) / Double(k) }

  /// Hits in the top `k` over the number of relevant items.
  public static func recall(hits: [Int], relevant: Int, k: Int) -> Double {
    relevant > 0 ? Double(count(hits, k)) / Double(relevant) : 0
  }

  /// DCG over the ideal DCG of `min(relevant, k)` hits at the top.
  public static func ndcg(hits: [Int], relevant: Int, k: Int) -> Double {
    guard relevant > 0 else { return 0 }
    var dcg = 0.0
    for p in hits where p < k { dcg += 1 / log2(Double(p) + 2) }
    var idcg = 0.0
    for p in 0..<min(relevant, k) { idcg += 1 / log2(Double(p) + 2) }
    return dcg / idcg
  }

  /// Average precision at `k`, normalised by `min(relevant, k)`.
  public static func averagePrecision(hits: [Int], relevant: Int, k: Int) -> Double {
    guard relevant > 0 else { return 0 }
    var sum = 0.0
    var n = 0
    for p in hits where p < k {
      n += 1
      sum += Double(n) / Double(p + 1)
    }
    return sum / Double(min(relevant, k))
  }

  /// 1 / (first hit position + 1), or 0 without a hit in the top `k`.
  public static func reciprocalRank(hits: [Int], k: Int) -> Double {
    guard let p = hits.first(where: { $0 < k }) else { return 0 }
    return 1 / Double(p + 1)
  }

  /// The fraction of (positive, negative) pairs the scores order correctly, ties half.
  /// `negatives` must be sorted ascending. Returns `nil` when either side is empty.
  /// - Complexity: O(|positives| log |negatives|).
  public static func auc(positives: [Float], sortedNegatives negatives: [Float]) -> Double? {
    guard !positives.isEmpty, !negatives.isEmpty else { return nil }
    var total = 0.0
    for s in positives {
      let below = lowerBound(negatives, s)
      let belowOrEqual = upperBound(negatives, s)
      total += Double(below) + 0.5 * Double(belowOrEqual - below)
    }
    return total / (Double(positives.count) * Double(negatives.count))
  }

  private static func count(_ hits: [Int], _ k: Int) -> Int { hits.reduce(0) { $0 + ($1 < k ? 1 : 0) } }

  private static func lowerBound(_ a: [Float], _ x: Float) -> Int {
    var lo = 0
    var hi = a.count
    while lo < hi {
      let m = (lo + hi) / 2
      if a[m] < x { lo = m + 1 } else { hi = m }
    }
    return lo
  }

  private static func upperBound(_ a: [Float], _ x: Float) -> Int {
    var lo = 0
    var hi = a.count
    while lo < hi {
      let m = (lo + hi) / 2
      if a[m] <= x { lo = m + 1 } else { hi = m }
    }
    return lo
  }
}
