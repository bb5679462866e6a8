/// Partial selection of the best `k` items from a score buffer.
public enum TopK {
  /// The `k` highest-scoring item indices, best first, skipping `excluded` (ascending item
  /// indices, e.g. a user's train items from the CSR). Equal scores rank the smaller index
  /// first (as the shared protocol's `topk_from_scores` does); `NaN` ranks below every
  /// number. Fewer than `k` come back when fewer items remain.
  ///
  /// A bounded insertion list rather than a heap: with `k` around 10 and scores in arbitrary
  /// order, an item enters the list about `k ln(n / k)` times, so the scan dominates.
  /// - Complexity: O(n + insertions * (k + log excluded)).
  public static func select(
    _ scores: UnsafeBufferPointer<Float>, k: Int, excluding excluded: ArraySlice<Int32>,
    into out: inout [Int32]
  ) {
    out.removeAll(keepingCapacity: true)
    guard k > 0 else { return }
    var best = [Float]()
    best.reserveCapacity(k + 1)
    // Once the list is full, most items fail the threshold test, so the loop is one load and
    // one compare; only an item that would enter looks itself up among the excluded items
    // (binary search), instead of merging the exclusion list on every step (measured 3x).
    var threshold = -Float.infinity
    excluded.withUnsafeBufferPointer { ex in
      for i in 0..<scores.count {
        let raw = scores[i]
        let s = raw.isNaN ? -Float.infinity : raw
        let full = best.count == k
        // Strictly greater: an equal score with a larger index stays out.
        if full && !(s > threshold) { continue }
        if contains(ex, Int32(truncatingIfNeeded: i)) { continue }
        if full {
          best.removeLast()
          out.removeLast()
        }
        var p = best.count
        while p > 0 && best[p - 1] < s { p -= 1 }
        best.insert(s, at: p)
        out.insert(Int32(truncatingIfNeeded: i), at: p)
        if best.count == k { threshold = best[k - 1] }
      }
    }
  }

  /// Binary search in an ascending buffer.
  @inline(__always)
  static func contains(_ a: UnsafeBufferPointer<Int32>, _ x: Int32) -> Bool {
    var lo = 0
    var hi = a.count
    while lo < hi {
      let m = (lo &+ hi) >> 1
      if a[m] < x { lo = m &+ 1 } else { hi = m }
    }
    return lo < a.count && a[lo] == x
  }

  /// Array convenience for ``select(_:k:excluding:into:)``.
  public static func select(_ scores: [Float], k: Int, excluding excluded: ArraySlice<Int32> = []) -> [Int32]
  {
    var out = [Int32]()
    scores.withUnsafeBufferPointer { select($0, k: k, excluding: excluded, into: &out) }
    return out
  }
}
