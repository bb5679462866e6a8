import ArgumentParser
import Foundation
import Notebook

/// Reads cells from standard input (one per line, `\` continues) and prints their outputs.
struct Interactive: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl", abstract: "Read cells from standard input (the default).")

  func run() throws {
    var context = CellContext()
    context.width = Terminal.width
    context.unicode = Terminal.unicode
    context.color = Terminal.useColor
    var runner = Runner(context: context)
    let tty = Terminal.stdinIsTTY
    var failures = 0
    var cellNumber = 0
    var pending: [String] = []
    var firstLine = 1
    var lineNumber = 0
    if tty { Terminal.writeOut("Recbook \(RecbookVersion.current). Type 'help' for the verbs, Ctrl-D to quit.\n") }
    while true {
      if tty { Terminal.writeOut(pending.isEmpty ? "recbook> " : "    ...> ") }
      guard let line = readLine(strippingNewline: true) else { break }
      lineNumber += 1
      if pending.isEmpty { firstLine = lineNumber }
      pending.append(line)
      if line.hasSuffix("\\") { continue }
      let source = CellSource(lines: pending, firstLine: firstLine)
      pending = []
      if ["quit", "exit"].contains(source.text.trimmingCharacters(in: .whitespaces)) { break }
      switch runner.run(source) {
      case .empty: continue
      case .success(let lines):
        cellNumber += 1
        let text = lines.map(\.text).joined(separator: "\n")
        if !text.isEmpty { Terminal.writeOut(text + "\n") }
      case .failure(let e):
        cellNumber += 1
        failures += 1
        let local = CellSource(lines: source.lines, firstLine: tty ? 1 : source.firstLine)
        let rendered = Diagnostic.render(e, in: local, origin: tty ? "cell \(cellNumber)" : "stdin")
        Terminal.writeErr(rendered.joined(separator: "\n") + "\n")
      }
    }
    if failures > 0 && !tty { throw ExitCode(1) }
  }
}
