/// Order-preserving 64-bit keys for the values of a column, so that sorting rows
/// compares plain integers instead of boxed values.
///
/// Missing maps to 0, below every value; ints and doubles map monotonically onto
/// `1...UInt64.max`; strings map to 1 + their rank in the sorted dictionary
/// (Swift `String` order, i.e. Unicode scalar order of the canonical form).
enum SortKeys {
  /// One key per row: `a < b` as values exactly when `key(a) < key(b)`.
  static func of(_ column: Column) -> [UInt64] {
    switch column.storage {
    case .int(let v):
      // Flipping the sign bit maps Int order onto UInt64 order; Int.min (missing) -> 0.
      return v.map { UInt64(bitPattern: Int64($0)) ^ (1 << 63) }
    case .double(let v):
      return v.map { x -> UInt64 in
        if x.isNaN { return 0 }
        let b = (x == 0 ? 0.0 : x).bitPattern
        // Negative doubles: invert all bits (larger magnitude sorts lower); positive: set the sign bit.
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
      }
    case .string(let codes, let dictionary):
      let sorted = dictionary.indices.sorted { dictionary[$0] < dictionary[$1] }
      var rank = [UInt64](repeating: 0, count: dictionary.count)
      for (r, i) in sorted.enumerated() { rank[i] = UInt64(r + 1) }
      return codes.map { $0 < 0 ? 0 : rank[Int($0)] }
    }
  }

  /// Row indices ordered by `keys`, ties kept in row order (stable).
  /// - Complexity: O(n log n).
  static func stableOrder(_ keys: [UInt64]) -> [Int] {
    var idx = Array(keys.indices)
    idx.sort { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
    return idx
  }

  /// Whether `a` orders before `b`: numbers by value, strings lexicographically,
  /// numbers before strings, missing last. Used to break frequency ties.
  static func valueLess(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.string(let x), .string(let y)): return x < y
    case (.missing, _): return false
    case (_, .missing): return true
    case (.string, _): return false
    case (_, .string): return true
    case (.int(let x), .int(let y)): return x < y
    default: return (a.number ?? 0) < (b.number ?? 0)
    }
  }
}
