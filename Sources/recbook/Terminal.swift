import Foundation

/// Facts about the terminal the process runs in.
enum Terminal {
  static var stdinIsTTY: Bool { isatty(0) == 1 }
  static var stdoutIsTTY: Bool { isatty(1) == 1 }

  /// The output width: the terminal's columns on a TTY, else `COLUMNS`, else 80.
  static var width: Int {
    if stdoutIsTTY {
      var ws = winsize()
      if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return Int(ws.ws_col) }
    }
    if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 0 { return n }
    return 80
  }

  /// Colour only on a TTY, and never under NO_COLOR or TERM=dumb.
  static var useColor: Bool {
    let env = ProcessInfo.processInfo.environment
    return stdoutIsTTY && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
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
