import ArgumentParser
import Foundation
import Notebook
import RecTerm

/// `recbook` with no subcommand: the REPL on a terminal, or cells read from
/// standard input (one per line, `\` continues) when it is not one.
struct Interactive: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl", abstract: "Read cells at a prompt, or from standard input (the default).")

  func run() throws {
    if Terminal.stdinIsTTY {
      REPL().run()
    } else {
      try runPiped()
    }
  }

  /// Plain line reading with no prompt echo: outputs to stdout, errors to stderr, exit 1 if a cell failed.
  func runPiped() throws {
    var runner = Runner(context: Self.context())
    var failures = 0
    var pending: [String] = []
    var firstLine = 1
    var lineNumber = 0
    while let line = readLine(strippingNewline: true) {
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
        let text = lines.map(\.text).joined(separator: "\n")
        if !text.isEmpty { Terminal.writeOut(text + "\n") }
      case .failure(let e):
        failures += 1
        Terminal.writeErr(
          Diagnostic.render(e, in: source, origin: "stdin", width: Terminal.width).joined(separator: "\n")
            + "\n")
      }
    }
    if failures > 0 { throw ExitCode(1) }
  }

  /// Cells record their outputs in the notebook style (the default context: 80 columns,
  /// Unicode, plain), so a saved session replays with `--check` on any terminal; the screen
  /// gets them again at the terminal's width, glyphs and colour.
  static func context() -> CellContext {
    var context = CellContext()
    context.display = RenderStyle(width: Terminal.width, unicode: Terminal.unicode, color: Terminal.useColor)
    return context
  }
}

/// The interactive prompt: readline editing, history, completion, Ctrl-C that
/// stops the running cell, and an autosaved notebook of the session.
struct REPL {
  let env = ProcessInfo.processInfo.environment

  var home: String { env["HOME"] ?? NSHomeDirectory() }
  var historyPath: String { env["RECBOOK_HISTORY"] ?? (home + "/.recbook_history") }
  var autosavePath: String { env["RECBOOK_AUTOSAVE"] ?? (home + "/.recbook/last.recbook") }

  func run() {
    Interrupt.install()
    let editor = LineEditor(historyPath: historyPath)
    if Terminal.useColor { LineEditor.useColor() }
    LineEditor.shared = editor
    let display = ProgressDisplay(unicode: Terminal.unicode)
    var runner = Runner(context: Interactive.context())
    try? FileManager.default.createDirectory(
      atPath: (autosavePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    Terminal.writeOut(
      "Recbook \(RecbookVersion.current): type 'help' for the verbs, Tab to complete, Ctrl-D to quit.\n")
    var pending: [String] = []
    var cellNumber = 0
    while true {
      let prompt = pending.isEmpty ? LineEditor.primaryPrompt : LineEditor.continuationPrompt
      guard let line = editor.readLine(prompt: prompt) else {
        Terminal.writeOut("\n")
        break
      }
      // Ctrl-C while typing dropped the continuation lines typed before this one.
      if editor.discarded { pending = [] }
      editor.remember(line)
      pending.append(line)
      if line.hasSuffix("\\") { continue }
      let lines = pending
      pending = []
      let text = lines.joined(separator: " ").trimmingCharacters(in: .whitespaces)
      if text == "quit" || text == "exit" { break }
      cellNumber += 1
      // Measured now, after the line is read: the terminal may have been resized at the prompt.
      runner.context.display?.width = Terminal.width
      let result = CellWorker.runAtPrompt(runner, CellSource(lines: lines), display: display)
      guard let (after, outcome) = result else {
        Terminal.writeErr(
          Terminal.red("cell \(cellNumber): interrupted; the session is as it was before this cell") + "\n")
        continue
      }
      if case .success = outcome { runner = after }
      switch outcome {
      case .empty: cellNumber -= 1
      case .success(let out):
        let body = out.map(\.text).joined(separator: "\n")
        if !body.isEmpty { Terminal.writeOut(body + "\n") }
        editor.session = runner.session
        autosave(runner.session)
      case .failure(let e):
        let rendered = Diagnostic.render(
          e, in: CellSource(lines: lines), origin: "cell \(cellNumber)", width: Terminal.width)
        Terminal.writeErr(
          Terminal.red(rendered.first ?? "") + "\n" + rendered.dropFirst().joined(separator: "\n")
            + (rendered.count > 1 ? "\n" : ""))
      }
    }
  }

  /// Writes the session so far as a notebook, so nothing typed is lost if the terminal dies.
  func autosave(_ session: Session) {
    let text = SessionNotebook.text(of: session)
    try? NotebookFile.writeAtomically(text, to: autosavePath)
  }
}
