import Foundation

/// Beyond-accuracy metrics over all users' top-k lists together (formulas: ``Metric``).
public enum CatalogueMetrics {
  /// Distinct recommended items over the catalogue size.
  public static func coverage(lists: [[Int32]], itemCount: Int) -> Double {
    guard itemCount > 0 else { return 0 }
    var seen = [Bool](repeating: false, count: itemCount)
    var n = 0
    for l in lists {
      for i in l where !seen[Int(i)] {
        seen[Int(i)] = true
        n += 1
      }
    }
    return Double(n) / Double(itemCount)
  }

  /// Mean self-information `-log2(pop(i) / users)` of recommended items; `pop(i)` is the
  /// number of train users of item `i`, taken as 1 for items never in train (so the value
  /// stays finite and such items count as the most novel).
  public static func novelty(lists: [[Int32]], itemUsers: [Int], users: Int) -> Double {
    var sum = 0.0
    var n = 0
    let u = Double(max(users, 1))
    for l in lists {
      for i in l {
        sum += -log2(Double(max(itemUsers[Int(i)], 1)) / u)
        n += 1
      }
    }
    return n > 0 ? sum / Double(n) : 0
  }

  /// Mean train popularity (events) of recommended items.
  public static func averagePopularity(lists: [[Int32]], itemEvents: [Int]) -> Double {
    var sum = 0.0
    var n = 0
    for l in lists {
      for i in l {
        sum += Double(itemEvents[Int(i)])
        n += 1
      }
    }
    return n > 0 ? sum / Double(n) : 0
  }

  /// Gini coefficient of how often each catalogue item appears in the lists.
  public static func gini(lists: [[Int32]], itemCount: Int) -> Double {
    var e = [Int](repeating: 0, count: itemCount)
    for l in lists { for i in l { e[Int(i)] += 1 } }
    return gini(e)
  }

  /// Gini coefficient of non-negative counts: `Σ_j (2j - n - 1) x_(j) / (n Σ x)`, `j` 1-based
  /// over the counts sorted ascending; 0 when all are equal or all zero.
  public static func gini(_ counts: [Int]) -> Double {
    let n = counts.count
    let total = counts.reduce(0, +)
    guard n > 0, total > 0 else { return 0 }
    var sum = 0.0
    for (j, x) in counts.sorted().enumerated() { sum += Double(2 * (j + 1) - n - 1) * Double(x) }
    return sum / (Double(n) * Double(total))
  }
}
