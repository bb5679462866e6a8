import Foundation
import RecData
import RecEval
import RecModels
import RecTerm

/// `seed`, `tables`, `drop`, `help`: verbs about the session itself.
enum SessionCommands {
  static let all: [Command] = [seed, tables, drop, undo, history, runNotebook, help]

  static let seed = Command(
    name: "seed", group: .session,
    summary: "Set the session seed that every random step draws from",
    details: """
      Each later cell draws from a generator derived from this seed and the cell's
      position, so replaying a notebook reproduces every number.
      """,
    params: [Param("N", .value, help: "a non-negative integer")], options: [],
    examples: ["seed 42"],
    run: { s, a, _ throws(NotebookError) in
      guard case .int(let v)? = a.value("N"), v >= 0 else {
        throw NotebookError(.badValue, "seed must be a non-negative integer", span: a.span("N"))
      }
      s.seed = UInt64(v)
      return .text("seed \(v)")
    })

  static let tables = Command(
    name: "tables", group: .session, summary: "List the tables in the session", params: [], options: [],
    examples: ["tables"],
    mutates: false,
    run: { s, _, _ in
      guard !s.tableOrder.isEmpty else { return .text("no tables yet: load one (help load)") }
      let rows = s.tableOrder.compactMap { name -> [String]? in
        guard let t = s.tables[name]?.table else { return nil }
        return [name, Fmt.int(t.rowCount), Fmt.int(t.columnCount), NumberFormat.bytes(t.byteSize)]
      }
      return CellOutput([
        .table(
          TableBlock(
            headers: ["table", "rows", "columns", "memory"], numeric: [false, true, true, true], rows: rows))
      ])
    })

  static let drop = Command(
    name: "drop", group: .session, summary: "Remove a table, or some of its columns",
    params: [Param("TABLE", .table)],
    options: [Option("columns", .columns, "only these columns")],
    examples: ["drop events columns=device", "drop events"],
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("TABLE") ?? ""
      if let cols = a.list("columns") {
        var e = try s.entry(name)
        e.table = e.table.removing(Set(cols))
        s.setTable(name, e)
        return .text("\(name): dropped \(Fmt.count(cols.count, "column")); \(e.table.shapeText)")
      }
      s.removeTable(name)
      return .text("dropped table \(name)")
    })

  static let undo = Command(
    name: "undo", group: .session, summary: "Undo the last cell that changed the session",
    details: """
      The session returns to how it was before that cell. The cell, the cells run
      after it and `undo` itself leave the session's history, so `save notebook`
      and the autosave hold only the cells still in effect. After `run FILE`, one
      `undo` undoes the whole run.
      """,
    params: [], options: [], examples: ["undo"], mutates: false,
    run: { s, _, _ throws(NotebookError) in
      guard let point = s.undoStack.popLast() else {
        throw NotebookError(.runtime, "nothing to undo")
      }
      s.tables = point.tables
      s.tableOrder = point.tableOrder
      s.splits = point.splits
      s.models = point.models
      s.modelOrder = point.modelOrder
      s.seed = point.seed
      s.history.removeLast(max(0, s.history.count - point.historyCount))
      s.cellCount = point.cellCount
      var out = CellOutput.text("undid: \(point.cell)")
      out.recordsCell = false
      return out
    })

  static let history = Command(
    name: "history", group: .session, summary: "List the cells this session has run",
    params: [], options: [Option("last", .int(min: 1, max: nil), default: "20", "how many")],
    examples: ["history", "history last=5"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let n = a.int("last") ?? 20
      guard !s.history.isEmpty else { return .text("no cells yet") }
      let start = max(0, s.history.count - n)
      let width = String(s.history.count).count
      var lines: [String] = []
      for (i, c) in s.history.enumerated().dropFirst(start) {
        let number = String(i + 1).leftPadded(to: width)
        lines.append(
          "\(number)  \(c.source.joined(separator: "\n" + String(repeating: " ", count: width + 2)))")
      }
      return CellOutput([.lines(lines)])
    })

  static let runNotebook = Command(
    name: "run", group: .session, summary: "Run the cells of a notebook file in this session",
    details: """
      Each cell runs as if typed here, and its output is printed. The first cell
      that fails stops the run, and the session stays as it was before `run`
      (cells recorded as expected errors, #!, are passed over). The session's
      history records the notebook's cells, not `run` itself, so a notebook saved
      afterwards holds them once; one `undo` undoes the whole run.
      """,
    params: [Param("PATH", .path)], options: [], examples: ["run notebooks/quickstart.recbook"],
    run: { s, a, ctx throws(NotebookError) in
      let path = a.text("PATH") ?? ""
      guard let data = FileManager.default.contents(atPath: path),
        let text = String(data: data, encoding: .utf8)
      else {
        throw NotebookError(.io, "cannot read notebook '\(path)'", span: a.span("PATH"))
      }
      // The cells are recorded in the session's style; printed, their outputs are indented
      // two columns, so they are shown two columns narrower (and plain: `run`'s lines are
      // drawn here, and commands never colour).
      var inner = ctx
      let screen = ctx.display ?? RenderStyle(width: ctx.width, unicode: ctx.unicode)
      inner.display = RenderStyle(width: max(20, screen.width - 2), unicode: screen.unicode, color: false)
      var runner = Runner(context: inner)
      // The runner pushed one undo point before this cell. The notebook's cells start with no
      // undo points (an `undo` in the file undoes only the file's cells, as on replay), and
      // theirs are dropped afterwards, so that `undo` undoes the whole run at once.
      let undoStack = s.undoStack
      runner.session = s
      runner.session.undoStack = []
      var out = CellOutput()
      var ran = 0
      for cell in NotebookFile(text: text).cells {
        switch runner.run(cell.source) {
        case .empty: continue
        case .success(let lines):
          ran += 1
          let body = lines.filter { $0.kind != .volatile }.map { $0.text.isEmpty ? "" : "  " + $0.text }
          out.append(.lines(cell.lines + body))
        case .failure(let e):
          if cell.output.contains(where: { $0.kind == .error }) { continue }
          let rendered = Diagnostic.render(e, in: cell.source, origin: path, fileStyle: true)
          throw NotebookError(.runtime, rendered.joined(separator: "\n"))
        }
      }
      s = runner.session
      s.undoStack = undoStack
      out.append(.text("ran \(Fmt.count(ran, "cell")) from \(path)"))
      out.recordsCell = false
      return out
    })

  static let help = Command(
    name: "help", group: .session, summary: "List the verbs, or explain one",
    params: [Param("VERB", .value, optional: true), Param("NAME", .value, optional: true)], options: [],
    examples: [
      "help", "help load", "help metric ndcg", "help model pop", "help models", "help pipeline", "help learn",
    ],
    mutates: false,
    run: { _, a, _ throws(NotebookError) in
      let table = CommandTable.standard
      guard let topicValue = a.value("VERB") else { return CellOutput([.lines(HelpText.overview(table))]) }
      let topic = topicValue.description
      if topic == "metric" || topic == "metrics" {
        guard let metric = a.value("NAME")?.description else {
          return CellOutput(
            [
              .lines(
                ["Metrics (help metric NAME for the formula):"] + Metric.allCases.map { "  \($0.rawValue)" })
            ])
        }
        let m = try EvalCommands.eval(a.span("NAME")) { () throws(EvalError) in try Metric.named(metric) }
        return CellOutput([.text(m.formula)])
      }
      if topic == "models" && a.value("NAME") == nil { return HelpText.models() }
      if topic == "pipeline" { return CellOutput([.lines(HelpText.pipeline)]) }
      if topic == "learn" { return CellOutput([.lines(HelpText.learn)]) }
      if topic == "model" || topic == "models", let typeName = a.value("NAME")?.description {
        guard let spec = ModelCatalog.named(typeName) else {
          throw NotebookError(
            .unknownVerb, "no model type '\(typeName)'", span: a.span("NAME"),
            hint: NotebookError.didYouMean(Suggest.closest(to: typeName, in: ModelCatalog.names))
              ?? "types: \(ModelCatalog.names.joined(separator: ", "))")
        }
        return CellOutput([.lines(ModelCommands.typeHelp(spec))])
      }
      let rest = a.value("NAME")?.description
      if let c = table[topic + (rest.map { " " + $0 } ?? "")] ?? table[topic] {
        return CellOutput([.lines(HelpText.verb(c))])
      }
      let subs = table.subverbs(of: topic)
      if !subs.isEmpty {
        return CellOutput([.lines(subs.compactMap { table[topic + " " + $0] }.flatMap(HelpText.verb))])
      }
      throw NotebookError(
        .unknownVerb, "no help for '\(topic)'", span: a.span("VERB"),
        hint: NotebookError.didYouMean(Suggest.closest(to: topic, in: table.verbNames))
          ?? "type 'help' for the verbs")
    })
}

/// The text of `help`, generated from the command table.
enum HelpText {
  /// `help models`: every model type with its family, paper, needs and cold-start ability.
  static func models() -> CellOutput {
    let rows = ModelCatalog.all.map { t in
      [
        t.name, t.family, t.paper, t.needs == .ratings ? "ratings" : "interactions",
        t.iterative ? "epochs" : "one pass", t.coldStart,
      ]
    }
    return CellOutput([
      .text("Model types (help model TYPE for the options; the verb 'models' lists the session's):"),
      .table(
        TableBlock(
          headers: ["type", "family", "paper", "needs", "trains", "cold start"],
          numeric: [false, false, false, false, false, false], rows: rows)),
    ])
  }

  /// `help learn`: the guided mode's words.
  static var learn: [String] {
    [
      "recbook learn [NOTEBOOK] walks through a notebook (the tutorial by default) step by step:",
      "each step's explanation, then its cell already typed at the prompt. Enter runs it; edit it",
      "first to try your own, and the result is compared with the notebook's. A cell with another",
      "verb is an aside: it runs and the step waits. Your place is saved; 'recbook learn' resumes.",
      "",
    ]
      + Lesson.Control.allCases.map {
        "  " + $0.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + $0.summary
      }
      + ["  quit    save your place and leave (also Ctrl-D)"]
  }

  static let pipeline = [
    "The recommender pipeline, one cell per step (help VERB for each):",
    "",
    "  1. load       data from CSV/TSV, MovieLens files or sample:shop",
    "  2. inspect    show, schema, describe, plot",
    "  3. clean      dedupe, dropna, fillna, clip, filter, kcore",
    "  4. transform  normalize, feature, onehot, join",
    "  5. split      train/test (leave-one-out, temporal, random), validation",
    "  6. model      define one: pop, itemknn, als, bpr, neumf ... (help models)",
    "  7. fit        train it on a split (epochs, validate=, patience=)",
    "  8. evaluate   metrics on the test part; compare several models",
    "  9. recommend  top items for a user; similar, explain",
    " 10. deploy     save model, serve (an HTTP service)",
    "",
    "A session saves as a notebook (save notebook PATH) that replays to the same outputs.",
  ]

  static func overview(_ table: CommandTable) -> [String] {
    var out: [String] = ["Verbs, by pipeline step (help VERB for options and examples):"]
    for g in Command.Group.allCases {
      let cs = table.commands.filter { $0.group == g }
      guard !cs.isEmpty else { continue }
      out.append("")
      out.append(g.rawValue)
      let w = cs.map(\.name.count).max() ?? 0
      for c in cs {
        out.append("  " + c.name.padding(toLength: w + 2, withPad: " ", startingAt: 0) + c.summary)
      }
    }
    return out
  }

  static func verb(_ c: Command) -> [String] {
    var out = ["\(c.synopsis)", "", "  \(c.summary)."]
    if !c.details.isEmpty {
      out.append("")
      out += c.details.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
    }
    let ps = c.params.filter { !$0.help.isEmpty }
    if !ps.isEmpty {
      out.append("")
      for p in ps { out.append("  \(p.name): \(p.help)") }
    }
    if !c.options.isEmpty {
      out.append("")
      out.append("  Options:")
      for o in c.options {
        let d = o.defaultValue.map { " (default \($0))" } ?? ""
        out.append("    \(o.name)=\(o.type.valueHint)  \(o.help)\(d)")
      }
    }
    if !c.examples.isEmpty {
      out.append("")
      out.append("  Examples:")
      for e in c.examples { out.append("    \(e)") }
    }
    return out
  }
}

extension String {
  func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
