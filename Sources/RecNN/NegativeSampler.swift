import RecData

/// Draws negative items for a user: uniformly or in proportion to `popularity^alpha`
/// (word2vec's 0.75 smoothing), never one of the user's positives.
///
/// Rejection sampling: draw from the distribution, redraw on a positive. Users with almost
/// every item positive would loop long, so after `maxRejections` draws the sampler falls back
/// to an exact draw over the user's non-positive items; it returns nil when there are none.
/// - Complexity: O(log items) per draw (binary search on the cumulative weights) in the usual case.
public struct NegativeSampler: Sendable {
  public enum Distribution: Sendable, Equatable {
    case uniform
    /// Weight `count^alpha` per item (`alpha = 0` is uniform over items seen at least once).
    case popularity(alpha: Double)
  }

  public let itemCount: Int
  private let positives: [Set<Int>]
  private let cumulative: [Double]  // empty for uniform
  private let weights: [Double]
  let maxRejections = 64

  /// `positives[u]`: the items of user `u` (never drawn for `u`); `itemCounts[i]` the number
  /// of interactions of item `i` (used by `.popularity`).
  public init(
    itemCount: Int, positives: [Set<Int>], itemCounts: [Int] = [], distribution: Distribution = .uniform
  ) {
    precondition(itemCount > 0)
    self.itemCount = itemCount
    self.positives = positives
    switch distribution {
    case .uniform:
      weights = []
      cumulative = []
    case .popularity(let alpha):
      precondition(itemCounts.count == itemCount, "one count per item")
      weights = itemCounts.map { $0 > 0 ? Double($0) ** alpha : 0 }
      var c = [Double](repeating: 0, count: itemCount)
      var s = 0.0
      for i in 0..<itemCount {
        s += weights[i]
        c[i] = s
      }
      cumulative = c
    }
  }

  private func weight(_ i: Int) -> Double { weights.isEmpty ? 1 : weights[i] }

  private func draw(using rng: inout SeededGenerator) -> Int {
    guard let total = cumulative.last else { return rng.nextInt(below: itemCount) }
    let u = rng.nextDouble() * total
    var lo = 0
    var hi = itemCount - 1
    while lo < hi {  // first index with cumulative > u
      let mid = (lo + hi) / 2
      if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }

  /// One negative for `user`, or nil when every item with non-zero weight is a positive.
  public func sample(for user: Int, using rng: inout SeededGenerator) -> Int? {
    let pos = user < positives.count ? positives[user] : []
    if cumulative.last.map({ $0 > 0 }) ?? true {
      for _ in 0..<maxRejections {
        let i = draw(using: &rng)
        if !pos.contains(i) && weight(i) > 0 { return i }
      }
    }
    // Exact fallback over the remaining candidates.
    var candidates: [Int] = []
    var cum: [Double] = []
    var s = 0.0
    for i in 0..<itemCount where !pos.contains(i) && weight(i) > 0 {
      s += weight(i)
      candidates.append(i)
      cum.append(s)
    }
    guard !candidates.isEmpty else { return nil }
    let u = rng.nextDouble() * s
    return candidates[cum.firstIndex { $0 > u } ?? candidates.count - 1]
  }
}

infix operator ** : MultiplicationPrecedence
private func ** (x: Double, y: Double) -> Double { Foundation_powD(x, y) }

#if canImport(Glibc)
  import Glibc
  @inline(__always) private func Foundation_powD(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
  import Darwin
  @inline(__always) private func Foundation_powD(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
