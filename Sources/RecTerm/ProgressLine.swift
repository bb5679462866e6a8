/// One line of progress for long work (load, fit, evaluate), as pure text.
///
///     fit neumf ▕████▌     ▏ 45% 12,345/27,000 3.2k/s ETA 0:04 loss=0.3412
///
/// The executable redraws it in place on a TTY (``ProgressRedraw``); elsewhere nothing
/// is drawn and the cell's output carries its one summary line.
/// Nothing here reads a clock or writes to the terminal.
public enum ProgressLine {
  /// Widest the bar grows on wide terminals, and narrowest it is drawn at all.
  static let maximumBar = 30
  static let minimumBar = 6

  /// The progress line fitted to `style.width`.
  ///
  /// With a known `total` it shows a bar, the percentage, `done/total`, the rate and
  /// the ETA; without one, the count and rate. When the line does not fit, parts
  /// are dropped from the least useful: the fields (from the last), the rate, the
  /// ETA, the counts, then the bar; whatever is left is cut with an ellipsis.
  /// `done` beyond `total` shows as 100%; negative or NaN inputs count as zero.
  public static func render(
    label: String, done: Int, total: Int?, elapsed: Double, fields: [(String, String)] = [],
    style: RenderStyle = RenderStyle()
  ) -> String {
    let width = style.columns
    let done = max(0, done)
    let seconds = elapsed.isFinite && elapsed > 0 ? elapsed : 0
    let rate = seconds > 0 ? Double(done) / seconds : nil
    let total = total.map { max(0, $0) }
    let fraction: Double? = total.map { $0 == 0 ? 1 : min(1, Double(done) / Double($0)) }

    let name = TextWidth.sanitized(label, replacement: "?")
    // Rounded down, so 100% shows only when the work is done.
    let percent = fraction.map { "\(Int(($0 * 100).rounded(.down)))%" }
    var countsPart: String? =
      total.map { "\(NumberFormat.integer(done))/\(NumberFormat.integer($0))" }
      ?? NumberFormat.integer(done)
    var ratePart = rate.map { NumberFormat.compact($0) + "/s" }
    var etaPart: String?
    if let total, let rate, rate > 0, done < total {
      etaPart = "ETA " + NumberFormat.clock(seconds: Double(total - done) / rate)
    }
    var fieldParts = fields.map { TextWidth.sanitized("\($0.0)=\($0.1)", replacement: "?") }
    var showBar = fraction != nil

    // The parts after the bar, in display order; a dropped part is nil.
    func tail() -> [String] { [percent, countsPart, ratePart, etaPart].compactMap { $0 } + fieldParts }
    func textWidth() -> Int { TextWidth.of(([name] + tail()).joined(separator: " ")) }
    while textWidth() + (showBar ? minimumBar + 3 : 0) > width {
      if !fieldParts.isEmpty {
        fieldParts.removeLast()
      } else if ratePart != nil {
        ratePart = nil
      } else if etaPart != nil {
        etaPart = nil
      } else if countsPart != nil {
        countsPart = nil
      } else if showBar {
        showBar = false
      } else {
        break
      }
    }
    var parts = [style.bold(name)]
    if showBar, let fraction {
      let cells = min(maximumBar, width - textWidth() - 3)
      parts.append(bar(fraction: fraction, cells: cells, style: style))
    }
    parts += tail()
    return style.fit(parts.joined(separator: " "))
  }

  /// A bar `cells` wide between end marks: `▕████▌     ▏` or `[####      ]`.
  ///
  /// The filled part is `fraction × cells` in eighths of a cell (Unicode) or whole
  /// cells (ASCII), rounded down so the bar is full only when the work is done.
  static func bar(fraction: Double, cells: Int, style: RenderStyle) -> String {
    let n = max(1, cells)
    let f = fraction.isFinite ? max(0, min(1, fraction)) : 0
    if style.unicode {
      let eighths = Int((f * Double(n * 8)).rounded(.down))
      var inner = String(repeating: "█", count: eighths / 8) + Plot.horizontalEighths[eighths % 8]
      inner = style.colored(inner, .cyan) + String(repeating: " ", count: n - TextWidth.of(inner))
      return "▕" + inner + "▏"
    }
    let filled = Int((f * Double(n)).rounded(.down))
    return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: n - filled) + "]"
  }
}
