/// What to write to redraw a progress line in place, and to clear it.
///
/// Pure, like ``ProgressThrottle`` which it uses: the caller says once whether the
/// stream is a terminal, and at each report passes the time and the style, whose width
/// it should measure then, so a terminal resized during the work gets lines that fit.
/// Nothing is ever drawn on a stream that is not a terminal (a log file would fill
/// with `\r` redraws); there the cell's own output carries its one summary line
/// (`#~ fit in 8.4 s (3,214 examples/s)`).
public struct ProgressRedraw: Sendable {
  /// Whether the stream is a terminal; when not, nothing is drawn.
  public let terminal: Bool
  let maxPerSecond: Double
  var throttle: ProgressThrottle
  /// Whether a line is on the screen (and needs clearing).
  public private(set) var drawn = false

  public init(terminal: Bool, maxPerSecond: Double = 10) {
    self.terminal = terminal
    self.maxPerSecond = maxPerSecond
    throttle = ProgressThrottle(maxPerSecond: maxPerSecond)
  }

  /// The text that redraws the line (`\r`, the line fitted to `style.width`, erase to the
  /// end of the line), or `nil` when not on a terminal or too soon after the last draw.
  public mutating func draw(
    label: String, done: Int, total: Int?, elapsed: Double, fields: [(String, String)] = [],
    style: RenderStyle
  ) -> String? {
    guard terminal, throttle.shouldDraw(at: elapsed) else { return nil }
    drawn = true
    let line = ProgressLine.render(
      label: label, done: done, total: total, elapsed: elapsed, fields: fields, style: style)
    return "\r" + line + "\u{1B}[K"
  }

  /// The text that clears a drawn line (`nil` when none is drawn), and starts afresh.
  public mutating func clear() -> String? {
    defer { self = ProgressRedraw(terminal: terminal, maxPerSecond: maxPerSecond) }
    return drawn ? "\r\u{1B}[K" : nil
  }
}
