import Foundation
import RecTerm
import TestSupport
import Testing

@testable import Notebook

/// What a session records for `save notebook` and the REPL's autosave: plain text in the
/// notebook style whatever the screen, only the cells still in effect after `undo`, and a
/// notebook's cells (not `run` itself) after `run`; so a saved session replays with --check.
@Suite struct SessionRecordTests {
  static let small = "load ev from sample:shop users=30 items=20 events=200"

  /// Runs each cell, recording an issue for one that does not succeed; the screen lines of each.
  @discardableResult
  func run(
    _ runner: inout Runner, _ cells: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation
  )
    -> [[OutputLine]]
  {
    cells.map { cell in
      guard case .success(let lines) = runner.run(cell) else {
        Issue.record("cell failed: \(cell)", sourceLocation: sourceLocation)
        return []
      }
      return lines
    }
  }

  /// What `recbook run --check` does: the text replays with no failure and no difference.
  func expectReplays(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let r = Replay.run(NotebookFile(text: text), name: "saved.recbook")
    #expect(r.failure == nil, "\(r.failure?.rendered ?? [])", sourceLocation: sourceLocation)
    #expect(
      r.mismatches.isEmpty, "\(r.mismatches.map { ($0.line, $0.expected, $0.actual) })",
      sourceLocation: sourceLocation)
  }

  func sources(_ s: Session) -> [String] { s.history.map { $0.source.joined(separator: "\n") } }

  /// The history without volatile lines (timings), to compare two sessions.
  func stable(_ s: Session) -> [RecordedCell] {
    s.history.map { RecordedCell(source: $0.source, output: $0.output.filter { $0.kind != .volatile }) }
  }

  func temporaryFile(_ name: String) -> String {
    TestPaths.temporaryDirectory().appendingPathComponent(name).path
  }

  /// A small notebook file made by a session: a load, a feature, a plot and a table.
  func smallNotebook() throws -> (path: String, cells: [String]) {
    let cells = [Self.small, "feature ev.day = day(ts)", "plot hist ev.rating bins=5", "show ev rows=2"]
    var runner = Runner()
    run(&runner, cells)
    let path = temporaryFile("small.recbook")
    try SessionNotebook.text(of: runner.session).write(toFile: path, atomically: true, encoding: .utf8)
    return (path, cells)
  }

  @Test func colourAndTheScreensStyleAreNotRecorded() {
    let cells = [
      Self.small, "show ev rows=3", "describe ev columns=event,rating", "feature ev.day = day(ts)",
      "plot hist ev.rating bins=5", "plot bar ev.event", "plot line ev.day by=event",
      "plot heatmap ev.day ev.event", "plot scatter ev.day ev.rating",
    ]
    // A coloured terminal 100 columns wide, in ASCII: what is printed; the record stays plain.
    var screen = Runner()
    screen.context.display = RenderStyle(width: 100, unicode: false, color: true)
    let printed = run(&screen, cells)
    #expect(printed[1].contains { $0.text.contains("\u{1B}[") }, "the table header is coloured on screen")
    #expect(printed[4].contains { $0.text.contains("\u{1B}[") }, "the histogram is coloured on screen")
    #expect(printed[4].contains { $0.text.contains("#") }, "the screen has the ASCII glyphs")
    let recorded = screen.session.history.flatMap(\.output).map(\.text)
    #expect(!recorded.contains { $0.contains("\u{1B}") }, "no escape code is recorded")
    // The record is what a plain session in the notebook style records.
    var plain = Runner()
    run(&plain, cells)
    #expect(stable(screen.session) == stable(plain.session))
    expectReplays(SessionNotebook.text(of: screen.session))
  }

  @Test func aColouredContextWithoutADisplayStyleRecordsPlainText() {
    var runner = Runner()
    runner.context.color = true
    let printed = run(&runner, [Self.small, "show ev rows=2", "plot hist ev.rating bins=3"])
    #expect(printed[1].contains { $0.text.contains("\u{1B}[") })
    #expect(!runner.session.history.flatMap(\.output).contains { $0.text.contains("\u{1B}") })
    expectReplays(SessionNotebook.text(of: runner.session))
  }

  @Test func afterUndoTheHistoryHoldsTheCellsInEffect() throws {
    let path = temporaryFile("undo.recbook")
    var runner = Runner()
    run(
      &runner,
      [
        "seed 9", Self.small, "feature ev.x = 1", "show ev rows=2", "undo", "feature ev.y = 2", "tables",
        "undo",
        "dedupe ev", "history", "save notebook \(path)",
      ])
    let expected = ["seed 9", Self.small, "dedupe ev", "history", "save notebook \(path)"]
    #expect(sources(runner.session) == expected)
    // The next cell draws the random stream a replay of the saved notebook gives it.
    #expect(runner.session.cellCount == expected.count)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!NotebookFile(text: text).cells.contains { $0.source.text == "undo" })
    #expect(!text.contains("ev.x") && !text.contains("ev.y"))
    expectReplays(text)
    // The autosave writes the same session.
    expectReplays(SessionNotebook.text(of: runner.session))
  }

  @Test func runRecordsTheNotebooksCellsNotItself() throws {
    let (file, cells) = try smallNotebook()
    let saved = temporaryFile("after-run.recbook")
    var runner = Runner()
    runner.context.display = RenderStyle(width: 100, unicode: true, color: true)
    let printed = run(&runner, ["seed 4", "run \(file)", "save notebook \(saved)"])
    // Printed: each cell of the notebook with its output indented.
    let shown = printed[1].map(\.text)
    #expect(shown.contains(Self.small) && shown.contains("  ev: 200 rows x 7 columns"))
    #expect(shown.suffix(2).joined(separator: " ").contains("ran 4 cells from"))
    #expect(shown.allSatisfy { TextWidth.of($0) <= 100 })
    // Recorded: the notebook's cells, once, in the notebook style; not `run`.
    #expect(sources(runner.session) == ["seed 4"] + cells + ["save notebook \(saved)"])
    #expect(runner.session.cellCount == cells.count + 2)
    let text = try String(contentsOfFile: saved, encoding: .utf8)
    #expect(!text.contains("\nrun "))
    #expect(text.components(separatedBy: Self.small).count == 2, "the notebook's load is recorded once")
    expectReplays(text)
  }

  @Test func undoAfterRunUndoesTheWholeRun() throws {
    let (file, _) = try smallNotebook()
    var runner = Runner()
    run(&runner, ["load t from sample:shop/items items=30", "show t rows=1"])
    let before = runner.session
    guard case .success(let out) = runner.run("run \(file)") else {
      Issue.record("run failed")
      return
    }
    #expect(out.suffix(2).map(\.text).joined(separator: " ").contains("ran 4 cells from"))
    #expect(runner.session.tables["ev"] != nil)
    let undone = run(&runner, ["undo"])
    #expect(undone.first?.first?.text == "undid: run \(file)")
    #expect(runner.session.tableOrder == before.tableOrder)
    #expect(runner.session.tables["t"]?.table == before.tables["t"]?.table)
    #expect(stable(runner.session) == stable(before))
    #expect(runner.session.cellCount == before.cellCount)
    #expect(runner.session.undoStack.count == before.undoStack.count)
    // The next undo undoes the cell before the run.
    let next = run(&runner, ["undo"])
    #expect(next.first?.first?.text == "undid: load t from sample:shop/items items=30")
    #expect(runner.session.tables.isEmpty && runner.session.history.isEmpty)
  }

  @Test func anUndoInTheNotebookUndoesOnlyTheNotebooksCells() throws {
    let file = temporaryFile("undo-inside.recbook")
    let text = """
      undo
      #! col 1: error: nothing to undo
      #!   undo
      #!   ^~~~
      seed 2
      #> seed 2
      """
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    var runner = Runner()
    run(&runner, ["load t from sample:shop/items items=30", "run \(file)"])
    #expect(runner.session.tables["t"] != nil, "the session's load is not undone by the file's undo")
    #expect(sources(runner.session) == ["load t from sample:shop/items items=30", "seed 2"])
  }
}
