extension Plot {
  /// Horizontal block glyphs by eighths, index 0 (empty) to 8 (full).
  static let horizontalEighths: [String] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

  /// Horizontal bars, one per label, with the value printed at the end of each bar.
  ///
  ///     Drama   │████████████████████▏ 25,000
  ///     Comedy  │███████████▌ 14,000
  ///     Horror  │██▊ 3,200
  ///
  /// Bar lengths are proportional: `|value| / (max(values, 0) - min(values, 0))` of
  /// the bar area, in eighths of a column in Unicode and whole columns in ASCII.
  /// Negative values grow left from a zero axis; since block elements only come
  /// left-aligned, leftward bars resolve half columns (`▐`) instead of eighths.
  /// NaN and infinite values get no bar and their label (`nan`, `inf`). With more
  /// labels than values (or the reverse) the extra ones are dropped with a note.
  /// `format` formats the value labels (by default ``NumberFormat/general(_:)``, or
  /// ``NumberFormat/compact(_:)`` once a value reaches ten million).
  public static func bar(
    labels: [String], values: [Double], title: String? = nil, style: RenderStyle = RenderStyle(),
    format: ((Double) -> String)? = nil
  ) -> String {
    let count = min(labels.count, values.count)
    var notes: [String] = []
    if labels.count != values.count {
      notes.append("\(labels.count) labels and \(values.count) values: showing the first \(count)")
    }
    guard count > 0 else {
      return assemble(title: title, body: ["(no data)"], notes: notes, style: style)
    }
    let width = style.columns
    let names = labels.prefix(count).map { TextWidth.sanitized($0, replacement: "?") }
    let numbers = Array(values.prefix(count))
    // Default labels: exact (`25,000`, `0.82`) unless some value reaches ten million,
    // then compact for all (`1.0T`, `420B`) so the bars keep their room.
    let large = numbers.contains { $0.isFinite && $0.magnitude >= 1e7 }
    let automatic: (Double) -> String = {
      large ? NumberFormat.compact($0) : NumberFormat.general($0)
    }
    let texts = numbers.map(format ?? automatic)
    let finite = numbers.filter(\.isFinite)
    let hasNegative = finite.contains { $0 < 0 }
    let maxPositive = max(0, finite.max() ?? 0)
    let maxNegative = max(0, -(finite.min() ?? 0))
    let valueWidth = texts.map { TextWidth.of($0) }.max() ?? 0
    let labelWidth = min(names.map { TextWidth.of($0) }.max() ?? 0, max(1, width / 3))

    // Room for bars: the label column, a space, the zero axis, and the value labels
    // (on the right of positive bars and on the left of negative ones).
    let reserved = labelWidth + 1 + 1 + (valueWidth + 1) * (hasNegative ? 2 : 1)
    let room = width - reserved
    if width < minimumWidth || room < 4 {
      // Too narrow for bars: labels and right-aligned values.
      let valueColumn = min(valueWidth, width)
      let nameColumn = min(names.map { TextWidth.of($0) }.max() ?? 0, max(0, width - valueColumn - 1))
      let body = names.indices.map { i -> String in
        let value = TextWidth.pad(texts[i], to: valueColumn, alignment: .right, ellipsis: style.ellipsis)
        guard nameColumn > 0 else { return value }
        return TextWidth.pad(names[i], to: nameColumn, ellipsis: style.ellipsis) + " " + value
      }
      return assemble(title: title, body: body, notes: notes, style: style)
    }
    let total = maxPositive + maxNegative
    let perUnit = total > 0 && total.isFinite ? Double(room) / total : 0
    let negativeCells = hasNegative ? Int((maxNegative * perUnit).rounded(.up)) : 0
    let leftWidth = hasNegative ? negativeCells + valueWidth + 1 : 0
    let axis = style.unicode ? "│" : "|"
    var body: [String] = []
    for i in names.indices {
      let v = numbers[i]
      let label = TextWidth.pad(names[i], to: labelWidth, ellipsis: style.ellipsis)
      var left = ""
      var right = ""
      if v.isFinite && v < 0 {
        let bar = leftBar(cells: -v * perUnit, unicode: style.unicode)
        left = texts[i] + " " + style.colored(bar, color(0))
      } else {
        let bar = v.isFinite ? rightBar(cells: v * perUnit, unicode: style.unicode) : ""
        right = style.colored(bar, color(0)) + " " + texts[i]
      }
      let leftPadded = String(repeating: " ", count: max(0, leftWidth - TextWidth.of(left))) + left
      body.append(label + " " + leftPadded + axis + right)
    }
    return assemble(title: title, body: body, notes: notes, style: style)
  }

  /// A bar `cells` columns long growing right: full blocks then one eighth block
  /// (Unicode), or `#` rounded to whole columns (ASCII). A bar for a value that
  /// rounds to nothing stays empty.
  static func rightBar(cells: Double, unicode: Bool) -> String {
    guard cells.isFinite, cells > 0 else { return "" }
    if !unicode { return String(repeating: "#", count: Int(cells.rounded())) }
    let eighths = Int((cells * 8).rounded())
    return String(repeating: "█", count: eighths / 8) + horizontalEighths[eighths % 8]
  }

  /// A bar `cells` columns long growing left: a right-half block `▐` then full blocks
  /// (Unicode, half-column resolution), or `#` (ASCII).
  static func leftBar(cells: Double, unicode: Bool) -> String {
    guard cells.isFinite, cells > 0 else { return "" }
    if !unicode { return String(repeating: "#", count: Int(cells.rounded())) }
    let halves = Int((cells * 2).rounded())
    return (halves % 2 == 1 ? "▐" : "") + String(repeating: "█", count: halves / 2)
  }
}
