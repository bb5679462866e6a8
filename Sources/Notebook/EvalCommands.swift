import Foundation
import RecData
import RecEval
import RecModels
import RecTerm

/// `split`, `model`, `models`, `fit`, `evaluate`, `compare`: measuring models honestly.
enum EvalCommands {
  static let all: [Command] = [split] + ModelCommands.all + [evaluate, compare]

  static func eval<T>(_ span: Range<Int>?, _ body: () throws(EvalError) -> T) throws(NotebookError) -> T {
    do { return try body() } catch {
      throw NotebookError(.data, error.message, span: span, hint: NotebookError.didYouMean(error.suggestions))
    }
  }

  static let split = Command(
    name: "split", group: .evaluate, summary: "Split a table's interactions into train and test",
    details: """
      method=loo: each user's latest event is test (ties toward the larger item id; a
      seeded random event when there is no time column). leave-k: the k latest.
      temporal: every event at or after cut= (a time) or quantile= is test.
      random: a seeded share ratio= of events, per user (default) or global.
      validation=loo carves a validation part out of train for tuning.
      Roles: user=, item= (default user, item), time= (default ts or timestamp when
      present), rating= and weight= when given.
      """,
    params: [Param("NAME", .newTable), Param("from", .keyword("from")), Param("TABLE", .table)],
    options: [
      Option(
        "method", .choice(["loo", "leave-k", "temporal", "random"]), default: "loo", "how test is chosen"),
      Option("k", .int(min: 1, max: 1000), default: "1", "leave-k: events per user"),
      Option("ratio", .double(min: 0, max: 1), default: "0.2", "random: share of events in test"),
      Option("per-user", .bool, default: "true", "random: per user, or over all events"),
      Option("cut", .string, "temporal: where test starts: a time value, or a date 2026-03-01 (UTC)"),
      Option("quantile", .double(min: 0, max: 1), default: "0.8", "temporal: cut at this quantile of time"),
      Option(
        "validation", .choice(["none", "loo"]), default: "none", "carve a validation part out of train"),
      Option("user", .column, default: "user", "the user column"),
      Option("item", .column, default: "item", "the item column"),
      Option("time", .column, default: "ts or timestamp", "the time column"),
      Option("rating", .column, "the rating column (explicit feedback)"),
      Option("weight", .column, "the weight column (implicit feedback)"),
      Option("seed", .int(min: 0, max: nil), default: "the session seed", "seed of random choices"),
      Option("test", .string, "use this table as test (a split made elsewhere); TABLE is train"),
    ],
    examples: [
      "split s from events", "split s2 from events method=random ratio=0.2 seed=1",
      "split s3 from events method=temporal cut=2026-03-15",
    ],
    run: { s, a, ctx throws(NotebookError) in
      let name = a.text("NAME") ?? ""
      let tableName = a.text("TABLE") ?? ""
      let entry = try s.entry(tableName)
      let t = entry.table
      let time = a.text("time") ?? ["ts", "timestamp", "time"].first { t.index(of: $0) != nil }
      let roles = InteractionRoles(
        user: a.text("user") ?? "user", item: a.text("item") ?? "item", rating: a.text("rating"), time: time,
        weight: a.text("weight"))
      if let testName = a.text("test") {
        guard let testEntry = s.tables[testName] else {
          throw NotebookError(
            .unknownTable, "no table named '\(testName)'", span: a.span("test"),
            hint: NotebookError.didYouMean(Suggest.closest(to: testName, in: s.tableOrder)))
        }
        if let o = ["method", "validation", "k", "ratio", "cut", "quantile"].first(where: { a.has($0) }) {
          throw NotebookError(
            .badValue, "\(o)= does not apply when test= gives the test part", span: a.span(o))
        }
        let parts = try eval(a.span("test")) { () throws(EvalError) in
          try Interactions.build(tables: [(tableName, t), (testName, testEntry.table)], roles: roles)
        }
        let result = Split(
          name: name, method: .given(test: testName), seed: s.seed, train: parts[0], test: parts[1])
        s.splits[name] = result
        let sum = result.summary
        var out = CellOutput([
          .text("\(name): \(tableName) as train, \(testName) as test"),
          .table(
            TableBlock(
              headers: ["part", "rows", "users", "items"], numeric: [false, true, true, true],
              rows: [
                ["train", Fmt.int(sum.trainRows), Fmt.int(sum.trainUsers), Fmt.int(sum.trainItems)],
                ["test", Fmt.int(sum.testRows), Fmt.int(sum.testUsers), Fmt.int(sum.testItems)],
              ])),
        ])
        for w in result.warnings { out.append(.warning(w.description)) }
        return out
      }
      let data = try eval(a.span("TABLE")) { () throws(EvalError) in
        try Interactions(table: t, roles: roles, tableName: tableName)
      }
      let method: SplitMethod
      switch a.text("method") ?? "loo" {
      case "leave-k": method = .leaveKOut(a.int("k") ?? 1)
      case "temporal":
        if let cut = a.text("cut") {
          method = .temporal(.time(try timeValue(cut, span: a.span("cut"))))
        } else {
          method = .temporal(.quantile(a.double("quantile") ?? 0.8))
        }
      case "random":
        let r = a.double("ratio") ?? 0.2
        method = (a.bool("per-user") ?? true) ? .randomPerUser(ratio: r) : .randomGlobal(ratio: r)
      default: method = .leaveOneOut
      }
      let seed = a.int("seed").map { UInt64($0) } ?? s.seed
      let validation: SplitMethod? = a.text("validation") == "loo" ? .leaveOneOut : nil
      // What the split cannot do comes from how it was asked (a cut that leaves train empty, a
      // ratio that leaves a user nothing): the caret goes under that option when it was given.
      let asked = ["cut", "quantile", "ratio", "k", "method"].lazy.compactMap { a.span($0) }.first
      var result = try eval(asked ?? a.span("NAME")) { () throws(EvalError) in
        try Splitter.split(data, method: method, seed: seed, validation: validation, name: name)
      }
      // Leakage: statistics computed on the whole table before the split see the test rows.
      let leaky = entry.columnsFromAllRows
      if !leaky.isEmpty { result.warnings.append(.preparedBeforeSplit(table: tableName, columns: leaky)) }
      result.dataFilters = entry.filterSteps
      s.splits[name] = result
      let sum = result.summary
      var rows = [
        ["train", Fmt.int(sum.trainRows), Fmt.int(sum.trainUsers), Fmt.int(sum.trainItems)],
        ["test", Fmt.int(sum.testRows), Fmt.int(sum.testUsers), Fmt.int(sum.testItems)],
      ]
      if let v = result.validation {
        rows.insert(
          ["validation", Fmt.int(v.count), Fmt.int(v.activeUserCount), Fmt.int(v.activeItemCount)], at: 1)
      }
      var out = CellOutput([
        .text("\(name): \(method) of \(tableName) (\(Fmt.count(data.count, "interaction")), seed \(seed))"),
        .table(
          TableBlock(
            headers: ["part", "rows", "users", "items"], numeric: [false, true, true, true], rows: rows)),
      ])
      for w in result.warnings { out.append(.warning(w.description)) }
      _ = ctx
      return out
    })

  /// A cut given as a number (the time column's unit) or as a UTC date or date-time
  /// (`2026-03-01`, `2026-03-01T12:00:00`), which becomes Unix seconds.
  static func timeValue(_ text: String, span: Range<Int>?) throws(NotebookError) -> Double {
    if let v = Double(text), v.isFinite { return v }
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    for format in ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm"] {
      f.dateFormat = format
      if let d = f.date(from: text) { return d.timeIntervalSince1970 }
    }
    throw NotebookError(
      .badValue, "cut must be a number or a date like 2026-03-01 (UTC), found '\(text)'", span: span)
  }

  /// The evaluation options of a cell (`k=`, `metrics=`, `protocol=`, `candidates=`, `target=`, `by=`).
  static func options(_ a: Arguments, _ split: Split, seed: UInt64) throws(NotebookError) -> EvaluationOptions
  {
    var o = EvaluationOptions()
    // `ndcg@5` names the cut-off in the metric; one evaluation has one cut-off, so every `@N`
    // (in metrics= and compare's by=) must agree with each other and with k=.
    var cutoffs: [(Int, String, Range<Int>?)] = []
    if let names = a.list("metrics") {
      var ms: [Metric] = []
      for n in names {
        ms.append(try eval(a.span("metrics")) { () throws(EvalError) in try Metric.named(n) })
        if let c = try cutoff(in: n, span: a.span("metrics")) { cutoffs.append((c, n, a.span("metrics"))) }
      }
      o.metrics = ms
    }
    if let by = a.text("by"), by != "activity", let c = try cutoff(in: by, span: a.span("by")) {
      cutoffs.append((c, by, a.span("by")))
    }
    o.k = a.int("k") ?? cutoffs.first?.0 ?? 10
    if let clash = cutoffs.first(where: { $0.0 != o.k }) {
      let other = a.has("k") ? "k=\(o.k)" : "'\(cutoffs[0].1)'"
      throw NotebookError(
        .badValue, "'\(clash.1)' asks for the cut-off \(clash.0), but \(other) asks for \(o.k)",
        span: clash.2, hint: "an evaluation has one cut-off: write k=\(clash.0), or evaluate once per cut-off"
      )
    }
    if a.text("target") == "validation" {
      guard split.validation != nil else {
        throw NotebookError(
          .badValue, "split '\(split.name)' has no validation part", span: a.span("target"),
          hint: "make one with split ... validation=loo")
      }
      o.target = .validation
    }
    if let written = a.text("candidates") {
      let path = try CellParser.expandPath(written, a.span("candidates"))
      let c = try eval(a.span("candidates")) { () throws(EvalError) in
        try Candidates.read(path: path, for: split)
      }
      o.ranking = .sampled(c)
    } else if let p = a.text("protocol"), p != "full" {
      let parts = p.split(separator: ":")
      guard parts.count == 2, parts[0] == "sampled", let n = Int(parts[1]), n > 0 else {
        throw NotebookError(
          .badValue, "protocol must be full or sampled:N (N negatives per user), found '\(p)'",
          span: a.span("protocol"))
      }
      let c = try eval(a.span("protocol")) { () throws(EvalError) in
        try Candidates.sample(for: split, count: n, seed: seed)
      }
      o.ranking = .sampled(c)
    }
    if a.text("by") == "activity" { o.buckets = ActivityBuckets() }
    return o
  }

  /// The `N` of a metric written `ndcg@N`; `nil` when it has none.
  static func cutoff(in metric: String, span: Range<Int>?) throws(NotebookError) -> Int? {
    guard let at = metric.firstIndex(of: "@") else { return nil }
    let text = metric[metric.index(after: at)...]
    guard let n = Int(text), (1...10_000).contains(n) else {
      throw NotebookError(
        .badValue, "'\(metric)': the cut-off after @ must be a whole number from 1 to 10,000", span: span)
    }
    return n
  }

  static let evaluationOptions: [Option] = [
    Option("k", .int(min: 1, max: 10_000), default: "10", "the cut-off of the ranked list"),
    Option("metrics", .list, default: "hr,precision,recall,ndcg,map,mrr", "metrics (help metric NAME)"),
    Option("protocol", .string, default: "full", "full ranking, or sampled:N negatives per user"),
    Option("candidates", .string, "read each user's candidates from a file (user pos neg1 ...)"),
    Option("target", .choice(["test", "validation"]), default: "test", "the part to evaluate on"),
  ]

  static func fitted(_ s: Session, _ name: String, _ span: Range<Int>?, on split: Split? = nil)
    throws(NotebookError) -> ModelEntry
  {
    guard let m = s.models[name], m.fittedOn != nil else {
      throw NotebookError(.runtime, "model '\(name)' is not fitted", span: span, hint: "fit \(name) on SPLIT")
    }
    // A model from a file scores by its own dense indices: the split must index items alike.
    if let t = m.loaded, let split, t.items != split.train.items || t.users != split.train.users {
      throw NotebookError(
        .data,
        "model '\(name)' was trained on other data (\(Fmt.count(t.users.count, "user")), \(Fmt.count(t.items.count, "item"))) than split '\(split.name)' holds",
        span: span, hint: "evaluate it on a split of the data it was trained on")
    }
    return m
  }

  static let evaluate = Command(
    name: "evaluate", group: .evaluate, summary: "Measure a fitted model on a split",
    details: """
      Full ranking (the default) ranks every item the user has not interacted with
      in train; sampled:N ranks the test item among N sampled negatives (ties count
      against the model). Sampled metrics overstate quality and do not rank models
      reliably. Values are means over test users, with standard errors.
      """,
    params: [Param("MODEL", .model), Param("on", .keyword("on")), Param("SPLIT", .split)],
    options: evaluationOptions + [
      Option("by", .choice(["activity"]), "also report cold, light and heavy users")
    ],
    examples: ["evaluate popular on s", "evaluate popular on s k=20 metrics=hr,ndcg protocol=sampled:20"],
    mutates: false,
    run: { s, a, ctx throws(NotebookError) in
      let name = a.text("MODEL") ?? ""
      guard let split = s.splits[a.text("SPLIT") ?? ""] else { return CellOutput() }
      let m = try fitted(s, name, a.span("MODEL"), on: split)
      let o = try options(a, split, seed: s.seed)
      let scorer = m.model
      let report = try eval(a.span("MODEL")) { () throws(EvalError) in
        try Evaluator.evaluate(Named(base: scorer, name: name), on: split, options: o)
      }
      var out = CellOutput()
      let rows = report.values.map { v in
        [
          v.label, NumberFormat.decimal(v.value, digits: 4),
          v.standardError.map { NumberFormat.decimal($0, digits: 4) } ?? "",
        ]
      }
      let part = o.target == .validation ? "validation user" : "test user"
      out.append(.text("\(name) on \(split.name): \(Fmt.count(report.users, part))"))
      out.append(
        .table(TableBlock(headers: ["metric", "value", "± s.e."], numeric: [false, true, true], rows: rows)))
      for b in report.breakdown {
        let vals = b.values.map { "\($0.label) \(NumberFormat.decimal($0.value, digits: 4))" }.joined(
          separator: ", ")
        out.append(.text("\(b.name) (\(Fmt.count(b.users, "user"))): \(vals)"))
      }
      for w in report.warnings { out.append(.warning(w.description)) }
      out.append(.text("protocol:"))
      for l in report.card.lines { out.append(.text("  " + l)) }
      _ = ctx
      return out
    })

  static let compare = Command(
    name: "compare", group: .evaluate, summary: "A leaderboard of fitted models on one split",
    params: [Param("MODELS", .models), Param("on", .keyword("on")), Param("SPLIT", .split)],
    options: evaluationOptions + [Option("by", .string, default: "the first metric", "sort by this metric")],
    examples: ["compare popular,chance on s by=ndcg"], mutates: false,
    run: { s, a, ctx throws(NotebookError) in
      guard let split = s.splits[a.text("SPLIT") ?? ""], let names = a.list("MODELS") else {
        return CellOutput()
      }
      var o = try options(a, split, seed: s.seed)
      o.buckets = nil
      var sortBy: Metric?
      if let by = a.text("by") {
        let m = try eval(a.span("by")) { () throws(EvalError) in try Metric.named(by) }
        if !o.metrics.contains(m) { o.metrics.append(m) }
        sortBy = m
      }
      var reports: [EvaluationReport] = []
      for n in names {
        let m = try fitted(s, n, a.span("MODELS"), on: split)
        reports.append(
          try eval(a.span("MODELS")) { () throws(EvalError) in
            try Evaluator.evaluate(Named(base: m.model, name: n), on: split, options: o)
          })
      }
      let board = Leaderboard(reports, by: sortBy)
      let rows = board.rows.enumerated().map { i, r in
        [String(i + 1), r.model] + r.values.map { $0.map { NumberFormat.decimal($0.value, digits: 4) } ?? "" }
      }
      var out = CellOutput([
        .table(
          TableBlock(
            headers: ["#", "model"] + board.columns,
            numeric: [true, false] + board.columns.map { _ in true }, rows: rows))
      ])
      if let metric = board.sortedBy,
        let col = board.rows.first?.values.firstIndex(where: { $0?.metric == metric })
      {
        // Drawn when the output is rendered: plain at the notebook width for the record, at the
        // terminal's width and in colour for the screen.
        let labels = board.rows.map(\.model)
        let values = board.rows.map { $0.values[col]?.value ?? 0 }
        let title = metric.label(k: o.k)
        out.append(.text(""))
        out.append(
          .drawing { style in
            Plot.bar(
              labels: labels, values: values, title: title, style: style,
              format: { NumberFormat.decimal($0, digits: 4) })
          })
      }
      for w in Set(reports.flatMap(\.warnings).map(\.description) + board.warnings.map(\.description))
        .sorted()
      {
        out.append(.warning(w))
      }
      if let card = reports.first?.card {
        out.append(.text("protocol:"))
        for l in card.lines { out.append(.text("  " + l)) }
      }
      return out
    })
}

/// A model under the name the session gave it, for reports and leaderboards.
struct Named: ItemScorer {
  var base: any Recommender
  var name: String
  func score(user: Int, into scores: inout [Float]) { base.score(user: user, into: &scores) }
  func score(users: [Int], itemCount: Int, into scores: inout [Float]) {
    base.score(users: users, itemCount: itemCount, into: &scores)
  }
}
