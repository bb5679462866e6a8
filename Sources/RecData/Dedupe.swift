extension Table {
  /// Which row of a group of duplicates survives.
  public enum KeepPolicy: String, Sendable, CaseIterable {
    case first, last
  }

  /// Removes rows that repeat an earlier row on `columns` (all columns when `nil`).
  ///
  /// Missing is a value here: two rows both missing a key field are duplicates.
  /// With `order`, rows are first ordered (stably) by that column, so `first` and
  /// `last` mean earliest and latest by it; rows whose `order` value is missing
  /// count as earlier than every row that has one. The surviving rows keep their
  /// original order in the table either way.
  ///
  /// - Complexity: O(rows) expected (dense key codes, see ``KeyCodes``), plus
  ///   O(rows log rows) for `order`.
  /// - Returns: the table and how many rows were removed.
  public func deduplicated(by columns: [String]?, keep: KeepPolicy = .first, order: String? = nil)
    throws(DataError) -> (Table, removed: Int)
  {
    let names = columns ?? columnNames
    if names.isEmpty { throw .invalidArgument("dedupe needs at least one column") }
    var keyColumns: [Column] = []
    for name in names { keyColumns.append(try requireColumn(name)) }
    let orderColumn: Column? = try order.map { (o: String) throws(DataError) -> Column in try requireColumn(o)
    }
    let n = rowCount
    let keys = KeyCodes(columns: keyColumns, rowCount: n)
    if keys.groupCount == n { return (self, 0) }
    var keepRow = [Bool](repeating: false, count: n)
    if let orderColumn {
      let perm = SortKeys.stableOrder(SortKeys.of(orderColumn))
      var seen = [Bool](repeating: false, count: keys.groupCount)
      for i in 0..<n {
        let r = keep == .first ? perm[i] : perm[n - 1 - i]
        let k = Int(keys.codes[r])
        if !seen[k] {
          seen[k] = true
          keepRow[r] = true
        }
      }
    } else if keep == .first {
      for r in keys.firstRows { keepRow[r] = true }
    } else {
      var seen = [Bool](repeating: false, count: keys.groupCount)
      for r in stride(from: n - 1, through: 0, by: -1) {
        let k = Int(keys.codes[r])
        if !seen[k] {
          seen[k] = true
          keepRow[r] = true
        }
      }
    }
    return (filtering(keepRow), n - keys.groupCount)
  }
}
