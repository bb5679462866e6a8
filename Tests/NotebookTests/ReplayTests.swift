import Foundation
import TestSupport
import Testing

@testable import Notebook

@Suite struct ReplayTests {
  let good = """
    seed 3
    #> seed 3
    load t from sample:shop/items items=40
    #> t: 40 rows x 6 columns
    #~ loaded in 9 s
    """

  @Test func matchingOutputsPassAndVolatileLinesAreIgnored() {
    let r = Replay.run(NotebookFile(text: good), name: "g.recbook")
    #expect(r.failure == nil)
    #expect(r.mismatches.isEmpty)
    #expect(r.cellsRun == 2)
  }

  @Test func aChangedOutputIsAMismatchWithADiff() {
    let bad = good.replacingOccurrences(of: "#> seed 3", with: "#> seed 4")
    let r = Replay.run(NotebookFile(text: bad), name: "b.recbook")
    #expect(r.mismatches.count == 1)
    #expect(r.mismatches[0].line == 1)
    let diff = UnifiedDiff.make(old: bad, new: r.result.text, oldName: "a", newName: "b")
    #expect(diff.contains("-#> seed 4\n+#> seed 3\n"))
    // Updating restores the recorded output.
    #expect(r.result.text.contains("#> seed 3"))
  }

  @Test func anUnexpectedErrorStopsTheReplayWithFileLineColumn() {
    let nb = NotebookFile(text: "seed 1\nshow nothing\nseed 2\n")
    let r = Replay.run(nb, name: "f.recbook")
    #expect(r.failure?.line == 2)
    #expect(r.failure?.rendered.first == "f.recbook:2:6: error: unknown table 'nothing'")
    #expect(r.cellsRun == 1)
  }

  @Test func anExpectedErrorIsCompared() {
    let text = """
      show nothing
      #! col 6: error: unknown table 'nothing'
      #!   show nothing
      #!        ^~~~~~~
      #!   no tables yet: load one first (help load)
      """
    let r = Replay.run(NotebookFile(text: text), name: "e.recbook")
    #expect(r.failure == nil)
    #expect(r.mismatches.isEmpty)
  }

  @Test func aFailedCellLeavesTheSessionAsItWas() {
    var runner = Runner()
    guard case .success = runner.run("load t from sample:shop/items items=40") else {
      Issue.record("load failed")
      return
    }
    let before = runner.session.tables["t"]?.table
    let count = runner.session.cellCount
    guard case .failure = runner.run("normalize t.title method=minmax") else {
      Issue.record("expected a failure")
      return
    }
    #expect(runner.session.tables["t"]?.table == before)
    #expect(runner.session.cellCount == count)
    #expect(runner.session.history.count == count)
  }
}

@Suite struct SaveNotebookTests {
  @Test func aSavedSessionReplaysToTheSameOutputs() throws {
    let path = TestPaths.temporaryDirectory().appendingPathComponent("s.recbook").path
    var runner = Runner()
    for cell in [
      "seed 5", "load t from sample:shop/items items=30", "feature t.cheap = price < 50",
      "show t rows=3 columns=item,cheap",
      "save notebook \(path)",
    ] {
      guard case .success = runner.run(cell) else {
        Issue.record("\(cell) failed")
        return
      }
    }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("feature t.cheap = price < 50"))
    let r = Replay.run(NotebookFile(text: text), name: path)
    #expect(r.failure == nil)
    #expect(r.mismatches.isEmpty)
    #expect(r.cellsRun == 5)
  }

  @Test func undoStepsBackOverChanges() {
    var runner = Runner()
    _ = runner.run("load t from sample:shop/items items=30")
    let before = runner.session.tables["t"]?.table
    _ = runner.run("feature t.x = 1")
    _ = runner.run("show t")
    #expect(runner.session.tables["t"]?.table.index(of: "x") != nil)
    guard case .success(let out) = runner.run("undo") else {
      Issue.record("undo failed")
      return
    }
    #expect(out.first?.text == "undid: feature t.x = 1")
    #expect(runner.session.tables["t"]?.table == before)
    _ = runner.run("undo")
    #expect(runner.session.tables["t"] == nil)
    guard case .failure(let e) = runner.run("undo") else {
      Issue.record("expected nothing to undo")
      return
    }
    #expect(e.message == "nothing to undo")
  }
}

@Suite struct UnifiedDiffTests {
  @Test func hunkHeadersAndContext() {
    let old = (1...10).map(String.init).joined(separator: "\n")
    let new = old.replacingOccurrences(of: "5", with: "five")
    let d = UnifiedDiff.make(old: old, new: new, oldName: "a", newName: "b")
    #expect(d == "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n")
  }

  @Test func identicalTextsHaveNoHunks() {
    #expect(UnifiedDiff.make(old: "a\nb", new: "a\nb", oldName: "x", newName: "y") == "--- x\n+++ y\n")
  }
}
