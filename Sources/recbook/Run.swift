import ArgumentParser
import Foundation
import Notebook

/// `recbook run FILE... [--check | --update]`
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replay notebooks, printing each cell with its output.",
    discussion: """
      --check compares every cell's output with the recorded #> lines and prints a
      unified diff where they differ (#~ lines are not compared). --update rewrites
      the recorded outputs (through a temporary file and a rename). A notebook
      whose opening prose says `# needs: ml-100k` is skipped, with a message, when
      that data is not in $RECBOOK_DATA (default ../shared/data).
      """)

  @Argument(help: "Notebook files (*.recbook).") var files: [String]
  @Flag(help: "Fail with a diff where a recorded output differs.") var check = false
  @Flag(help: "Rewrite the recorded outputs.") var update = false
  @Flag(name: .shortAndLong, help: "Print only failures and the summary.") var quiet = false

  func validate() throws {
    if check && update { throw ValidationError("--check and --update exclude each other") }
  }

  func run() throws {
    var failed = false
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        Terminal.writeErr("recbook: cannot read '\(file)'\n")
        failed = true
        continue
      }
      guard let text = String(data: data, encoding: .utf8) else {
        Terminal.writeErr("recbook: '\(file)' is not UTF-8 text\n")
        failed = true
        continue
      }
      let notebook = NotebookFile(text: text)
      if let why = NotebookNeeds.missing(for: notebook) {
        Terminal.writeOut("\(file): skipped: \(why)\n")
        continue
      }
      let printing = !check && !update && !quiet
      let replay = Replay.run(notebook, name: file) { cell, outputs in
        guard printing else { return }
        var s = ""
        for l in cell.lines { s += l + "\n" }
        for o in outputs { s += NotebookFile.format(o) + "\n" }
        Terminal.writeOut(s)
      }
      if let f = replay.failure {
        Terminal.writeErr(f.rendered.joined(separator: "\n") + "\n")
        Terminal.writeErr("\(file): stopped at line \(f.line) after \(replay.cellsRun) cells\n")
        failed = true
        continue
      }
      let newText = replay.result.text
      if check {
        if replay.mismatches.isEmpty {
          if !quiet { Terminal.writeOut("\(file): \(replay.cellsRun) cells, all outputs match\n") }
        } else {
          Terminal.writeOut(
            UnifiedDiff.make(
              old: text, new: newText, oldName: "\(file) (recorded)", newName: "\(file) (replayed)"))
          Terminal.writeErr(
            "\(file): \(replay.mismatches.count) of \(replay.cellsRun) cells differ (first at line \(replay.mismatches[0].line))\n"
          )
          failed = true
        }
      } else if update {
        if newText == text {
          Terminal.writeOut("\(file): up to date (\(replay.cellsRun) cells)\n")
        } else {
          do throws(NotebookError) {
            try NotebookFile.writeAtomically(newText, to: file)
            Terminal.writeOut("\(file): updated \(replay.mismatches.count) of \(replay.cellsRun) cells\n")
          } catch {
            Terminal.writeErr("recbook: \(error.message)\n")
            failed = true
          }
        }
      }
    }
    if failed { throw ExitCode(1) }
  }
}
