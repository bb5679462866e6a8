import RecData
import RecEval

/// Small implicit data sets with a known structure for the factor-model tests.
enum PlantedData {
  /// Interactions from (user, item) pairs; ids `0..<users` and `0..<items` all occur, so dense
  /// indices equal ids. `weights` adds a weight role.
  static func interactions(_ pairs: [(Int, Int)], weights: [Double]? = nil) throws -> Interactions {
    var columns: [(String, Column)] = [
      ("user", Column(ints: pairs.map(\.0))), ("item", Column(ints: pairs.map(\.1))),
    ]
    if let weights { columns.append(("w", Column(doubles: weights))) }
    return try Interactions(
      table: Table(columns: columns), roles: InteractionRoles(weight: weights == nil ? nil : "w"))
  }

  /// Two disjoint groups: users `0..<perGroup` like items `0..<groupItems`, the next `perGroup`
  /// users like the next `groupItems` items; user `u` misses item `u % groupItems` of its group
  /// (so a recommender that learnt the groups recommends exactly that item first).
  static func twoGroups(perGroup: Int = 12, groupItems: Int = 6) throws -> Interactions {
    var pairs = [(Int, Int)]()
    for g in 0..<2 {
      for k in 0..<perGroup {
        let u = g * perGroup + k
        for j in 0..<groupItems where j != k % groupItems { pairs.append((u, g * groupItems + j)) }
      }
    }
    return try interactions(pairs)
  }

  /// The item user `u` misses in `twoGroups`.
  static func missing(user u: Int, perGroup: Int = 12, groupItems: Int = 6) -> Int {
    (u / perGroup) * groupItems + (u % perGroup) % groupItems
  }

  /// Seeded random implicit data: `users x items`, each user with `perUser` distinct items
  /// drawn with a skew toward small ids.
  static func random(users: Int, items: Int, perUser: Int, seed: UInt64) throws -> Interactions {
    var g = SeededGenerator(seed: seed)
    var pairs = [(Int, Int)]()
    for i in 0..<items { pairs.append((i % users, i)) }
    for u in 0..<users {
      var seen = Set(pairs.filter { $0.0 == u }.map(\.1))
      while seen.count < perUser {
        let x = g.nextDouble()
        let i = Int(x * x * Double(items))
        if seen.insert(i).inserted { pairs.append((u, i)) }
      }
    }
    return try interactions(pairs)
  }
}
