extension Plot {
  /// Shades from lowest to highest value.
  static let shadesUnicode: [Character] = [" ", "░", "▒", "▓", "█"]
  static let shadesASCII: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]

  /// A grid of shaded cells, one row per row label and one column per column label.
  ///
  ///            u1 u2 u3
  ///     item a ░░ ▓▓ ██
  ///     item b    ▒▒ ··
  ///     0.1 ▕ ░▒▓█▏ 4.5   · missing
  ///
  /// A value maps to shade `round((v - min) / (max - min) × (levels - 1))`, five levels
  /// in Unicode (` ░▒▓█`) and ten in ASCII (` .:-=+*#%@`); all-equal values take
  /// the middle shade; the scale's ends are written compactly (`990B`, `10T`) once a value
  /// reaches ten million. Missing, NaN and infinite values show `·` (ASCII `?`) and are
  /// counted in the legend. Column labels sit above the cells when they fit, otherwise
  /// they are written vertically; columns that do not fit the width are left out
  /// with a note.
  public static func heatmap(
    rows: [String], columns: [String], values: [[Double?]], title: String? = nil,
    style: RenderStyle = RenderStyle()
  ) -> String {
    let width = style.columns
    let rowNames = rows.map { TextWidth.sanitized($0, replacement: "?") }
    let columnNames = columns.map { TextWidth.sanitized($0, replacement: "?") }
    func value(_ r: Int, _ c: Int) -> Double? {
      guard r < values.count, c < values[r].count, let v = values[r][c], v.isFinite else { return nil }
      return v
    }
    var missing = 0
    var nonFinite = 0
    var present: [Double] = []
    for r in rowNames.indices {
      for c in columnNames.indices {
        if r < values.count, c < values[r].count, let v = values[r][c] {
          if v.isFinite { present.append(v) } else { nonFinite += 1 }
        } else {
          missing += 1
        }
      }
    }
    var notes: [String] = []
    guard let lo = present.min(), let hi = present.max() else {
      return assemble(title: title, body: ["(no data)"], notes: notes, style: style)
    }
    let shades = style.unicode ? shadesUnicode : shadesASCII
    let missingMark: Character = style.unicode ? "·" : "?"

    // Row labels take at most a third of the width; cells share the rest.
    let labelWidth = width < 8 ? 0 : min(rowNames.map { TextWidth.of($0) }.max() ?? 0, width / 3)
    let room = max(1, width - labelWidth - (labelWidth > 0 ? 1 : 0))
    let shown = min(columnNames.count, room)
    if shown < columnNames.count {
      notes.append("showing \(shown) of \(columnNames.count) columns")
    }
    let widestColumn = columnNames.prefix(shown).map { TextWidth.of($0) }.max() ?? 1
    let cellWidth = max(1, min(room / max(1, shown), max(2, widestColumn + 1)))
    let indent = String(repeating: " ", count: labelWidth + (labelWidth > 0 ? 1 : 0))

    var body: [String] = []
    if widestColumn < cellWidth || cellWidth >= 4 {
      // Horizontal labels, centred over their cells, one column of gap between.
      let header = columnNames.prefix(shown).map {
        TextWidth.pad($0, to: cellWidth - 1, alignment: .center, ellipsis: style.ellipsis) + " "
      }
      body.append(indent + header.joined())
    } else {
      // Vertical labels: one character per line, at most six lines.
      let depth = min(6, widestColumn)
      for line in 0..<depth {
        var text = indent
        for name in columnNames.prefix(shown) {
          let chars = Array(name)
          var glyph = line < chars.count ? String(chars[line]) : " "
          if TextWidth.of(glyph) != 1 { glyph = line < chars.count ? "?" : " " }
          text += TextWidth.pad(glyph, to: cellWidth, alignment: cellWidth > 1 ? .center : .left)
        }
        body.append(text)
      }
    }
    for (r, name) in rowNames.enumerated() {
      var line = labelWidth > 0 ? TextWidth.pad(name, to: labelWidth, ellipsis: style.ellipsis) + " " : ""
      for c in 0..<shown {
        if let v = value(r, c) {
          let level = lo == hi ? shades.count / 2 : shadeLevel(v, lo: lo, hi: hi, levels: shades.count)
          line += String(repeating: shades[level], count: cellWidth)
        } else {
          line += TextWidth.pad(String(missingMark), to: cellWidth, alignment: .center)
        }
      }
      body.append(line)
    }
    let (open, close) = style.unicode ? ("▕", "▏") : ("[", "]")
    // Like the bar chart's labels: compact (`990B`, `10T`) once a value reaches ten million,
    // so the scale's ends stay short enough to read on a narrow terminal.
    let large = max(lo.magnitude, hi.magnitude) >= 1e7
    let label = { (v: Double) in large ? NumberFormat.compact(v) : NumberFormat.general(v) }
    var scale = "\(label(lo)) \(open)\(String(shades))\(close) \(label(hi))"
    if missing + nonFinite > 0 {
      scale += "   \(missingMark) missing (\(NumberFormat.integer(missing + nonFinite)))"
    }
    if nonFinite > 0 {
      notes.append("\(NumberFormat.integer(nonFinite)) nan/inf shown as missing")
    }
    body.append(scale)
    return assemble(title: title, body: body, notes: notes, style: style)
  }

  /// The shade of `v`: `round((v - lo) / (hi - lo) × (levels - 1))`.
  static func shadeLevel(_ v: Double, lo: Double, hi: Double, levels: Int) -> Int {
    let t = fraction(v, lo: lo, hi: hi)
    return max(0, min(levels - 1, Int((t * Double(levels - 1)).rounded())))
  }
}
