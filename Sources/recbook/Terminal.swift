import Foundation
import RecTerm

/// Facts about the terminal the process runs in.
enum Terminal {
  static var stdinIsTTY: Bool { isatty(0) == 1 }
  static var stdoutIsTTY: Bool { isatty(1) == 1 }
  static var stderrIsTTY: Bool { isatty(2) == 1 }

  /// The output width, measured now (a terminal can be resized between two cells): the
  /// terminal's columns on a TTY, else `COLUMNS`, else 80.
  static var width: Int { width(of: 1) }

  /// The width of standard error, where progress is drawn.
  static var errorWidth: Int { width(of: 2) }

  /// The columns of the terminal `fd` is, else `COLUMNS`, else 80.
  static func width(of fd: Int32) -> Int {
    if isatty(fd) == 1 {
      var ws = winsize()
      if ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
    }
    if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 0 { return n }
    return 80
  }

  /// Colour only on a TTY, and never under a non-empty NO_COLOR or with TERM=dumb
  /// (`RenderStyle.colorAllowed`, tested there).
  static var useColor: Bool {
    RenderStyle.colorAllowed(isTerminal: stdoutIsTTY, environment: ProcessInfo.processInfo.environment)
  }

  /// Unicode box drawing unless the locale or RECBOOK_ASCII says otherwise.
  static var unicode: Bool {
    let env = ProcessInfo.processInfo.environment
    if env["RECBOOK_ASCII"] != nil { return false }
    let lang = env["LC_ALL"] ?? env["LC_CTYPE"] ?? env["LANG"] ?? ""
    if lang == "C" || lang == "POSIX" { return !stdoutIsTTY }
    return true
  }

  /// Red text for errors, when colour is on.
  static func red(_ s: String) -> String { useColor ? "\u{1B}[31m" + s + "\u{1B}[0m" : s }

  static func writeOut(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
  }
  static func writeErr(_ s: String) {
    FileHandle.standardError.write(Data(s.utf8))
  }
}
