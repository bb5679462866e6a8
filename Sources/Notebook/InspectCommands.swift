import RecData
import RecTerm

/// `show`, `schema`, `describe`: looking at a table.
enum InspectCommands {
  static let all: [Command] = [show, schema, describe]

  /// The cell's table, narrowed to `columns=` when given.
  static func selectedTable(_ s: Session, _ a: Arguments) throws(NotebookError) -> Table {
    let t = try s.entry(a.text("TABLE") ?? "").table
    guard let cols = a.list("columns") else { return t }
    return try CleanCommands.data(a.span("columns")) { () throws(DataError) in try t.selecting(columns: cols)
    }
  }

  static let show = Command(
    name: "show", group: .inspect, summary: "Show the first rows of a table",
    params: [Param("TABLE", .table)],
    options: [
      Option("rows", .int(min: 0, max: 10_000), default: "10", "how many rows"),
      Option("offset", .int(min: 0, max: nil), default: "0", "the first row to show (0-based)"),
      Option("columns", .columns, "only these columns, in this order"),
    ],
    examples: ["show events", "show events rows=5 columns=user,item,event"],
    mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let t = try selectedTable(s, a)
      let n = a.int("rows") ?? 10
      let offset = min(a.int("offset") ?? 0, t.rowCount)
      let end = min(t.rowCount, offset + n)
      let rows = (offset..<end).map { r in t.columns.map { Fmt.cell($0[r]) } }
      let numeric = t.columns.map { $0.type != .string }
      var footer: String?
      let shown = end - offset
      if shown < t.rowCount {
        footer =
          "\(Fmt.int(shown)) of \(Fmt.count(t.rowCount, "row"))"
          + (offset > 0 ? " from row \(Fmt.int(offset))" : "")
      }
      return CellOutput([
        .table(TableBlock(headers: t.columnNames, numeric: numeric, rows: rows, footer: footer))
      ])
    })

  static let schema = Command(
    name: "schema", group: .inspect, summary: "List a table's columns with their types",
    params: [Param("TABLE", .table)], options: [], examples: ["schema events"],
    mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("TABLE") ?? ""
      let t = try s.entry(name).table
      var rows: [[String]] = []
      for (n, c) in zip(t.columnNames, t.columns) {
        let example = (0..<c.count).first { !c.isMissing($0) }.map { Fmt.cell(c[$0]) } ?? ""
        rows.append([n, c.type.rawValue, Fmt.int(c.missingCount), example])
      }
      return CellOutput([
        .text("\(name): \(t.shapeText)"),
        .table(
          TableBlock(
            headers: ["column", "type", "missing", "example"], numeric: [false, false, true, false],
            rows: rows)),
      ])
    })

  /// Widest a text value is shown in `describe`'s min and max columns.
  static let describeTextWidth = 20

  static let describe = Command(
    name: "describe", group: .inspect,
    summary: "Profile every column: counts, range, mean, std, top values",
    params: [Param("TABLE", .table)], options: [Option("columns", .columns, "only these columns")],
    examples: ["describe events", "describe events columns=rating,ts"],
    mutates: false,
    run: { s, a, ctx throws(NotebookError) in
      let t = try selectedTable(s, a)
      let summaries = t.describe()
      var rows: [[String]] = []
      var frequent: [[String]] = []
      // min and max sit in right-aligned columns, which never shrink (a cut number misleads), so
      // a long text there (a title, a URL) is cut here; the most-frequent table shrinks by itself.
      let ellipsis = ctx.unicode ? "…" : "..."
      let cut: (String) -> String = { TextWidth.truncate($0, to: describeTextWidth, ellipsis: ellipsis) }
      for d in summaries {
        let num: (Double?) -> String = { $0.map(Fmt.stat) ?? "" }
        let val: (Value?) -> String = { v in v.map { $0.number.map(Fmt.stat) ?? cut(Fmt.cell($0)) } ?? "" }
        rows.append([
          d.name, d.type.rawValue, Fmt.int(d.count), Fmt.int(d.missing), Fmt.int(d.distinct), val(d.min),
          val(d.max),
          num(d.mean), num(d.std),
        ])
        frequent.append([d.name] + d.top.prefix(3).map { "\(Fmt.cell($0.value)) (\(Fmt.int($0.count)))" })
      }
      let width = frequent.map(\.count).max() ?? 1
      frequent = frequent.map { $0 + Array(repeating: "", count: width - $0.count) }
      return CellOutput([
        .table(
          TableBlock(
            headers: ["column", "type", "count", "missing", "distinct", "min", "max", "mean", "std"],
            numeric: [false, false, true, true, true, true, true, true, true], rows: rows)),
        .text(""),
        .table(
          TableBlock(
            headers: ["column"] + ["most frequent", "2nd", "3rd"].prefix(width - 1),
            numeric: Array(repeating: false, count: width), rows: frequent)),
      ])
    })
}
