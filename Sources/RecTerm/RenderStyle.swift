/// How to render: the width to fit, whether Unicode glyphs may be used, and
/// whether ANSI colour may be used.
///
/// RecTerm never asks the terminal: the executable measures the width, checks
/// `isatty` and `NO_COLOR`, and passes the answer in. Notebook files and tests
/// render with a fixed `RenderStyle(width: 80, unicode: true, color: false)`.
public struct RenderStyle: Sendable, Equatable {
  /// Terminal columns to fit; every rendered line is at most this wide
  /// (values below 1 are treated as 1).
  public var width: Int
  /// Box drawing, blocks, braille and `…`; otherwise plain ASCII.
  public var unicode: Bool
  /// ANSI colour and bold; otherwise plain text.
  public var color: Bool

  public init(width: Int = 80, unicode: Bool = true, color: Bool = false) {
    self.width = width
    self.unicode = unicode
    self.color = color
  }

  /// The style notebook files record outputs in: 80 columns, Unicode, no colour,
  /// so a replay compares equal on every machine.
  public static let notebook = RenderStyle(width: 80, unicode: true, color: false)

  /// Plain ASCII at the given width: for logs, pipes and dumb terminals.
  public static func plain(width: Int = 80) -> RenderStyle {
    RenderStyle(width: width, unicode: false, color: false)
  }

  /// The width actually fitted: `width`, at least 1.
  public var columns: Int { max(1, width) }

  /// The mark for text cut short: `…` or `...`.
  public var ellipsis: String { unicode ? "…" : "..." }

  /// The mark for a missing value in a table or legend: `—` or `-`.
  public var missing: String { unicode ? "—" : "-" }

  // MARK: - ANSI helpers (identity when `color` is false)

  /// The text in bold (table headers, plot titles).
  public func bold(_ text: String) -> String { sgr(text, "1") }

  /// The text dimmed (notes, footers, axis decorations).
  public func dim(_ text: String) -> String { sgr(text, "2") }

  /// The text in red (errors).
  public func error(_ text: String) -> String { sgr(text, "31") }

  /// The text in one of the eight basic colours.
  public func colored(_ text: String, _ color: ANSIColor) -> String {
    sgr(text, String(color.rawValue))
  }

  /// Wraps `text` in a Select Graphic Rendition sequence and a reset. Empty text
  /// stays empty so padding arithmetic is not disturbed by stray escapes.
  private func sgr(_ text: String, _ code: String) -> String {
    guard color, !text.isEmpty else { return text }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }

  /// One line fitted to the width: cut with the ellipsis if wider.
  func fit(_ line: String) -> String {
    TextWidth.truncate(line, to: columns, ellipsis: ellipsis)
  }
}

/// The basic ANSI foreground colours (SGR 31-36), the ones every terminal has.
public enum ANSIColor: Int, Sendable, CaseIterable {
  case red = 31, green = 32, yellow = 33, blue = 34, magenta = 35, cyan = 36

  /// Colours for plot series in order; red is kept for errors.
  static let series: [ANSIColor] = [.blue, .yellow, .green, .magenta, .cyan, .red]
}

extension RenderStyle {
  /// Whether output may be coloured: only on a terminal, never when `NO_COLOR` is set to a
  /// non-empty value (no-color.org: set and empty does not turn colour off), and never with
  /// `TERM=dumb`.
  ///
  /// Pure: the executable passes in whether the stream is a terminal and its environment.
  public static func colorAllowed(isTerminal: Bool, environment: [String: String]) -> Bool {
    guard isTerminal else { return false }
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    return environment["TERM"] != "dumb"
  }
}
