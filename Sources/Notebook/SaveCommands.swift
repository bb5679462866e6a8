import RecData

/// `save table`, `save notebook`.
enum SaveCommands {
  static let all: [Command] = [saveTable, saveNotebook]

  static let saveTable = Command(
    name: "save table", group: .save, summary: "Write a table to a CSV file",
    params: [Param("TABLE", .table), Param("to", .keyword("to")), Param("PATH", .path)],
    options: [Option("sep", .string, default: ",", "field separator (one character, or tab)")],
    examples: ["save table events to /tmp/events.csv"],
    mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("TABLE") ?? ""
      let path = a.text("PATH") ?? ""
      let t = try s.entry(name).table
      var sep: UInt8 = 44
      if let text = a.text("sep") {
        if text == "tab" || text == "\t" {
          sep = 9
        } else if text.utf8.count == 1, let b = text.utf8.first, b != 34, b != 10, b != 13 {
          sep = b
        } else {
          throw NotebookError(
            .badValue, "sep must be one character other than a quote or newline", span: a.span("sep"))
        }
      }
      try CleanCommands.data(a.span("PATH")) { () throws(DataError) in
        try CSVWriter.write(t, to: path, separator: sep)
      }
      return .text("wrote \(Fmt.count(t.rowCount, "row")) of \(name) to \(path)")
    })

  static let saveNotebook = Command(
    name: "save notebook", group: .save, summary: "Write the session's cells and outputs as a notebook file",
    details: "The file replays with `recbook run FILE --check` to the same outputs.",
    params: [Param("PATH", .path)], options: [],
    examples: ["save notebook /tmp/session.recbook"],
    mutates: false,
    run: { s, a, ctx throws(NotebookError) in
      let path = a.text("PATH") ?? ""
      var items = SessionNotebook.items(of: s)
      let line = items.count + 1
      let out = "saved \(Fmt.count(s.history.count, "cell")) to \(path)"
      // The save cell records its own output too, rendered as the runner will render it (a
      // long path wraps at the width), so the file replays unchanged.
      let recorded = OutputRenderer(width: ctx.width, unicode: ctx.unicode, color: false).render(.text(out))
      items.append(.cell(NotebookFile.Cell(lines: a.source.lines, line: line, output: recorded)))
      try NotebookFile.writeAtomically(NotebookFile(items: items).text, to: path)
      return .text(out)
    })
}
