import Foundation
import TestSupport
import Testing

/// Drives the real REPL in a pseudo-terminal through tmux (send-keys, capture-pane).
@Suite(.serialized) struct REPLTests {
  let tmux = Tmux(session: "recbook-test-\(getpid())")
  let home = TestPaths.temporaryDirectory()

  /// Lines of the screen that hold a prompt.
  func prompts(_ s: String) -> Int { s.split(separator: "\n").filter { $0.hasPrefix("recbook>") }.count }

  /// Writes `big.csv` in `home`: a file large enough that loading it takes a while in a debug build.
  func bigCSV() throws -> String {
    let csv = home.appendingPathComponent("big.csv").path
    var text = "user,item,rating,ts\n"
    text.reserveCapacity(40_000_000)
    for i in 0..<1_500_000 { text += "\(i % 9973),\(i % 1709),\(i % 5 + 1),\(1_700_000_000 + i)\n" }
    try text.write(toFile: csv, atomically: true, encoding: .utf8)
    return csv
  }

  /// The output lines of the last cell that starts with `cell` on the (joined) screen: the
  /// lines after its prompt line, up to the next prompt.
  func output(of cell: String, in screen: String) -> [String] {
    let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.lastIndex(where: { $0.hasPrefix("recbook> " + cell) }) else { return [] }
    let after = lines[(start + 1)...].drop { $0.hasPrefix("   ...>") }  // the cell's continuation lines
    return Array(after.prefix { !$0.hasPrefix("recbook>") })
  }

  /// Display columns of a line (every character here is one column wide).
  func columns(_ line: String) -> Int { line.count }

  /// The environment of a plain REPL: a private home and history, no colour.
  var plainEnv: String { "HOME=\(home.path) RECBOOK_HISTORY=\(home.path)/hist NO_COLOR=1 TERM=xterm" }

  /// Starts the REPL in tmux with `env` (and `redirect`, e.g. `2>log`) and waits for its first
  /// prompt. The caller ends it with `tmux.kill()`.
  func startREPL(env: String? = nil, redirect: String = "") throws {
    try #require(Tmux.available, "tmux is needed for the pseudo-terminal test (scripts/setup installs it)")
    try tmux.start("env \(env ?? plainEnv) \(CLI.binary)\(redirect.isEmpty ? "" : " " + redirect)")
    _ = try tmux.waitFor(10, "the first prompt") { $0.contains("recbook>") }
  }

  @Test func typingCompletionHistoryInterruptAndExit() throws {
    let csv = try bigCSV()
    try startREPL()
    defer { tmux.kill() }

    // A cell, typed.
    try tmux.keys("'load events from sample:shop' Enter")
    _ = try tmux.waitFor(30, "the load") { $0.contains("events: 50,000 rows x 7 columns") }

    // Tab completes a verb, an option and a column.
    try tmux.keys("'sh' Tab")
    _ = try tmux.waitFor(5, "verb completion") { $0.contains("recbook> show") }
    try tmux.keys("'events rows=2 col' Tab")
    _ = try tmux.waitFor(5, "option completion") { $0.contains("show events rows=2 columns=") }
    try tmux.keys("'ev' Tab")
    _ = try tmux.waitFor(5, "column completion") { $0.contains("columns=event") }
    try tmux.keys("Enter")
    _ = try tmux.waitFor(5, "the table") {
      $0.contains("2 of 50,000 rows") && ($0.contains("purchase") || $0.contains("view"))
    }

    // Up recalls the previous line.
    try tmux.keys("Up")
    _ = try tmux.waitFor(5, "history recall") { s in
      s.split(separator: "\n").last { $0.hasPrefix("recbook>") }?.contains("show events rows=2 columns=event")
        == true
    }
    try tmux.keys("C-u")

    // Ctrl-C at the prompt discards the line.
    try tmux.keys("'dedupe events' C-c")
    _ = try tmux.waitFor(5, "discarded line") { $0.contains("^C") }
    let before = prompts(try tmux.screen())

    // Ctrl-C during a long cell stops it; the session is unchanged.
    try tmux.keys("'load big from \(csv)' Enter")
    usleep(150_000)
    try tmux.keys("C-c")
    _ = try tmux.waitFor(20, "the interrupted load") {
      prompts($0) > before && ($0.contains("cancelled") || $0.contains("interrupted"))
    }
    try tmux.keys("'tables' Enter")
    let s = try tmux.waitFor(10, "tables") { $0.contains("table ") && $0.contains("events") }
    #expect(s.contains("interrupted"), "the load should have been interrupted")
    #expect(
      !s.split(separator: "\n").contains { $0.hasPrefix("big ") },
      "the interrupted load must not create the table")
    #expect(!s.contains("removed"), "the discarded dedupe line must not have run")

    // Ctrl-D exits; the history was saved.
    try tmux.keys("C-d")
    #expect(tmux.waitForExit(), "Ctrl-D should end the REPL")
    let history = try String(contentsOfFile: home.path + "/hist", encoding: .utf8)
    #expect(history.contains("load events from sample:shop"))
    #expect(FileManager.default.fileExists(atPath: home.path + "/.recbook/last.recbook"))
  }

  /// A coloured REPL (no NO_COLOR, TERM=xterm-256color): what `save notebook` and the autosave
  /// write is plain text, holds the cells still in effect after `undo` (the continuation cell
  /// with its two lines), and replays with `recbook run --check`, though the terminal is 120
  /// columns wide and the screen showed the plot at that width.
  @Test func aColouredSessionSavesNotebooksThatReplay() throws {
    let saved = home.appendingPathComponent("saved.recbook").path
    let autosave = home.appendingPathComponent("auto.recbook").path
    let env =
      "-u NO_COLOR HOME=\(home.path) RECBOOK_HISTORY=\(home.path)/hist RECBOOK_AUTOSAVE=\(autosave) "
      + "TERM=xterm-256color"
    try startREPL(env: env)
    defer { tmux.kill() }
    #expect(try tmux.rows(escapes: true).contains("\u{1B}["), "the prompt should be coloured")
    try tmux.keys("'load ev from sample:shop users=30 items=20 events=200' Enter")
    _ = try tmux.waitFor(30, "the load") { $0.contains("ev: 200 rows x 7 columns") }
    try tmux.keys("'show ev rows=2' Enter")
    _ = try tmux.waitFor(10, "the table") { $0.contains("2 of 200 rows") }
    #expect(try tmux.rows(escapes: true).contains("\u{1B}[1m"), "the table header should be bold")
    try tmux.keys("'feature ev.x = 1' Enter")
    _ = try tmux.waitFor(10, "the feature") { $0.contains("ev.x: added") }
    try tmux.keys("'undo' Enter")
    _ = try tmux.waitFor(10, "the undo") { $0.contains("undid: feature ev.x = 1") }

    // A continuation line, with its secondary prompt.
    try tmux.keys("'plot hist ev.rating \\' Enter")
    _ = try tmux.waitFor(10, "the continuation prompt") { s in
      s.split(separator: "\n").last.map { $0.hasPrefix("   ...>") } == true
    }
    try tmux.keys("'bins=20' Enter")
    let s = try tmux.waitFor(10, "the plot") { $0.contains("n=21, ") }
    let plot = output(of: "plot hist ev.rating \\", in: s)
    #expect(plot.contains { columns($0) > 80 }, "the screen shows the plot at the terminal's width:\n\(s)")

    try tmux.keys("'save notebook \(saved)' Enter")
    _ = try tmux.waitFor(10, "the save") { $0.contains("saved 3 cells to") }
    try tmux.keys("C-d")
    #expect(tmux.waitForExit(), "Ctrl-D should end the REPL")

    for file in [saved, autosave] {
      let text = try String(contentsOfFile: file, encoding: .utf8)
      #expect(!text.contains("\u{1B}"), "\(file) holds escape codes:\n\(text)")
      let cells = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
      #expect(
        cells == [
          "load ev from sample:shop users=30 items=20 events=200", "show ev rows=2", "plot hist ev.rating \\",
          "bins=20", "save notebook \(saved)",
        ], "\(file):\n\(text)")
      let check = try CLI.run(["run", file, "--check"])
      #expect(check.status == 0, "\(file) should replay:\n\(check.stdout)\n\(check.stderr)")
    }
  }

  /// The terminal resized at the prompt: the next cell renders at the new width. Narrower
  /// than 20 columns, tables, plots and errors are still readable.
  @Test func cellsFollowTheTerminalsWidthDownToNarrow() throws {
    try startREPL()
    defer { tmux.kill() }
    try tmux.keys("'load ev from sample:shop users=30 items=20 events=200' Enter")
    _ = try tmux.waitFor(30, "the load") { $0.contains("ev: 200 rows x 7 columns") }

    // Resized while the prompt waits: the first cell after it fits the new width.
    try tmux.resize(width: 60)
    try tmux.keys("'plot hist ev.rating bins=20' Enter")
    var s = try tmux.waitFor(10, "the plot") { $0.contains("n=21, ") }
    let plot = output(of: "plot hist ev.rating bins=20", in: s)
    #expect(!plot.isEmpty)
    #expect(
      plot.allSatisfy { columns($0) <= 60 },
      "the plot should fit 60 columns:\n\(plot.joined(separator: "\n"))")
    #expect(plot.contains { columns($0) > 40 }, "the plot should use the width")

    // Narrower than 20 columns.
    try tmux.resize(width: 16)
    try tmux.keys("'show ev rows=2' Enter")
    s = try tmux.waitFor(10, "the table") { $0.contains("2 of 200 rows") }
    let table = output(of: "show ev rows=2", in: s)
    #expect(table.allSatisfy { columns($0) <= 16 }, "the table should fit:\n\(table.joined(separator: "\n"))")
    #expect(table.contains { $0.hasPrefix("user:") && $0.contains("U0") }, "one field a line, with its value")
    try tmux.keys("'plot hist ev.rating bins=4' Enter")
    s = try tmux.waitFor(10, "the narrow plot") {
      self.output(of: "plot hist ev.rating bins=4", in: $0).contains("n=21")
    }
    let narrow = output(of: "plot hist ev.rating bins=4", in: s)
    #expect(
      narrow.allSatisfy { columns($0) <= 16 }, "the plot should fit:\n\(narrow.joined(separator: "\n"))")
    #expect(narrow.contains("ev.rating") && narrow.contains("2 to 5"))
    try tmux.keys("'show evv' Enter")
    s = try tmux.waitFor(10, "the error") { $0.contains("unknown table 'evv'") }
    #expect(s.contains("did you mean 'ev'?"))
    try tmux.keys("C-d")
    #expect(tmux.waitForExit(), "Ctrl-D should end the REPL")
  }

  /// Progress is drawn in place only on a terminal: with standard error redirected to a file,
  /// nothing is redrawn there; on a terminal resized to 50 columns, the line fits them.
  @Test func progressOnlyOnATerminalAndAtItsWidth() throws {
    let csv = try bigCSV()
    let log = home.appendingPathComponent("stderr.log").path

    // `recbook 2>log` at a terminal.
    try startREPL(redirect: "2>\(log)")
    try tmux.keys("'load big from \(csv)' Enter")
    _ = try tmux.waitFor(120, "the load") { $0.contains("big: 1,500,000 rows x 4 columns") }
    try tmux.keys("C-d")
    #expect(tmux.waitForExit(), "Ctrl-D should end the REPL")
    tmux.kill()
    let written = try Data(contentsOf: URL(fileURLWithPath: log))
    #expect(
      !written.contains(13),
      "no \\r redraws in the log: \(String(decoding: written.prefix(300), as: UTF8.self))")
    #expect(!String(decoding: written, as: UTF8.self).contains("\u{1B}[K"))

    // At a terminal narrowed to 50 columns: a progress line that fits shows the label and the
    // percentage on one row (a line drawn for 120 columns wraps them apart). The load takes
    // about half a second in a debug build, so it is tried a few times.
    try startREPL()
    defer { tmux.kill() }
    try tmux.resize(width: 50)
    var seen = false
    var attempts = 0
    while !seen && attempts < 5 {
      attempts += 1
      let done = "big\(attempts): 1,500,000 rows"
      try tmux.keys("'load big\(attempts) from \(csv)' Enter")
      let deadline = Date().addingTimeInterval(60)
      while Date() < deadline {
        let rows = try tmux.rows().split(separator: "\n")
        if rows.contains(where: { $0.contains("load big.csv") && $0.contains("%") }) { seen = true }
        if rows.contains(where: { $0.hasPrefix(done) }) { break }
        usleep(20_000)
      }
    }
    let screen = try tmux.rows()
    #expect(seen, "a progress line fitted to 50 columns; screen:\n\(screen)")
    try tmux.keys("C-d")
    #expect(tmux.waitForExit(), "Ctrl-D should end the REPL")
  }
}
