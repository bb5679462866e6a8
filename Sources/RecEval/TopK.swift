/// Partial selection of the best `k` items from a score buffer.
public enum TopK {
  /// The `k` highest-scoring item indices, best first, skipping `excluded` (ascending item
  /// indices, e.g. a user's train items from the CSR). Equal scores rank the smaller index
  /// first (as the shared protocol's `topk_from_scores` does); `NaN` ranks below every
  /// number. Fewer than `k` come back when fewer items remain.
  ///
  /// A bounded insertion list rather than a heap: with `k` around 10 and scores in arbitrary
  /// order, an item enters the list about `k ln(n / k)` times, so the scan dominates.
  /// - Complexity: O(n + insertions * k).
  public static func select(
    _ scores: UnsafeBufferPointer<Float>, k: Int, excluding excluded: ArraySlice<Int32>,
    into out: inout [Int32]
  ) {
    out.removeAll(keepingCapacity: true)
    guard k > 0 else { return }
    var best = [Float]()
    best.reserveCapacity(k + 1)
    var ex = excluded.startIndex
    let exEnd = excluded.endIndex
    for i in 0..<scores.count {
      // Merge-skip the ascending exclusion list (duplicates in it are harmless).
      while ex < exEnd && Int(excluded[ex]) < i { ex += 1 }
      if ex < exEnd && Int(excluded[ex]) == i { continue }
      let raw = scores[i]
      let s = raw.isNaN ? -Float.infinity : raw
      if best.count == k {
        // Strictly greater: an equal score with a larger index stays out.
        guard s > best[k - 1] else { continue }
        best.removeLast()
        out.removeLast()
      }
      var p = best.count
      while p > 0 && best[p - 1] < s { p -= 1 }
      best.insert(s, at: p)
      out.insert(Int32(i), at: p)
    }
  }

  /// Array convenience for ``select(_:k:excluding:into:)``.
  public static func select(_ scores: [Float], k: Int, excluding excluded: ArraySlice<Int32> = []) -> [Int32]
  {
    var out = [Int32]()
    scores.withUnsafeBufferPointer { select($0, k: k, excluding: excluded, into: &out) }
    return out
  }
}
