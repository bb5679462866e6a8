import Foundation
import RecData
import RecEval

@testable import RecModels

/// Small interaction sets with known answers, shared by the neighbourhood and EASE tests.
enum ModelTestData {
  /// Interactions from `(user, item)` raw-id pairs and optional per-event weights. Integer ids
  /// map in ascending order, so when the ids used are `0..<n` the dense index is the raw id.
  static func interactions(_ pairs: [(Int, Int)], weights: [Double]? = nil) throws -> Interactions {
    var cols: [(String, Column)] = [
      ("user", Column(ints: pairs.map(\.0))), ("item", Column(ints: pairs.map(\.1))),
    ]
    if let weights { cols.append(("w", Column(doubles: weights))) }
    return try Interactions(
      table: Table(columns: cols), roles: InteractionRoles(weight: weights == nil ? nil : "w"))
  }

  /// The 4 users x 4 items matrix of the hand-computed tests (rows users, columns items):
  ///
  ///     u0: 1 1 1 0
  ///     u1: 1 1 0 0
  ///     u2: 0 1 1 1
  ///     u3: 1 0 0 1
  static let square: [(Int, Int)] = [
    (0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (2, 1), (2, 2), (2, 3), (3, 0), (3, 3),
  ]

  /// Two disjoint groups: users 0..<10 use items 0..<5, users 10..<20 items 5..<10, each user
  /// three of the five items of her group (a rotation), so every user has two unseen in-group items.
  static var twoGroups: [(Int, Int)] {
    var pairs = [(Int, Int)]()
    for u in 0..<20 {
      let g = u / 10
      for t in 0..<3 { pairs.append((u, g * 5 + (u + t) % 5)) }
    }
    return pairs
  }

  /// The dense matrix of `pairs` (weights summed), `(users, items)`.
  static func dense(_ pairs: [(Int, Int)], weights: [Double]? = nil, users: Int, items: Int) -> [[Double]] {
    var x = [[Double]](repeating: [Double](repeating: 0, count: items), count: users)
    for (e, (u, i)) in pairs.enumerated() { x[u][i] += weights?[e] ?? 1 }
    return x
  }
}
