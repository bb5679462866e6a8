import Foundation
import TestSupport
import Testing

/// Drives the real REPL in a pseudo-terminal through tmux (send-keys, capture-pane).
@Suite(.serialized) struct REPLTests {
  let tmux = Tmux(session: "recbook-test-\(getpid())")
  let home = TestPaths.temporaryDirectory()

  /// Lines of the screen that hold a prompt.
  func prompts(_ s: String) -> Int { s.split(separator: "\n").filter { $0.hasPrefix("recbook>") }.count }

  @Test func typingCompletionHistoryInterruptAndExit() throws {
    try #require(Tmux.available, "tmux is needed for the pseudo-terminal test (scripts/setup installs it)")
    let csv = home.appendingPathComponent("big.csv").path
    // A file large enough that loading it takes a while in a debug build.
    var text = "user,item,rating,ts\n"
    text.reserveCapacity(40_000_000)
    for i in 0..<1_500_000 { text += "\(i % 9973),\(i % 1709),\(i % 5 + 1),\(1_700_000_000 + i)\n" }
    try text.write(toFile: csv, atomically: true, encoding: .utf8)
    let env = "HOME=\(home.path) RECBOOK_HISTORY=\(home.path)/hist NO_COLOR=1 TERM=xterm"
    try tmux.start("env \(env) \(CLI.binary)")
    defer { tmux.kill() }

    _ = try tmux.waitFor(10, "the first prompt") { $0.contains("recbook>") }

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
      $0.contains("2 of 50,000 rows") && $0.contains("purchase") || $0.contains("view")
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
}
