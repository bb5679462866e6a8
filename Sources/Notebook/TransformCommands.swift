import Foundation
import RecData

/// `normalize`, `feature`, `onehot`, `join`: new and rescaled columns.
enum TransformCommands {
  static let all: [Command] = [normalize, feature, onehot, join]

  static let normalize = Command(
    name: "normalize", group: .transform, summary: "Rescale a numeric column",
    details: """
      minmax: (x - min) / (max - min), into [0, 1].  zscore: (x - mean) / std.
      log1p: log(1 + x).  sum: x / (sum of the column), as the classic tutorial does.
      user-mean: x minus the mean of x over the rows of the same `by` group
      (centre each user's ratings on that user's mean). With by=, minmax and zscore
      are computed per group. The column becomes double; into=NEW keeps the original.
      """,
    params: [Param("TABLE.COLUMN", .column)],
    options: [
      Option(
        "method", .choice(Table.NormalizeMethod.allCases.map(\.rawValue)), default: "minmax", "how to rescale"
      ),
      Option("by", .column, "the group column (user-mean needs it)"),
      Option("into", .string, "write to a new column instead of replacing"), CleanCommands.asOption,
    ],
    examples: [
      "normalize events.rating method=minmax",
      "normalize events.rating method=user-mean by=user into=rating_c",
    ],
    run: { s, a, _ throws(NotebookError) in
      guard let (name, col) = a.column("TABLE.COLUMN") else { return CellOutput() }
      let method = Table.NormalizeMethod(rawValue: a.text("method") ?? "minmax") ?? .minmax
      if method == .userMean, !a.has("by") {
        throw NotebookError(
          .badValue, "method=user-mean needs by=COLUMN (the user column)", span: a.span("method"),
          hint: "normalize \(name).\(col) method=user-mean by=user")
      }
      let t = try s.entry(name).table
      let into = a.text("into")
      let (result, report) = try CleanCommands.data(a.span("TABLE.COLUMN")) { () throws(DataError) in
        try t.normalized(col, method: method, by: a.text("by"), into: into)
      }
      let target = try CleanCommands.commit(
        &s, a, input: name, result, step: "normalize \(col) \(method.rawValue)")
      return .text("\(target).\(into ?? col): \(summary(report))")
    })

  /// What a normalization did, with the parameters a reader needs to apply it again.
  static func summary(_ r: NormalizeReport) -> String {
    let p = r.overall
    let per = r.group.map { " per \($0) (\(Fmt.count(r.groups.count, "group")))" } ?? ""
    switch r.method {
    case .minmax:
      return "minmax\(per): min \(Fmt.short(p.min)), max \(Fmt.short(p.max)) -> [0, 1]"
    case .zscore:
      return "zscore\(per): mean \(Fmt.short(p.mean)), std \(Fmt.short(p.std))"
    case .log1p:
      return
        "log1p: [\(Fmt.short(p.min)), \(Fmt.short(p.max))] -> [\(Fmt.short(log1p(p.min))), \(Fmt.short(log1p(p.max)))]"
    case .sum:
      return "sum: divided by the total \(Fmt.short(p.total))"
    case .userMean:
      return "user-mean\(per); overall mean \(Fmt.short(p.mean))"
    }
  }

  static let feature = Command(
    name: "feature", group: .transform, summary: "Add a column computed from an expression",
    details: """
      EXPR is an expression as in filter, plus column-wide functions:
        count(col)            rows sharing this row's value (a user's activity, an item's popularity)
        mean(x) by g          also sum, min, max, count: an aggregate over the row's group
        rank(x) by g          1-based rank of x within its group (a user's events in time order)
        bucket(x, width)      floor(x / width) * width
      """,
    params: [Param("TABLE.NEW", .newColumn), Param("=", .equals), Param("EXPR", .expression)],
    options: [],
    examples: [
      "feature events.hour = hour(ts)", "feature events.user_activity = count(user)",
      "feature events.mean_rating = mean(rating) by item", "feature items.price_band = bucket(price, 100)",
    ],
    run: { s, a, _ throws(NotebookError) in
      guard let (name, col) = a.column("TABLE.NEW"), let e = a.expression("EXPR") else { return CellOutput() }
      let t = try s.entry(name).table
      let column = try CleanCommands.data(a.span("EXPR")) { () throws(DataError) in
        try t.evaluate(e, tableName: name)
      }
      let replaced = t.index(of: col) != nil
      let result = t.setting(col, to: column)
      // Lineage marks a feature that reads other rows: computed before a split, it leaks.
      let step = e.readsOtherRows ? "feature \(col) \(TableEntry.allRowsMark)" : "feature \(col)"
      s.setTable(name, TableEntry(table: result, lineage: (s.tables[name]?.lineage ?? []) + [step]))
      let missing = column.missingCount
      var line = "\(name).\(col): \(replaced ? "replaced" : "added") (\(column.type.rawValue))"
      if missing > 0 { line += ", \(Fmt.count(missing, "missing value"))" }
      return .text(line)
    })

  static let onehot = Command(
    name: "onehot", group: .transform,
    summary: "One 0/1 column per value of a category (multi-hot with sep=)",
    params: [Param("TABLE.COLUMN", .column)],
    options: [
      Option("sep", .string, "split values on this separator for multi-hot (e.g. \"|\")"),
      Option("top", .int(min: 1, max: 10_000), "keep the most frequent values; the rest go to <prefix>other"),
      Option("prefix", .string, default: "COLUMN_", "prefix of the new columns' names"),
    ],
    examples: ["onehot items.category", "onehot items.tags sep=\"|\" top=10"],
    run: { s, a, _ throws(NotebookError) in
      guard let (name, col) = a.column("TABLE.COLUMN") else { return CellOutput() }
      let t = try s.entry(name).table
      let (result, added) = try CleanCommands.data(a.span("TABLE.COLUMN")) { () throws(DataError) in
        try t.oneHot(col, separator: a.text("sep"), top: a.int("top"), prefix: a.text("prefix"))
      }
      s.setTable(
        name, TableEntry(table: result, lineage: (s.tables[name]?.lineage ?? []) + ["onehot \(col)"]))
      let shown = added.prefix(8).joined(separator: ", ") + (added.count > 8 ? ", …" : "")
      return .text("\(name): added \(Fmt.count(added.count, "column")): \(shown)")
    })

  static let join = Command(
    name: "join", group: .transform, summary: "Add the columns of another table by a key (a left join)",
    details: """
      Every row of TABLE is kept, in order; rows without a match get missing values.
      The key must be unique in OTHER. Clashing column names get the suffix _OTHER.
      """,
    params: [
      Param("TABLE", .table), Param("with", .keyword("with")), Param("OTHER", .table),
      Param("on", .keyword("on")),
      Param("KEY", .value, help: "the key column (in both tables unless other-key= is given)"),
    ],
    options: [Option("other-key", .string, "the key column's name in OTHER"), CleanCommands.asOption],
    examples: ["join events with items on item", "join events with users on user as=enriched"],
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("TABLE") ?? ""
      let otherName = a.text("OTHER") ?? ""
      let key = a.value("KEY")?.description ?? ""
      let t = try s.entry(name).table
      let o = try s.entry(otherName).table
      let otherKey = a.text("other-key") ?? key
      if t.index(of: key) == nil {
        throw NotebookError(
          .unknownColumn, "unknown column '\(key)' in table '\(name)'", span: a.span("KEY"),
          hint: NotebookError.didYouMean(Suggest.closest(to: key, in: t.columnNames)))
      }
      if o.index(of: otherKey) == nil {
        throw NotebookError(
          .unknownColumn, "unknown column '\(otherKey)' in table '\(otherName)'",
          span: a.span("other-key") ?? a.span("KEY"),
          hint: NotebookError.didYouMean(Suggest.closest(to: otherKey, in: o.columnNames))
            ?? "name it with other-key=COLUMN")
      }
      let (result, matched) = try CleanCommands.data(a.span("KEY")) { () throws(DataError) in
        try t.leftJoin(o, on: key, otherKey: otherKey, otherName: otherName)
      }
      let target = try CleanCommands.commit(&s, a, input: name, result, step: "join \(otherName)")
      let added = result.columnNames.filter { !t.columnNames.contains($0) }
      return .text(
        "\(target): \(Fmt.int(matched)) of \(Fmt.count(t.rowCount, "row")) matched in \(otherName); added "
          + (added.isEmpty ? "no columns" : added.joined(separator: ", ")))
    })
}
