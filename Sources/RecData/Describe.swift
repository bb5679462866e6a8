/// A one-column summary, as ``Table/describe()`` computes it.
public struct ColumnSummary: Sendable, Equatable {
  /// A value and how many rows hold it.
  public struct Frequent: Sendable, Equatable {
    public var value: Value
    public var count: Int
    public init(value: Value, count: Int) {
      self.value = value
      self.count = count
    }
  }

  public var name: String
  public var type: ColumnType
  /// Present (non-missing) values.
  public var count: Int
  public var missing: Int
  /// Distinct present values.
  public var distinct: Int
  /// Smallest and largest present value: by number, or lexicographically for strings.
  public var min: Value?
  public var max: Value?
  /// Mean and sample standard deviation (divides by `count - 1`, as pandas' describe
  /// does) of a numeric column; `std` needs two values.
  public var mean: Double?
  public var std: Double?
  /// The (at most) 3 most frequent present values, most frequent first, ties by value.
  public var top: [Frequent]
}

extension Table {
  /// A summary of every column: type, counts, range, mean, std and most frequent values.
  /// - Complexity: O(rows x columns).
  public func describe() -> [ColumnSummary] {
    zip(columnNames, columns).map { name, column in
      let keys = KeyCodes(column)
      let counts = keys.counts()
      var present: [(Value, Int)] = []
      for k in 0..<keys.groupCount where !keys.isMissing[k] {
        present.append((column[keys.firstRows[k]], counts[k]))
      }
      let missing = column.missingCount
      var top = present
      top.sort { $0.1 != $1.1 ? $0.1 > $1.1 : SortKeys.valueLess($0.0, $1.0) }
      var lo: Value? = nil
      var hi: Value? = nil
      for (v, _) in present {
        if lo.map({ SortKeys.valueLess(v, $0) }) ?? true { lo = v }
        if hi.map({ SortKeys.valueLess($0, v) }) ?? true { hi = v }
      }
      var mean: Double? = nil
      var std: Double? = nil
      if let x = column.doubles, rowCount > missing {
        let p = Table.statistics(x, codes: nil, groupCount: 1)[0]
        mean = p.mean
        if p.count > 1 { std = (p.std * p.std * Double(p.count) / Double(p.count - 1)).squareRoot() }
      }
      return ColumnSummary(
        name: name, type: column.type, count: rowCount - missing, missing: missing, distinct: present.count,
        min: lo, max: hi, mean: mean, std: std,
        top: top.prefix(3).map { ColumnSummary.Frequent(value: $0.0, count: $0.1) })
    }
  }
}
