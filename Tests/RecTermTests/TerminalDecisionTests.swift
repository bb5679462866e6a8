import RecTerm
import Testing

/// The decisions the executable takes from the terminal, as pure functions: whether to
/// colour (NO_COLOR, TERM=dumb, not a TTY), and what to write to redraw progress in place.
struct TerminalDecisionTests {
  @Test func colourOnlyOnATerminalWithoutNoColorOrDumbTerm() {
    let cases: [(isTerminal: Bool, env: [String: String], color: Bool)] = [
      (true, [:], true),
      (true, ["TERM": "xterm-256color"], true),
      (false, [:], false),
      (false, ["TERM": "xterm-256color"], false),
      // no-color.org: set and non-empty turns colour off, whatever the value.
      (true, ["NO_COLOR": "1"], false),
      (true, ["NO_COLOR": "0"], false),
      (true, ["NO_COLOR": "false"], false),
      // Set but empty does not.
      (true, ["NO_COLOR": ""], true),
      (true, ["TERM": "dumb"], false),
      (true, ["TERM": "dumb", "NO_COLOR": ""], false),
      (false, ["NO_COLOR": ""], false),
    ]
    for c in cases {
      #expect(
        RenderStyle.colorAllowed(isTerminal: c.isTerminal, environment: c.env) == c.color,
        "isTerminal \(c.isTerminal), environment \(c.env)")
    }
  }

  /// The line a redraw writes: between `\r` and the erase-to-end-of-line sequence.
  static func line(_ text: String?) -> String? {
    guard let text, text.hasPrefix("\r"), text.hasSuffix("\u{1B}[K") else { return nil }
    return String(text.dropFirst().dropLast(3))
  }

  @Test func nothingIsDrawnWhereTheStreamIsNotATerminal() {
    var redraw = ProgressRedraw(terminal: false)
    for t in stride(from: 0.0, through: 2, by: 0.25) {
      #expect(
        redraw.draw(label: "load", done: Int(t * 10), total: 20, elapsed: t, style: RenderStyle()) == nil)
    }
    #expect(!redraw.drawn)
    #expect(redraw.clear() == nil)
  }

  @Test func eachDrawFitsTheWidthItIsGiven() throws {
    var redraw = ProgressRedraw(terminal: true)
    let fields = [("loss", "0.3412")]
    let wide = try #require(
      Self.line(
        redraw.draw(
          label: "fit neumf", done: 10, total: 100, elapsed: 0, fields: fields, style: RenderStyle(width: 120)
        )))
    #expect(wide.contains("10%") && wide.contains("loss=0.3412"))
    // The terminal is narrowed to 30 columns: the next draw fits it.
    let narrow = try #require(
      Self.line(
        redraw.draw(
          label: "fit neumf", done: 20, total: 100, elapsed: 0.5, fields: fields,
          style: RenderStyle(width: 30))))
    #expect(TextWidth.of(narrow) <= 30)
    #expect(narrow.hasPrefix("fit neumf") && narrow.contains("20%"))
    #expect(TextWidth.of(wide) > 30)
    // Throttled: a report 10 ms later draws nothing.
    #expect(redraw.draw(label: "fit neumf", done: 21, total: 100, elapsed: 0.51, style: RenderStyle()) == nil)
  }

  @Test func clearingErasesADrawnLineOnceAndStartsAfresh() {
    var redraw = ProgressRedraw(terminal: true)
    #expect(redraw.clear() == nil, "nothing drawn, nothing to clear")
    #expect(redraw.draw(label: "load", done: 1, total: 2, elapsed: 5, style: RenderStyle()) != nil)
    #expect(redraw.clear() == "\r\u{1B}[K")
    #expect(redraw.clear() == nil)
    // A new cell's first report draws at once, whatever the time.
    #expect(redraw.draw(label: "load", done: 1, total: 2, elapsed: 5.01, style: RenderStyle()) != nil)
  }
}
