/// Column-wide functions of expressions: values computed over a group of rows (or the
/// whole table) and written back to every row of the group, as pandas'
/// `groupby(...).transform(...)` does.
///
/// - `count(x)`: how many rows share this row's value of `x` (a user's activity, an
///   item's popularity); missing for a missing `x`.
/// - `f(x) by g1, g2` for `f` in `count mean sum min max rank`: over the rows with the
///   same values of `g1, g2`; `count(x) by g` counts present `x`. Rows whose group
///   value is missing get missing.
/// - `mean(x)`, `sum(x)`, `min(x)`, `max(x)`, `rank(x)` with no `by`: over the whole table.
/// - Missing `x` values are skipped: `sum` of none is 0, `mean`/`min`/`max` of none
///   are missing. `sum` and `min`/`max` of ints stay ints (an overflowing sum is
///   missing); `mean` is double.
/// - `rank(x)`: 1-based position of `x` in ascending order within the group, ties
///   by row order (so `rank(timestamp) by user` numbers each user's events in time);
///   missing `x` gets no rank. Strings rank lexicographically.
extension ExprEvaluator {
  static let groupedFunctions = ["count", "mean", "sum", "min", "max", "rank"]

  func grouped(_ name: String, _ args: [Expr], by: [String], span: Range<Int>) throws(DataError) -> Vec {
    guard Self.groupedFunctions.contains(name) else {
      throw .unknownFunction(
        name: name, suggestions: Suggest.closest(to: name, in: Self.groupedFunctions), span: span)
    }
    guard args.count == 1 else {
      throw .badArguments(
        function: name, message: "expects 1 argument before 'by', got \(args.count)", span: span)
    }
    var columns: [Column] = []
    for b in by { columns.append(try table.requireColumn(b, table: tableName, span: span)) }
    let x = try eval(args[0])
    return try aggregate(
      name, x, span: args[0].span, by: KeyCodes(columns: columns, rowCount: rowCount), groupSpan: span,
      frequency: false)
  }

  /// `name` over the groups of `keys` (one group when `nil`), or with `frequency`
  /// the count of rows sharing each row's value.
  /// - Complexity: O(rows), O(rows log rows) for `rank`.
  func aggregate(
    _ name: String, _ x: Vec, span: Range<Int>, by keys: KeyCodes?, groupSpan: Range<Int>, frequency: Bool
  ) throws(DataError) -> Vec {
    let n = rowCount
    let m = Column.missingInt
    let col = Self.column(x, count: n)
    if frequency {
      let k = KeyCodes(col)
      let counts = k.counts()
      return .int(k.codes.map { k.isMissing[Int($0)] ? m : counts[Int($0)] })
    }
    let keys = keys ?? KeyCodes(columns: [], rowCount: n)
    let g = keys.groupCount
    func spread<T>(_ perGroup: [T], missing: T) -> [T] {
      keys.codes.map { keys.isMissing[Int($0)] ? missing : perGroup[Int($0)] }
    }
    switch name {
    case "count":
      var c = [Int](repeating: 0, count: g)
      for r in 0..<n where !col.isMissing(r) { c[Int(keys.codes[r])] += 1 }
      return .int(spread(c, missing: m))
    case "rank":
      let sortKey = SortKeys.of(col)
      let csr = CSRIndex(codes: keys.codes, groupCount: g)
      var rank = [Int](repeating: m, count: n)
      for k in 0..<g where !keys.isMissing[k] {
        var rows = Array(csr.rows[csr.offsets[k]..<csr.offsets[k + 1]])
        rows.removeAll { sortKey[Int($0)] == 0 }
        rows.sort {
          let a = sortKey[Int($0)]
          let b = sortKey[Int($1)]
          return a != b ? a < b : $0 < $1
        }
        for (i, r) in rows.enumerated() { rank[Int(r)] = i + 1 }
      }
      return .int(rank)
    default:
      break
    }
    let values = try num(x, count: n, span: span, "\(name) needs numbers, not strings")
    if case .int(let a) = values, name != "mean" {
      var acc = [Int](repeating: name == "sum" ? 0 : m, count: g)
      var bad = [Bool](repeating: false, count: g)
      for r in 0..<n where a[r] != m {
        let k = Int(keys.codes[r])
        switch name {
        case "sum":
          let s = acc[k].addingReportingOverflow(a[r])
          if s.overflow { bad[k] = true } else { acc[k] = s.partialValue }
        case "min": if acc[k] == m || a[r] < acc[k] { acc[k] = a[r] }
        default: if acc[k] == m || a[r] > acc[k] { acc[k] = a[r] }
        }
      }
      for k in 0..<g where bad[k] { acc[k] = m }
      return .int(spread(acc, missing: m))
    }
    let d = values.doubles
    let stats = Table.statistics(d, codes: keys.codes, groupCount: g)
    let perGroup = stats.map { p -> Double in
      switch name {
      case "sum": return p.total
      case "min": return p.min
      case "max": return p.max
      default: return p.mean
      }
    }
    return .double(spread(perGroup, missing: .nan))
  }
}
