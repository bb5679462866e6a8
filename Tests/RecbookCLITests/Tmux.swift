import Foundation
import Testing

/// A tmux session that runs a command in a pseudo-terminal, for tests that type at the real
/// REPL (send-keys) and read the screen (capture-pane).
struct Tmux {
  let session: String

  static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

  @discardableResult
  func run(_ args: String) throws -> String { try CLI.sh("tmux \(args)") }

  /// Starts `command` in a 120 x 50 terminal.
  func start(_ command: String) throws {
    // The tmux server outlives this call: its output must not hold our pipe open.
    try run("new-session -d -s \(session) -x 120 -y 50 '\(command)' >/dev/null 2>&1")
  }

  func keys(_ k: String) throws { try run("send-keys -t \(session) \(k)") }

  /// The screen, with up to 200 lines of scrollback and wrapped lines joined.
  func screen() throws -> String { try run("capture-pane -p -J -S -200 -t \(session)") }

  /// Waits until the screen satisfies `condition` (polling every 50 ms, at most `seconds`).
  @discardableResult
  func waitFor(_ seconds: Double = 20, _ what: String, _ condition: (String) -> Bool) throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var s = ""
    while Date() < deadline {
      s = try screen()
      if condition(s) { return s }
      usleep(50_000)
    }
    Issue.record("timed out waiting for \(what); screen:\n\(s)")
    return s
  }

  var isRunning: Bool { (try? run("list-sessions 2>/dev/null || true"))?.contains(session) ?? false }

  /// Waits (at most `seconds`) for the command to end; whether it did.
  func waitForExit(_ seconds: Double = 20) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline, isRunning { usleep(50_000) }
    return !isRunning
  }

  func kill() { _ = try? run("kill-session -t \(session)") }
}
