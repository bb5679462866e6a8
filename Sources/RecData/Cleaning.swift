extension Table {
  /// Removes rows with a missing value in any of `columns` (any column when `nil`).
  /// - Returns: the table and how many rows were removed.
  /// - Complexity: O(rows x columns).
  public func droppingMissing(in columns: [String]? = nil) throws(DataError) -> (Table, removed: Int) {
    var checked: [Column] = []
    for name in columns ?? columnNames { checked.append(try requireColumn(name)) }
    var keep = [Bool](repeating: true, count: rowCount)
    var removed = 0
    for c in checked {
      for r in 0..<rowCount where keep[r] && c.isMissing(r) {
        keep[r] = false
        removed += 1
      }
    }
    return removed == 0 ? (self, 0) : (filtering(keep), removed)
  }

  /// What replaces a missing value.
  public enum Fill: Sendable, Equatable {
    /// A constant; it must suit the column (a number for a numeric column, any value
    /// for a string column, where numbers are written as text).
    case value(Value)
    /// The mean of the present values (numeric columns).
    case mean
    /// The median of the present values, the mean of the two middle ones for an even count.
    case median
    /// The most frequent present value; ties go to the smallest value.
    case mode
    /// The closest present value above in row order; leading missing values stay missing.
    case forward
  }

  /// Replaces the missing values of `column`.
  ///
  /// An int column stays int when the fill value is a whole number and becomes
  /// double otherwise (the mean of 1 and 2 is 1.5; rounding it would invent data).
  /// - Throws: ``DataError/typeMismatch`` for a fill value of the wrong type or a
  ///   mean/median of a string column; ``DataError/invalidArgument`` when nothing is
  ///   present to compute the fill value from.
  /// - Returns: the table and how many values were filled.
  public func fillingMissing(_ column: String, with fill: Fill) throws(DataError) -> (Table, filled: Int) {
    let col = try requireColumn(column)
    let n = rowCount
    if fill == .forward { return forwardFilled(column, col) }
    let missing = col.missingCount
    let constant: Value
    switch fill {
    case .value(let v):
      let isNaN: Bool
      if case .double(let d) = v { isNaN = d.isNaN } else { isNaN = false }
      if v.isMissing || isNaN {
        throw .invalidArgument("fill value for '\(column)' is missing")
      }
      constant = v
    case .mean, .median:
      guard let v = col.doubles else {
        throw .typeMismatch(
          message: "cannot take the \(fill == .mean ? "mean" : "median") of string column '\(column)'",
          span: nil)
      }
      let present = v.filter { !$0.isNaN }
      if present.isEmpty { throw .invalidArgument("column '\(column)' has no values to fill from") }
      if fill == .mean {
        constant = .double(present.reduce(0, +) / Double(present.count))
      } else {
        let s = present.sorted()
        let m = s.count / 2
        constant = .double(s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2)
      }
    case .mode:
      let keys = KeyCodes(col)
      let counts = keys.counts()
      var best: Value? = nil
      var bestCount = 0
      for k in 0..<keys.groupCount where !keys.isMissing[k] {
        let v = col[keys.firstRows[k]]
        if counts[k] > bestCount || (counts[k] == bestCount && best.map { SortKeys.valueLess(v, $0) } == true)
        {
          best = v
          bestCount = counts[k]
        }
      }
      guard let best else { throw .invalidArgument("column '\(column)' has no values to fill from") }
      constant = best
    case .forward:
      return forwardFilled(column, col)
    }
    if missing == 0 { return (self, 0) }
    let filledColumn: Column
    switch (col.storage, constant) {
    case (.int(var v), .int(let x)):
      for r in 0..<n where v[r] == Column.missingInt { v[r] = x }
      filledColumn = Column(ints: v)
    case (.int(var v), .double(let x)) where x == x.rounded() && abs(x) < 9e15:
      for r in 0..<n where v[r] == Column.missingInt { v[r] = Int(x) }
      filledColumn = Column(ints: v)
    case (.int, .double(let x)), (.double, .double(let x)):
      var v = col.doubles ?? []
      for r in 0..<n where v[r].isNaN { v[r] = x }
      filledColumn = Column(doubles: v)
    case (.double(var v), .int(let x)):
      for r in 0..<n where v[r].isNaN { v[r] = Double(x) }
      filledColumn = Column(doubles: v)
    case (.string(var codes, var dictionary), _):
      let text = constant.description
      let code: Int32
      if let i = dictionary.firstIndex(of: text) {
        code = Int32(i)
      } else {
        code = Int32(dictionary.count)
        dictionary.append(text)
      }
      for r in 0..<n where codes[r] < 0 { codes[r] = code }
      filledColumn = Column(codes: codes, dictionary: dictionary)
    default:
      throw .typeMismatch(
        message: "cannot fill \(col.type) column '\(column)' with the string '\(constant.description)'",
        span: nil)
    }
    return (setting(column, to: filledColumn), missing)
  }

  private func forwardFilled(_ name: String, _ col: Column) -> (Table, filled: Int) {
    var filled = 0
    let out: Column
    switch col.storage {
    case .int(var v):
      var last = Column.missingInt
      for r in v.indices {
        if v[r] == Column.missingInt {
          if last != Column.missingInt {
            v[r] = last
            filled += 1
          }
        } else {
          last = v[r]
        }
      }
      out = Column(ints: v)
    case .double(var v):
      var last = Double.nan
      for r in v.indices {
        if v[r].isNaN {
          if !last.isNaN {
            v[r] = last
            filled += 1
          }
        } else {
          last = v[r]
        }
      }
      out = Column(doubles: v)
    case .string(var c, let d):
      var last: Int32 = -1
      for r in c.indices {
        if c[r] < 0 {
          if last >= 0 {
            c[r] = last
            filled += 1
          }
        } else {
          last = c[r]
        }
      }
      out = Column(codes: c, dictionary: d)
    }
    return (setting(name, to: out), filled)
  }

  /// Handles values of a numeric column outside `[min, max]` (either bound optional):
  /// clips them to the bound, or with `drop` removes their rows. Missing values are
  /// left alone. An int column clipped to a fractional bound becomes double.
  /// - Returns: the table and how many values were outside the range.
  public func clipping(_ column: String, min lo: Double?, max hi: Double?, drop: Bool = false)
    throws(DataError) -> (Table, affected: Int)
  {
    let col = try requireColumn(column)
    if lo == nil && hi == nil { throw .invalidArgument("clip '\(column)' needs min, max or both") }
    if let lo, let hi, lo > hi { throw .invalidArgument("clip '\(column)': min \(lo) is above max \(hi)") }
    if lo?.isNaN == true || hi?.isNaN == true {
      throw .invalidArgument("clip '\(column)': a bound is not a number")
    }
    let low = lo ?? -.infinity
    let high = hi ?? .infinity
    let n = rowCount
    var outside = [Bool](repeating: false, count: n)
    var affected = 0
    switch col.storage {
    case .string:
      throw .typeMismatch(message: "cannot clip string column '\(column)' to a numeric range", span: nil)
    case .int(let v):
      for r in 0..<n where v[r] != Column.missingInt && (Double(v[r]) < low || Double(v[r]) > high) {
        outside[r] = true
        affected += 1
      }
    case .double(let v):
      for r in 0..<n where !v[r].isNaN && (v[r] < low || v[r] > high) {
        outside[r] = true
        affected += 1
      }
    }
    if affected == 0 { return (self, 0) }
    if drop { return (filtering(outside.map { !$0 }), affected) }
    let whole = { (b: Double) in b.isInfinite || (b == b.rounded() && abs(b) < 9e15) }
    if case .int(var v) = col.storage, whole(low), whole(high) {
      for r in 0..<n where outside[r] { v[r] = Double(v[r]) < low ? Int(low) : Int(high) }
      return (setting(column, to: Column(ints: v)), affected)
    }
    var v = col.doubles ?? []
    for r in 0..<n where outside[r] { v[r] = v[r] < low ? low : high }
    return (setting(column, to: Column(doubles: v)), affected)
  }
}
