extension Table {
  /// Adds the columns of `other` to each row of this table whose `key` matches
  /// `other`'s `otherKey` (default: the same name); rows without a match get missing.
  ///
  /// Every row of this table is kept, in order. Keys match by value across types: an
  /// int matches a double of the same value and a string that is its canonical decimal
  /// text (int 5 matches `"5"`, not `"05"` or `" 5"`), since ids read from different
  /// files often differ only in type. Missing keys never match. `other`'s key column
  /// is not copied; its other columns whose names this table already has are renamed
  /// `<name>_<otherName>` (then `_2`, ... if that is taken too).
  /// - Throws: ``DataError/invalidArgument`` when `other` has a key twice (a left join
  ///   must not multiply rows), naming the key and both rows.
  /// - Returns: the joined table and how many of its rows found a match.
  /// - Complexity: O(rows + other.rows), one hash lookup per distinct left key.
  public func leftJoin(_ other: Table, on key: String, otherKey: String? = nil, otherName: String = "right")
    throws(DataError) -> (Table, matched: Int)
  {
    let leftKey = try requireColumn(key)
    let rightKeyName = otherKey ?? key
    let rightKey = try other.requireColumn(rightKeyName, table: otherName)
    var index: [JoinKey: Int32] = [:]
    index.reserveCapacity(other.rowCount)
    for r in 0..<other.rowCount {
      guard let k = JoinKey(rightKey[r]) else { continue }
      if let previous = index.updateValue(Int32(r), forKey: k) {
        throw .invalidArgument(
          "cannot join: '\(otherName)' has key \(rightKey[r].description) twice in column '\(rightKeyName)' "
            + "(rows \(previous + 1) and \(r + 1)); a left join needs unique keys on the right")
      }
    }
    let keys = KeyCodes(leftKey)
    var match = [Int32](repeating: -1, count: keys.groupCount)
    for k in 0..<keys.groupCount where !keys.isMissing[k] {
      if let jk = JoinKey(leftKey[keys.firstRows[k]]), let r = index[jk] { match[k] = r }
    }
    var rows = [Int32](repeating: -1, count: rowCount)
    var matched = 0
    for r in 0..<rowCount {
      let m = match[Int(keys.codes[r])]
      rows[r] = m
      if m >= 0 { matched += 1 }
    }
    var t = self
    var used = Set(columnNames)
    for (name, column) in zip(other.columnNames, other.columns) where name != rightKeyName {
      var out = name
      if used.contains(out) {
        let base = "\(name)_\(otherName)"
        out = base
        var k = 2
        while used.contains(out) {
          out = "\(base)_\(k)"
          k += 1
        }
      }
      used.insert(out)
      t = t.setting(out, to: Table.gather(column, rows))
    }
    return (t, matched)
  }

  /// The rows `rows` of `column`, with -1 giving a missing value.
  static func gather(_ column: Column, _ rows: [Int32]) -> Column {
    switch column.storage {
    case .int(let v): return Column(ints: rows.map { $0 < 0 ? Column.missingInt : v[Int($0)] })
    case .double(let v): return Column(doubles: rows.map { $0 < 0 ? .nan : v[Int($0)] })
    case .string(let c, let d): return Column(codes: rows.map { $0 < 0 ? -1 : c[Int($0)] }, dictionary: d)
    }
  }
}

/// A join key normalized so that equal ids of different types meet (see ``Table/leftJoin(_:on:otherKey:otherName:)``).
enum JoinKey: Hashable {
  case int(Int)
  case double(UInt64)
  case text(String)

  init?(_ v: Value) {
    switch v {
    case .missing: return nil
    case .int(let x): self = .int(x)
    case .double(let x):
      if x.isNaN { return nil }
      if x == x.rounded(), abs(x) < 9e15 { self = .int(Int(x)) } else { self = .double(x.bitPattern) }
    case .string(let s):
      if let i = Int(s), String(i) == s { self = .int(i) } else { self = .text(s) }
    }
  }
}
