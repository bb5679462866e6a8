#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Text plots: histograms, bars, lines, scatter, heatmaps and sparklines.
///
/// Every plot is a pure function of its data and a ``RenderStyle``: it returns the
/// lines joined by `\n` (no trailing newline), none wider than the width. Unicode
/// plots use block elements (`▁▂▃▄▅▆▇█`, `▏▎▍▌▋▊▉█`) and braille (2×4 dots per
/// cell); the ASCII fallback uses `#`, `*`, `+` and friends. Axes carry nice tick
/// values (1, 2, 5 × 10ᵏ) formatted with ``NumberFormat``.
///
/// Bad input never crashes: missing and non-finite values are skipped and counted
/// in a note under the plot, empty input gives `(no data)`, a constant series gets
/// an axis around its value, and below ``minimumWidth`` columns each plot falls
/// back to a compact text summary.
public enum Plot {
  /// Narrowest width at which a plot with axes is drawn; below it a compact form is used.
  public static let minimumWidth = 20

  /// Markers for series in ASCII plots and in legends, in series order.
  static let markers: [Character] = ["*", "+", "o", "x", "#", "@", "%", "&"]

  /// The marker of series `i` (markers repeat after eight series).
  static func marker(_ i: Int) -> Character { markers[i % markers.count] }

  /// The colour of series `i`.
  static func color(_ i: Int) -> ANSIColor { ANSIColor.series[i % ANSIColor.series.count] }

  /// Title, body and notes as one string, every line fitted to the width.
  static func assemble(title: String?, body: [String], notes: [String], style: RenderStyle) -> String {
    var lines: [String] = []
    if let title, !title.isEmpty {
      lines.append(style.bold(style.fit(TextWidth.sanitized(title, replacement: "?"))))
    }
    lines += body.map { trimmingTrailingSpaces(style.fit($0)) }
    lines += notes.map { style.dim(style.fit($0)) }
    return lines.joined(separator: "\n")
  }

  /// The line without trailing spaces, so goldens and notebooks have none.
  static func trimmingTrailingSpaces(_ line: String) -> String {
    var t = Substring(line)
    while t.last == " " { t = t.dropLast() }
    return String(t)
  }

  /// "3 missing values skipped"-style notes for values a plot could not draw.
  static func skippedNotes(missing: Int, nonFinite: Int, noun: String) -> [String] {
    var parts: [String] = []
    if missing > 0 { parts.append("\(NumberFormat.integer(missing)) missing") }
    if nonFinite > 0 { parts.append("\(NumberFormat.integer(nonFinite)) nan/inf") }
    guard !parts.isEmpty else { return [] }
    let total = missing + nonFinite
    return ["\(parts.joined(separator: ", ")) \(noun)\(total == 1 ? "" : "s") skipped"]
  }

  /// A tick on an axis: where it is (row or column) and its label.
  struct Tick: Equatable {
    var position: Int
    var label: String
  }

  /// Ticks for a horizontal axis `cells` wide over `[lo, hi]`: the finest nice step
  /// whose labels stay at least two columns apart
  /// and ticks at least eight columns apart (denser ticks make the axis hard to read). With `extend` the axis runs from
  /// the tick at or below `lo` to the one at or above `hi` (line plots); otherwise
  /// it runs over exactly `[lo, hi]` and only ticks inside are kept (histograms).
  static func horizontalTicks(lo: Double, hi: Double, cells: Int, extend: Bool) -> NiceScale {
    let fallback = NiceScale(min: lo, max: hi, maxTicks: 2)
    let span = hi / 2 - lo / 2
    guard span > 0, span.isFinite, hi - lo < .infinity else { return fallback }
    let top = Int(log10(hi - lo).rounded(.down))
    var best: NiceScale?
    for power in (top - 3)...(top + 1) {
      for mantissa in [1.0, 2.0, 5.0] {
        // Ticks at least eight columns apart: more than cells / 8 + 2 cannot fit, so
        // such steps are skipped before any label is formatted.
        guard
          let scale = NiceScale(
            lo: lo, hi: hi, mantissa: mantissa, power: power, extend: extend, limit: cells / 8 + 2)
        else { continue }
        guard scale.ticks.count >= 2 else { continue }
        let widest = scale.labels.map { TextWidth.of($0) }.max() ?? 1
        let axisSpan = scale.hi / 2 - scale.lo / 2
        let gap = Double(cells) * (scale.step / 2) / axisSpan
        if gap >= Double(max(widest + 2, 8)) { return scale }
        best = scale  // the coarsest so far: overlapping labels are skipped when drawn
      }
    }
    return best ?? (extend ? fallback : NiceScale(lo: lo, hi: hi, step: hi - lo, ticks: [lo, hi]))
  }

  /// A canvas framed by a y axis on the left and an x axis below.
  ///
  ///     loss
  ///     0.8 ┤⡀
  ///         │⠈⠢⡀
  ///     0.4 ┤  ⠈⠢⣀⣀
  ///       0 └┬────┬────┬
  ///          0    5    10
  ///              epoch
  ///
  /// - Parameters:
  ///   - canvas: rows already drawn, each `cells` columns wide.
  ///   - yTicks: positions are rows of the canvas; `rows.count` means the axis line.
  ///   - xTicks: positions are columns, `0...cells` (`cells` is one past the canvas,
  ///     used by histograms whose last bin edge sits there).
  static func framed(
    canvas: [String], cells: Int, yTicks: [Tick], xTicks: [Tick], xLabel: String?, yLabel: String?,
    style: RenderStyle
  ) -> [String] {
    let u = style.unicode
    let labelWidth = yTicks.map { TextWidth.of($0.label) }.max() ?? 0
    let indent = String(repeating: " ", count: labelWidth + 1)
    var out: [String] = []
    if let yLabel, !yLabel.isEmpty {
      out.append(TextWidth.sanitized(yLabel, replacement: "?"))
    }
    var rowTicks: [Int: String] = [:]
    for t in yTicks where rowTicks[t.position] == nil { rowTicks[t.position] = t.label }
    for (r, row) in canvas.enumerated() {
      if let label = rowTicks[r] {
        out.append(TextWidth.pad(label, to: labelWidth, alignment: .right) + " " + (u ? "┤" : "+") + row)
      } else {
        out.append(indent + (u ? "│" : "|") + row)
      }
    }
    // The x axis: a corner, a rule with tick marks, one column past the canvas when a
    // tick sits there.
    let xTickColumns = Set(xTicks.map(\.position))
    let ruleCells = xTickColumns.contains(cells) ? cells + 1 : cells
    var rule = ""
    for c in 0..<ruleCells {
      rule += xTickColumns.contains(c) ? (u ? "┬" : "+") : (u ? "─" : "-")
    }
    let corner = u ? "└" : "+"
    let axisLabel = rowTicks[canvas.count].map { TextWidth.pad($0, to: labelWidth, alignment: .right) }
    out.append((axisLabel.map { $0 + " " } ?? indent) + corner + rule)
    // Tick labels centred under their marks, skipping any that would overlap.
    let origin = labelWidth + 2
    var labelLine = ""
    var used = 0
    for tick in xTicks.sorted(by: { $0.position < $1.position }) {
      let w = TextWidth.of(tick.label)
      var start = origin + tick.position - w / 2
      start = min(start, style.columns - w)
      let gap = used == 0 ? 0 : 1
      if start < used + gap || start < 0 { continue }
      labelLine += String(repeating: " ", count: start - used) + tick.label
      used = start + w
    }
    if !labelLine.isEmpty { out.append(labelLine) }
    if let xLabel, !xLabel.isEmpty {
      let text = TextWidth.sanitized(xLabel, replacement: "?")
      let pad = max(0, origin + (ruleCells - TextWidth.of(text)) / 2)
      out.append(String(repeating: " ", count: pad) + text)
    }
    return out
  }

  /// A legend line: `* train  + test`, markers coloured when the style has colour.
  static func legend(_ names: [String], style: RenderStyle) -> String {
    names.enumerated().map { i, name in
      style.colored(String(marker(i)), color(i)) + " " + TextWidth.sanitized(name, replacement: "?")
    }.joined(separator: "  ")
  }
}
