import Foundation
import TestSupport
import Testing

@testable import Notebook

@Suite struct NotebookFileTests {
  let text = """
    # Title
    seed 7
    #> seed 7

    load t \\
      from sample:shop
    #> t: 10 rows
    #~ loaded in 0.01 s
    show nope
    #! col 6: error: unknown table 'nope'
    #!   show nope
    #!        ^~~~

    """

  @Test func parsesCellsProseAndOutputs() {
    let nb = NotebookFile(text: text)
    #expect(nb.cells.count == 3)
    #expect(nb.cells[0].lines == ["seed 7"])
    #expect(nb.cells[0].line == 2)
    #expect(nb.cells[1].lines == ["load t \\", "  from sample:shop"])
    #expect(nb.cells[1].line == 5)
    #expect(
      nb.cells[1].output == [OutputLine(.stable, "t: 10 rows"), OutputLine(.volatile, "loaded in 0.01 s")])
    #expect(nb.cells[2].output.allSatisfy { $0.kind == .error })
    #expect(nb.cells[2].output.count == 3)
  }

  @Test func roundTripsExactly() {
    #expect(NotebookFile(text: text).text == text)
  }

  @Test func keepsLeadingSpacesOfOutput() {
    let nb = NotebookFile(text: "tables\n#>   a  b\n#>\n")
    #expect(nb.cells[0].output == [OutputLine(.stable, "  a  b"), OutputLine(.stable, "")])
    #expect(nb.text == "tables\n#>   a  b\n#>\n")
  }

  @Test func outputWithoutACellStaysProse() {
    let nb = NotebookFile(text: "#> orphan\n")
    #expect(nb.items == [.prose("#> orphan")])
  }

  @Test func atomicWriteReplacesWholeFile() throws {
    let dir = TestPaths.temporaryDirectory()
    let path = dir.appendingPathComponent("n.recbook").path
    try NotebookFile.writeAtomically("one\n", to: path)
    try NotebookFile.writeAtomically("two\n", to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "two\n")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
      $0.contains("tmp")
    }
    #expect(leftovers.isEmpty)
  }
}
