import RecData

/// `dedupe`, `dropna`, `fillna`, `clip`, `filter`, `kcore`: cleaning a table.
///
/// Each writes its result back to the table, or to a new table with `as=NAME`.
enum CleanCommands {
  static let all: [Command] = [dedupe, dropna, fillna, clip, filter, kcore]

  static let asOption = Option("as", .string, "write the result to a new table of this name")

  /// Stores `table` under the cell's result name (`as=` or the input's) with one more lineage step.
  static func commit(_ s: inout Session, _ a: Arguments, input: String, _ table: Table, step: String)
    throws(NotebookError) -> String
  {
    let target = a.text("as") ?? input
    if a.has("as") {
      let ok =
        target.first.map { $0.isLetter || $0 == "_" } == true
        && target.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
      guard ok else {
        throw NotebookError(.badValue, "'\(target)' is not a valid table name", span: a.span("as"))
      }
    }
    let lineage = (s.tables[input]?.lineage ?? []) + [step]
    s.setTable(target, TableEntry(table: table, lineage: lineage))
    return target
  }

  /// Runs a data-layer operation, turning its error into a diagnostic at `span`.
  static func data<T>(_ span: Range<Int>?, _ body: () throws(DataError) -> T) throws(NotebookError) -> T {
    do { return try body() } catch { throw NotebookError(error, fallbackSpan: span) }
  }

  static let dedupe = Command(
    name: "dedupe", group: .clean, summary: "Remove duplicate rows",
    details: """
      Rows that repeat an earlier row on the `by` columns (all columns by default)
      are removed. With order=COL the rows are first ordered by that column, so
      keep=last keeps the latest (for example the last rating a user gave an item).
      """,
    params: [Param("TABLE", .table)],
    options: [
      Option("by", .columns, default: "all columns", "the columns that define a duplicate"),
      Option("keep", .choice(["first", "last"]), default: "first", "which of the duplicates to keep"),
      Option("order", .column, "order rows by this column first"), asOption,
    ],
    examples: ["dedupe events", "dedupe events by=user,item keep=last order=ts"],
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("TABLE") ?? ""
      let t = try s.entry(name).table
      let keep: Table.KeepPolicy = a.text("keep") == "last" ? .last : .first
      let (result, removed) = try data(a.span("TABLE")) { () throws(DataError) in
        try t.deduplicated(by: a.list("by"), keep: keep, order: a.text("order"))
      }
      let by = a.list("by").map { " by=\($0.joined(separator: ","))" } ?? ""
      let target = try commit(&s, a, input: name, result, step: "dedupe\(by)")
      return .text(
        "\(target): removed \(Fmt.count(removed, "duplicate row")) (\(Fmt.percent(removed, of: t.rowCount))); "
          + "\(Fmt.int(result.rowCount)) remain")
    })

  static let dropna = Command(
    name: "dropna", group: .clean, summary: "Remove rows with missing values",
    params: [Param("TABLE", .table)],
    options: [
      Option("columns", .columns, default: "all columns", "look for missing values only here"), asOption,
    ],
    examples: ["dropna events columns=user,item", "dropna users"],
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("TABLE") ?? ""
      let t = try s.entry(name).table
      let cols = a.list("columns")
      let (result, removed) = try data(a.span("TABLE")) { () throws(DataError) in
        try t.droppingMissing(in: cols)
      }
      let target = try commit(&s, a, input: name, result, step: "dropna")
      let where_ = cols.map { " in \($0.joined(separator: ", "))" } ?? ""
      return .text(
        "\(target): removed \(Fmt.count(removed, "row")) with missing values\(where_); \(Fmt.int(result.rowCount)) remain"
      )
    })

  static let fillna = Command(
    name: "fillna", group: .clean, summary: "Fill missing values of a column",
    details: """
      Give either value=V (a number or "text") or method=mean|median|mode|forward;
      forward carries the last present value down the rows.
      """,
    params: [Param("TABLE.COLUMN", .column)],
    options: [
      Option("value", .value, "the value to fill in"),
      Option("method", .choice(["mean", "median", "mode", "forward"]), "compute the fill value"), asOption,
    ],
    examples: ["fillna users.age method=median", "fillna events.device value=\"unknown\""],
    run: { s, a, _ throws(NotebookError) in
      guard let (name, col) = a.column("TABLE.COLUMN") else { return CellOutput() }
      let t = try s.entry(name).table
      let fill: Table.Fill
      switch (a.value("value"), a.text("method")) {
      case (let v?, nil): fill = .value(v)
      case (nil, "mean"?): fill = .mean
      case (nil, "median"?): fill = .median
      case (nil, "mode"?): fill = .mode
      case (nil, "forward"?): fill = .forward
      case (_?, _?):
        throw NotebookError(.badValue, "give value= or method=, not both", span: a.span("method"))
      default:
        throw NotebookError(
          .badValue, "fillna needs value=V or method=mean|median|mode|forward", span: a.span("TABLE.COLUMN"))
      }
      let (result, filled) = try data(a.span("TABLE.COLUMN")) { () throws(DataError) in
        try t.fillingMissing(col, with: fill)
      }
      let target = try commit(&s, a, input: name, result, step: "fillna \(col)")
      return .text("\(target).\(col): filled \(Fmt.count(filled, "missing value"))")
    })

  static let clip = Command(
    name: "clip", group: .clean, summary: "Clip out-of-range values to bounds, or drop their rows",
    params: [Param("TABLE.COLUMN", .column)],
    options: [
      Option("min", .double(min: nil, max: nil), "the lower bound"),
      Option("max", .double(min: nil, max: nil), "the upper bound"),
      Option("drop", .bool, default: "false", "remove rows outside the bounds instead of clipping"), asOption,
    ],
    examples: ["clip events.rating min=1 max=5 drop=true", "clip items.price min=0"],
    run: { s, a, _ throws(NotebookError) in
      guard let (name, col) = a.column("TABLE.COLUMN") else { return CellOutput() }
      let lo = a.double("min")
      let hi = a.double("max")
      guard lo != nil || hi != nil else {
        throw NotebookError(.badValue, "clip needs min=, max= or both", span: a.span("TABLE.COLUMN"))
      }
      if let lo, let hi, lo > hi {
        throw NotebookError(
          .badValue, "min (\(Fmt.short(lo))) is greater than max (\(Fmt.short(hi)))", span: a.span("min"))
      }
      let drop = a.bool("drop") ?? false
      let t = try s.entry(name).table
      let (result, affected) = try data(a.span("TABLE.COLUMN")) { () throws(DataError) in
        try t.clipping(col, min: lo, max: hi, drop: drop)
      }
      let target = try commit(&s, a, input: name, result, step: "clip \(col)")
      let range = "[\(lo.map(Fmt.short) ?? "-inf"), \(hi.map(Fmt.short) ?? "inf")]"
      if drop {
        return .text(
          "\(target): removed \(Fmt.count(affected, "row")) with \(col) outside \(range); \(Fmt.int(result.rowCount)) remain"
        )
      }
      return .text("\(target).\(col): clipped \(Fmt.count(affected, "value")) to \(range)")
    })

  static let filter = Command(
    name: "filter", group: .clean, summary: "Keep the rows where a condition holds",
    details: """
      EXPR uses columns, numbers, "strings", + - * / %, == != < <= > >=, and or not,
      x in (a, b), and functions: log log1p exp sqrt abs round floor ceil min max clip
      bucket year month day weekday hour lower upper trim length contains startswith
      matches missing present coalesce if. Rows where EXPR is missing are dropped.
      Options go before 'where' (the expression runs to the end of the cell).
      """,
    params: [Param("TABLE", .table), Param("where", .keyword("where")), Param("EXPR", .expression)],
    options: [asOption],
    examples: [
      "filter events where rating >= 1 and rating <= 5 or missing(rating)",
      "filter events as=purchases where event == \"purchase\"",
      "filter events where matches(user, \"^U[0-9]{4}$\")",
    ],
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("TABLE") ?? ""
      guard let e = a.expression("EXPR") else { return CellOutput() }
      let t = try s.entry(name).table
      let (result, removed) = try data(a.span("EXPR")) { () throws(DataError) in
        try t.filtered(where: e, tableName: name)
      }
      let target = try commit(
        &s, a, input: name, result, step: "filter \(a.source.slice(a.span("EXPR") ?? 0..<0))")
      return .text(
        "\(target): kept \(Fmt.int(result.rowCount)) of \(Fmt.count(t.rowCount, "row")) (removed \(Fmt.int(removed)))"
      )
    })

  static let kcore = Command(
    name: "kcore", group: .clean,
    summary: "Keep users and items with at least k interactions (k-core)",
    params: [Param("TABLE", .table)],
    options: [
      Option("user", .column, default: "user", "the user column"),
      Option("item", .column, default: "item", "the item column"),
      Option("min-user", .int(min: 1, max: nil), default: "5", "fewest interactions a user keeps"),
      Option("min-item", .int(min: 1, max: nil), default: "5", "fewest interactions an item keeps"), asOption,
    ],
    examples: [
      "kcore events min-user=5 min-item=5", "kcore ratings user=user item=item min-user=10 min-item=10",
    ],
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("TABLE") ?? ""
      let t = try s.entry(name).table
      let user = a.text("user") ?? "user"
      let item = a.text("item") ?? "item"
      for (role, col) in [("user", user), ("item", item)] where t.index(of: col) == nil {
        throw NotebookError(
          .unknownColumn, "table '\(name)' has no column '\(col)' for the \(role)s",
          span: a.span(role) ?? a.span("TABLE"),
          hint: "name it with \(role)=COLUMN")
      }
      let (result, r) = try data(a.span("TABLE")) { () throws(DataError) in
        try t.kcore(user: user, item: item, minUser: a.int("min-user") ?? 5, minItem: a.int("min-item") ?? 5)
      }
      let target = try commit(
        &s, a, input: name, result, step: "kcore \(a.int("min-user") ?? 5)/\(a.int("min-item") ?? 5)")
      return CellOutput([
        .text("\(target): \(Fmt.count(r.iterations, "round")) until stable"),
        .table(
          TableBlock(
            headers: ["", "before", "after", "removed"], numeric: [false, true, true, true],
            rows: [
              [
                "users", Fmt.int(r.usersBefore), Fmt.int(r.usersAfter), Fmt.int(r.usersBefore - r.usersAfter),
              ],
              [
                "items", Fmt.int(r.itemsBefore), Fmt.int(r.itemsAfter), Fmt.int(r.itemsBefore - r.itemsAfter),
              ],
              ["rows", Fmt.int(r.rowsBefore), Fmt.int(r.rowsAfter), Fmt.int(r.rowsBefore - r.rowsAfter)],
            ])),
      ])
    })
}
