import ArgumentParser
import Foundation
import Notebook

extension NotebookExport.Format: ExpressibleByArgument {}

/// `recbook export NOTEBOOK --to markdown|html [-o PATH]`: the notebook as a report (prose,
/// cells and their recorded outputs, plots as text), on standard output or in a file.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export a notebook as a Markdown or HTML report.",
    discussion: """
      The report shows the notebook as recorded: prose as headings and paragraphs,
      each cell with the output under it (tables and plots are text). HTML is one
      page with its stylesheet inline and no network resources. Nothing is run:
      replay with 'recbook run FILE --update' first to refresh the outputs.
      """)

  @Argument(help: "A notebook file (*.recbook).") var file: String
  @ArgumentParser.Option(help: "markdown or html.") var to: NotebookExport.Format
  @ArgumentParser.Option(name: .shortAndLong, help: "Write here (through a temporary file and a rename).")
  var output: String?

  func run() throws {
    guard let data = FileManager.default.contents(atPath: file) else {
      Terminal.writeErr("recbook export: cannot read '\(file)'\n")
      throw fail(1)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      Terminal.writeErr("recbook export: '\(file)' is not UTF-8 text\n")
      throw fail(1)
    }
    let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    let report = NotebookExport.render(NotebookFile(text: text), as: to, name: name)
    guard let output else {
      Terminal.writeOut(report)
      return
    }
    do {
      try NotebookFile.writeAtomically(report, to: output)
    } catch {
      Terminal.writeErr("recbook export: \(error.message)\n")
      throw fail(1)
    }
  }
}
