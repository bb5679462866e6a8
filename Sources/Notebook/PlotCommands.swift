import RecData
import RecTerm

/// `plot hist|bar|line|scatter|heatmap`: pictures of a table, drawn by RecTerm
/// with braille and block characters (ASCII when Unicode is off), at the width
/// the cell renders at.
enum PlotCommands {
  static let all: [Command] = [histogram, bar, line, scatter, heatmap]

  /// A plot, drawn when the output is rendered: plain at the session's width for the
  /// recorded history, and again in colour at the screen's width when they differ.
  static func drawing(_ draw: @escaping @Sendable (RenderStyle) -> String) -> CellOutput {
    CellOutput([.drawing(draw)])
  }

  /// A column of `table` (the parser has checked that it exists).
  static func col(_ table: Table, _ name: String) throws(NotebookError) -> Column {
    do { return try table.requireColumn(name) } catch { throw NotebookError(error) }
  }

  /// The numbers of a column, or a clear error for a string column.
  static func numbers(_ c: Column, _ name: String, _ span: Range<Int>?) throws(NotebookError) -> [Double?] {
    guard let d = c.doubles else {
      throw NotebookError(
        .badValue, "column '\(name)' holds strings; this plot needs numbers", span: span,
        hint: "plot bar draws the counts of a categorical column")
    }
    return d.map { $0.isNaN ? nil : $0 }
  }

  static let histogram = Command(
    name: "plot hist", group: .inspect, summary: "Histogram of a numeric column",
    params: [Param("TABLE.COLUMN", .column)],
    options: [Option("bins", .int(min: 1, max: 200), default: "20", "number of bins")],
    examples: ["plot hist events.rating bins=5", "plot hist items.price bins=30"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      guard let (t, c) = a.column("TABLE.COLUMN") else { return CellOutput() }
      let col = try col(s.entry(t).table, c)
      let values = try numbers(col, c, a.span("TABLE.COLUMN"))
      let bins = a.int("bins") ?? 20
      return drawing { Plot.histogram(values: values, bins: bins, title: "\(t).\(c)", style: $0) }
    })

  static let bar = Command(
    name: "plot bar", group: .inspect, summary: "Bar chart of the most frequent values of a column",
    params: [Param("TABLE.COLUMN", .column)],
    options: [Option("top", .int(min: 1, max: 100), default: "10", "how many values")],
    examples: ["plot bar events.event", "plot bar items.category top=5"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      guard let (t, c) = a.column("TABLE.COLUMN") else { return CellOutput() }
      let col = try col(s.entry(t).table, c)
      let top = a.int("top") ?? 10
      let counts = Counting.frequencies(col)
      let shown = counts.prefix(top)
      var title = "\(t).\(c): count"
      if counts.count > top { title += " (top \(top) of \(Fmt.int(counts.count)) values)" }
      let labels = shown.map { Fmt.cell($0.value) }
      let values = shown.map { Double($0.count) }
      return drawing { [title] style in
        Plot.bar(
          labels: labels, values: values, title: title, style: style, format: { NumberFormat.integer($0) })
      }
    })

  static let line = Command(
    name: "plot line", group: .inspect,
    summary: "Line chart of rows (or a value) over a numeric column",
    details: """
      Rows are grouped by X; each group's y is agg(y=COL), or the row count.
      With by=COL one line is drawn per value of COL (the 6 most frequent).
      """,
    params: [Param("TABLE.X", .column)],
    options: [
      Option("y", .column, "the column to aggregate (default: count rows)"),
      Option("agg", .choice(["count", "sum", "mean"]), default: "count, or mean with y=", "the aggregate"),
      Option("by", .column, "draw one line per value of this column"),
    ],
    examples: ["plot line events.hour", "plot line events.hour y=rating agg=mean by=device"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      guard let (t, xName) = a.column("TABLE.X") else { return CellOutput() }
      let table = try s.entry(t).table
      let xs = try numbers(try col(table, xName), xName, a.span("TABLE.X"))
      var ys: [Double?]?
      if let y = a.text("y") { ys = try numbers(try col(table, y), y, a.span("y")) }
      let agg = a.text("agg") ?? (ys == nil ? "count" : "mean")
      if agg != "count", ys == nil {
        throw NotebookError(.badValue, "agg=\(agg) needs y=COLUMN", span: a.span("agg"))
      }
      var groups: [(String, [Int])] = [("all", Array(0..<table.rowCount))]
      if let by = a.text("by") {
        let g = try col(table, by)
        let top = Counting.frequencies(g).prefix(6).map(\.value)
        groups = top.map { v in (Fmt.cell(v), (0..<table.rowCount).filter { g[$0] == v }) }
      }
      var series: [(name: String, points: [(Double, Double)])] = []
      for (name, rows) in groups {
        var sums: [Double: (Double, Int)] = [:]
        for r in rows {
          guard let x = xs[r] else { continue }
          let y: Double
          if let ys {
            guard let v = ys[r] else { continue }
            y = v
          } else {
            y = 1
          }
          let (sum, n) = sums[x] ?? (0, 0)
          sums[x] = (sum + y, n + 1)
        }
        let points = sums.keys.sorted().map { x -> (Double, Double) in
          let (sum, n) = sums[x] ?? (0, 1)
          return (x, agg == "mean" ? sum / Double(n) : sum)
        }
        series.append((name: name, points: points))
      }
      let yLabel = ys == nil ? "rows" : "\(agg)(\(a.text("y") ?? ""))"
      return drawing { [series] style in
        Plot.line(
          series: series, title: "\(t): \(yLabel) by \(xName)", xLabel: xName, yLabel: yLabel, style: style)
      }
    })

  static let scatter = Command(
    name: "plot scatter", group: .inspect, summary: "Scatter plot of two numeric columns",
    params: [Param("TABLE.X", .column), Param("TABLE.Y", .column)],
    options: [],
    examples: ["plot scatter items.price items.log_price"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      guard let (t, xName) = a.column("TABLE.X"), let (t2, yName) = a.column("TABLE.Y") else {
        return CellOutput()
      }
      guard t == t2 else {
        throw NotebookError(
          .badValue, "both columns must come from one table ('\(t)' and '\(t2)')", span: a.span("TABLE.Y"))
      }
      let table = try s.entry(t).table
      let xs = try numbers(try col(table, xName), xName, a.span("TABLE.X"))
      let ys = try numbers(try col(table, yName), yName, a.span("TABLE.Y"))
      var px: [Double] = []
      var py: [Double] = []
      for (x, y) in zip(xs, ys) {
        if let x, let y {
          px.append(x)
          py.append(y)
        }
      }
      return drawing { [px, py] style in
        Plot.scatter(
          x: px, y: py, title: "\(t): \(yName) vs \(xName)", xLabel: xName, yLabel: yName, style: style)
      }
    })

  static let heatmap = Command(
    name: "plot heatmap", group: .inspect,
    summary: "Heatmap of rows (or a value) over two columns",
    params: [Param("TABLE.ROW", .column), Param("TABLE.COLUMN", .column)],
    options: [
      Option("value", .column, "aggregate this column instead of counting rows"),
      Option(
        "agg", .choice(["count", "sum", "mean"]), default: "count, or mean with value=", "the aggregate"),
    ],
    examples: ["plot heatmap events.weekday events.hour"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      guard let (t, rName) = a.column("TABLE.ROW"), let (t2, cName) = a.column("TABLE.COLUMN") else {
        return CellOutput()
      }
      guard t == t2 else {
        throw NotebookError(
          .badValue, "both columns must come from one table ('\(t)' and '\(t2)')",
          span: a.span("TABLE.COLUMN"))
      }
      let table = try s.entry(t).table
      let rc = try col(table, rName)
      let cc = try col(table, cName)
      var vs: [Double?]?
      if let v = a.text("value") { vs = try numbers(try col(table, v), v, a.span("value")) }
      let agg = a.text("agg") ?? (vs == nil ? "count" : "mean")
      if agg != "count", vs == nil {
        throw NotebookError(.badValue, "agg=\(agg) needs value=COLUMN", span: a.span("agg"))
      }
      let rowKeys = Counting.sortedDistinct(rc)
      let colKeys = Counting.sortedDistinct(cc)
      guard rowKeys.count <= 60, colKeys.count <= 200 else {
        throw NotebookError(
          .badValue,
          "too many distinct values for a heatmap (\(rowKeys.count) rows x \(colKeys.count) columns)",
          span: a.span("TABLE.ROW"), hint: "bucket the column first: feature T.b = bucket(x, width)")
      }
      var rIndex: [Value: Int] = [:]
      for (i, k) in rowKeys.enumerated() { rIndex[k] = i }
      var cIndex: [Value: Int] = [:]
      for (i, k) in colKeys.enumerated() { cIndex[k] = i }
      var sum = [[Double]](repeating: [Double](repeating: 0, count: colKeys.count), count: rowKeys.count)
      var n = [[Int]](repeating: [Int](repeating: 0, count: colKeys.count), count: rowKeys.count)
      for r in 0..<table.rowCount {
        guard let i = rIndex[rc[r]], let j = cIndex[cc[r]] else { continue }
        if let vs {
          guard let v = vs[r] else { continue }
          sum[i][j] += v
        } else {
          sum[i][j] += 1
        }
        n[i][j] += 1
      }
      let values: [[Double?]] = (0..<rowKeys.count).map { i in
        (0..<colKeys.count).map { j in
          if agg == "mean" { return n[i][j] == 0 ? nil : sum[i][j] / Double(n[i][j]) }
          return sum[i][j]
        }
      }
      let what = vs == nil ? "rows" : "\(agg)(\(a.text("value") ?? ""))"
      let rowLabels = rowKeys.map(Fmt.cell)
      let columnLabels = colKeys.map(Fmt.cell)
      return drawing { style in
        Plot.heatmap(
          rows: rowLabels, columns: columnLabels, values: values,
          title: "\(t): \(what) by \(rName) x \(cName)", style: style)
      }
    })
}

/// Value counts for plots, in a deterministic order.
enum Counting {
  /// Present values with their counts, most frequent first, ties by value text.
  static func frequencies(_ c: Column) -> [(value: Value, count: Int)] {
    var counts: [Value: Int] = [:]
    for r in 0..<c.count where !c.isMissing(r) { counts[c[r], default: 0] += 1 }
    return counts.map { (value: $0.key, count: $0.value) }.sorted {
      $0.count != $1.count ? $0.count > $1.count : $0.value.description < $1.value.description
    }
  }

  /// The distinct present values in ascending order (numbers by value, strings by text).
  static func sortedDistinct(_ c: Column) -> [Value] {
    var seen = Set<Value>()
    for r in 0..<c.count where !c.isMissing(r) { seen.insert(c[r]) }
    return seen.sorted { a, b in
      if let x = a.number, let y = b.number { return x < y }
      return a.description < b.description
    }
  }
}
