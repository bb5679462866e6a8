import Foundation
import Testing

/// A tmux session that runs a command in a pseudo-terminal, for tests that type at the real
/// REPL (send-keys) and read the screen (capture-pane).
///
/// Each one has its own tmux server on a private socket (`tmux -S`), so a test never talks
/// to the user's tmux (or another test's), and `kill()` ends only that server.
struct Tmux {
  let session: String
  /// The private server's socket.
  let socket: String

  init(session: String) {
    self.session = session
    socket = FileManager.default.temporaryDirectory.appendingPathComponent("\(session).tmux").path
  }

  static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

  @discardableResult
  func run(_ args: String) throws -> String { try CLI.sh("tmux -S '\(socket)' \(args)") }

  /// Starts `command` in a `width` x `height` terminal (120 x 50 unless told).
  func start(_ command: String, width: Int = 120, height: Int = 50) throws {
    // The tmux server outlives this call: its output must not hold our pipe open.
    try run("new-session -d -s \(session) -x \(width) -y \(height) '\(command)' >/dev/null 2>&1")
  }

  /// Resizes the terminal, as a user dragging the window does (the program gets SIGWINCH).
  func resize(width: Int, height: Int = 50) throws {
    try run("resize-window -t \(session) -x \(width) -y \(height)")
    // tmux coalesces pane resizes: a second one within a quarter second reaches the pseudo-
    // terminal only when its timer fires. Wait for it, as a user would not type that fast.
    usleep(600_000)
  }

  func keys(_ k: String) throws { try run("send-keys -t \(session) \(k)") }

  /// The screen, with up to 200 lines of scrollback and wrapped lines joined.
  func screen() throws -> String { try run("capture-pane -p -J -S -200 -t \(session)") }

  /// The visible rows as drawn (wrapped lines not joined); with `escapes`, the colour and
  /// attribute codes too.
  func rows(escapes: Bool = false) throws -> String {
    try run("capture-pane -p \(escapes ? "-e " : "")-t \(session)")
  }

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

  /// Ends the private server (and so the session) and removes its socket.
  func kill() {
    _ = try? run("kill-server")
    try? FileManager.default.removeItem(atPath: socket)
  }
}
