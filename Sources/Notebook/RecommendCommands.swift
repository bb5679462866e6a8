import Foundation
import RecData
import RecEval
import RecModels

/// `recommend`, `similar`, `explain`, `export recommendations`: a fitted model asked by raw
/// ids, through the same `TrainedModel` the HTTP service answers with.
enum RecommendCommands {
  static let all: [Command] = [recommend, similar, explain, export]

  static let itemsOption = Option(
    "items", .string, default: "a table named items, if any",
    "a table of item metadata (title, category ...) keyed by the item id column")
  static let columnsOption = Option("columns", .list, default: "all", "the metadata columns to show")

  /// The fitted model as a `TrainedModel` with item metadata attached (from `items=TABLE`, or
  /// the session's table named `items` when it has the item id column).
  static func trained(_ s: Session, _ a: Arguments) throws(NotebookError) -> (TrainedModel, Table?) {
    let name = a.text("MODEL") ?? ""
    let entry = try EvalCommands.fitted(s, name, a.span("MODEL"))
    if var t = entry.loaded {
      var table: Table?
      if let itemsName = a.text("items") {
        guard let e = s.tables[itemsName] else {
          throw NotebookError(.unknownTable, "no table named '\(itemsName)'", span: a.span("items"))
        }
        table = e.table
        t.attachMetadata(e.table, key: a.text("item-key") ?? "item", columns: a.list("columns"))
      }
      return (t, table)
    }
    guard let splitName = entry.fittedOn, let split = s.splits[splitName] else {
      throw NotebookError(
        .runtime, "the split '\(entry.fittedOn ?? "")' that \(name) was fitted on no longer exists",
        span: a.span("MODEL"), hint: "fit \(name) on SPLIT")
    }
    var t = TrainedModel(
      name: name, type: entry.type, options: [:], model: entry.model, train: split.train, trainedOn: splitName
    )
    let key = split.train.roles.item
    var table: Table?
    if let itemsName = a.text("items") {
      guard let e = s.tables[itemsName] else {
        throw NotebookError(
          .unknownTable, "no table named '\(itemsName)'", span: a.span("items"),
          hint: NotebookError.didYouMean(Suggest.closest(to: itemsName, in: s.tableOrder)))
      }
      guard e.table.column(key) != nil else {
        throw NotebookError(
          .badValue, "table '\(itemsName)' has no column '\(key)' (the split's item column)",
          span: a.span("items"))
      }
      table = e.table
    } else if let e = s.tables["items"], e.table.column(key) != nil {
      table = e.table
    }
    if let table {
      if let cols = a.list("columns") {
        for c in cols where table.column(c) == nil {
          throw NotebookError(
            .unknownColumn, "the item table has no column '\(c)'", span: a.span("columns"),
            hint: NotebookError.didYouMean(Suggest.closest(to: c, in: table.columnNames)))
        }
      }
      t.attachMetadata(table, key: key, columns: a.list("columns"))
    }
    return (t, table)
  }

  /// A CSV field: quoted when it holds a comma, quote or line break (RFC 4180).
  static func csvField(_ v: String) -> String {
    guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
    return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func service<T>(_ span: Range<Int>?, _ body: () throws(ServiceError) -> T) throws(NotebookError) -> T
  {
    do { return try body() } catch {
      switch error {
      case .unknownUser(let u):
        throw NotebookError(
          .badValue, "unknown user '\(u)'", span: span,
          hint: "the model has no data on this user: model ... fallback=pop serves new users")
      default: throw NotebookError(.badValue, error.description, span: span)
      }
    }
  }

  static func table(_ list: RecommendationList, _ t: TrainedModel) -> TableBlock {
    let cols = t.metadataColumns
    return TableBlock(
      headers: ["rank", "item", "score"] + cols, numeric: [true, false, true] + cols.map { _ in false },
      rows: list.items.map { r in
        [String(r.rank), r.item, Fmt.stat(r.score)] + cols.map { r.metadata[$0] ?? "" }
      })
  }

  static let recommend = Command(
    name: "recommend", group: .deploy, summary: "Top items for a user, or for a history given now",
    details: """
      user=ID ranks every item the user did not have in training (exclude-seen=false
      keeps them); history=ID,ID,... ranks for a new user or session, oldest first.
      Item metadata comes from items=TABLE (or a table named items). 'where EXPR'
      keeps items whose metadata satisfies EXPR. Users the model has no data for
      get its cold-start fallback (model ... fallback=pop), marked as such.
      """,
    params: [
      Param("MODEL", .model), Param("where", .keyword("where"), optional: true),
      Param("EXPR", .expression, optional: true),
    ],
    options: [
      Option("user", .string, "the user's id"), Option("history", .list, "item ids, oldest first"),
      Option("k", .int(min: 1, max: 10_000), default: "10", "how many items"),
      Option("exclude-seen", .bool, default: "true", "leave out the user's training items"), itemsOption,
      columnsOption,
    ],
    examples: [
      "recommend knn user=U0001 k=5", "recommend knn history=P0001,P0002 k=3 columns=title,category",
      "recommend popular user=U0001 k=3 where category == \"book\"",
    ],
    mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let (t, itemTable) = try trained(s, a)
      let k = a.int("k") ?? 10
      guard a.has("user") != a.has("history") else {
        throw NotebookError(
          .badValue, "give either user=ID or history=ID,ID,... (one of them)", span: a.span("MODEL"))
      }
      // With a filter, rank everything and keep the first k allowed.
      var allowed: Set<String>?
      if let e = a.expression("EXPR") {
        guard let itemTable else {
          throw NotebookError(
            .badValue, "'where' filters on item metadata: give items=TABLE", span: a.span("EXPR"))
        }
        let keep = try CleanCommands.data(a.span("EXPR")) { () throws(DataError) in
          try itemTable.filtered(where: e, tableName: "items").0
        }
        let key = s.splits[t.info.trainedOn]?.train.roles.item ?? "item"
        allowed = Set((keep.column(key).map { c in (0..<c.count).map { c[$0].description } }) ?? [])
      }
      let n = allowed == nil ? k : t.items.count
      var list: RecommendationList
      var who: String
      if let u = a.text("user") {
        list = try service(a.span("user")) { () throws(ServiceError) in
          try t.recommend(user: u, k: n, excludeSeen: a.bool("exclude-seen") ?? true)
        }
        who = "user \(u)"
      } else {
        let h = a.list("history") ?? []
        list = try service(a.span("history")) { () throws(ServiceError) in try t.recommend(history: h, k: n) }
        who = "a history of \(Fmt.count(h.count, "item"))"
      }
      if let allowed {
        list.items = Array(list.items.filter { allowed.contains($0.item) }.prefix(k))
        for i in list.items.indices { list.items[i].rank = i + 1 }
      }
      var out = CellOutput()
      out.append(
        .text(
          "\(t.info.name): top \(list.items.count) for \(who)"
            + (list.coldStart ? " (cold start: \(list.source) answered)" : "")))
      out.append(.table(table(list, t)))
      return out
    })

  static let similar = Command(
    name: "similar", group: .deploy, summary: "Items most similar to an item",
    params: [Param("MODEL", .model)],
    options: [
      Option("item", .string, "the item's id"),
      Option("k", .int(min: 1, max: 10_000), default: "10", "how many"),
      itemsOption, columnsOption,
    ],
    examples: ["similar knn item=P0001 k=5"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let (t, _) = try trained(s, a)
      guard let item = a.text("item") else {
        throw NotebookError(.badValue, "similar needs item=ID", span: a.span("MODEL"))
      }
      let list = try service(a.span("item")) { () throws(ServiceError) in
        try t.similar(item: item, k: a.int("k") ?? 10)
      }
      return CellOutput([.text("\(t.info.name): items most similar to \(item)"), .table(table(list, t))])
    })

  static let explain = Command(
    name: "explain", group: .deploy, summary: "Why a model recommends an item to a user",
    details: """
      Lists the user's training items that contributed most to the item's score:
      item-kNN's similarities, ALS's user-weighted item terms, or for other models
      the drop in the score when each item is left out of the history.
      """,
    params: [Param("MODEL", .model)],
    options: [
      Option("user", .string, "the user's id"), Option("item", .string, "the item's id"), itemsOption,
      columnsOption,
    ],
    examples: ["explain knn user=U0001 item=P0019"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let (t, _) = try trained(s, a)
      guard let user = a.text("user"), let item = a.text("item") else {
        throw NotebookError(.badValue, "explain needs user=ID and item=ID", span: a.span("MODEL"))
      }
      let e = try service(a.span("item")) { () throws(ServiceError) in try t.explain(user: user, item: item) }
      let cols = t.metadataColumns
      return CellOutput([
        .text("\(t.info.name): item \(item) scores \(Fmt.stat(e.score)) for user \(user)"),
        .text("contributions (\(e.method)):"),
        .table(
          TableBlock(
            headers: ["item", "contribution"] + cols, numeric: [false, true] + cols.map { _ in false },
            rows: e.contributions.map { c in [c.item, Fmt.stat(c.weight)] + cols.map { c.metadata[$0] ?? "" }
            })),
      ])
    })

  static let export = Command(
    name: "export recommendations", group: .deploy, summary: "Write the top k of every user to a CSV file",
    details: """
      One row per (user, rank): user,rank,item,score, for every user with training
      data, without their training items. Written to a temporary file and renamed.
      """,
    params: [Param("MODEL", .model), Param("to", .keyword("to")), Param("PATH", .path)],
    options: [Option("k", .int(min: 1, max: 10_000), default: "10", "items per user")],
    examples: ["export recommendations knn to /tmp/recbook-recommendations.csv k=5"], mutates: false,
    run: { s, a, ctx throws(NotebookError) in
      let (t, _) = try trained(s, a)
      let path = a.text("PATH") ?? ""
      let k = a.int("k") ?? 10
      let clock = ContinuousClock()
      let start = clock.now
      let users = (0..<t.users.count).filter { t.seen.count(ofRow: $0) > 0 }
      var text = "user,rank,item,score\n"
      let n = t.items.count
      let batch = 256
      var done = 0
      for start in stride(from: 0, to: users.count, by: batch) {
        if ctx.isCancelled() { throw NotebookError(.cancelled, "interrupted; nothing was written") }
        let group = Array(users[start..<min(start + batch, users.count)])
        var scores = [Float](repeating: 0, count: group.count * n)
        t.model.score(users: group, itemCount: n, into: &scores)
        for (j, u) in group.enumerated() {
          let row = Array(scores[(j * n)..<((j + 1) * n)])
          let top = TopK.select(row, k: k, excluding: t.seen.columns(ofRow: u))
          let uid = csvField(t.users.value(at: u).description)
          for (r, i) in top.enumerated() {
            text += "\(uid),\(r + 1),\(csvField(t.itemID(Int(i)))),\(row[Int(i)])\n"
          }
        }
        done += group.count
        ctx.progress?(WorkProgress(label: "export", done: done, total: users.count))
      }
      do {
        let url = URL(fileURLWithPath: path)
        try Data(text.utf8).write(to: url, options: .atomic)
      } catch {
        throw NotebookError(.io, "cannot write \(path): \(error.localizedDescription)", span: a.span("PATH"))
      }
      return CellOutput([
        .text("wrote the top \(k) of \(Fmt.count(users.count, "user")) to \(path)"),
        .volatile("exported in \(Fmt.seconds((clock.now - start).seconds))"),
      ])
    })
}
