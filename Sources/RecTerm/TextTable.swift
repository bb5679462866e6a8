/// A table of strings rendered to fit a terminal width.
///
/// Callers format their values first (``NumberFormat`` for numbers,
/// ``RenderStyle/missing`` for missing values) and mark numeric columns
/// right-aligned. Rendering:
///
/// - The default border is a light one: columns separated by two spaces and a
///   rule under the header. It reads well in a notebook's `#>` lines and a
///   changed cell changes one line of a diff. `.box` draws a full grid
///   (`┌─┬─┐`, ASCII `+-+`).
/// - When the natural widths do not fit, the widest text columns shrink first and
///   long cells end in `…` (`...` in ASCII); number columns only lose the part of
///   their title wider than their numbers, since a cut number misleads.
/// - When text columns of four characters and whole numbers do not fit, the table
///   falls back to a vertical record layout, one `column: value` line per field.
/// - No line is ever wider than the style's width, measured in display columns
///   (wide CJK characters count two).
///
///     user  title                  rating
///     ────  ─────────────────────  ──────
///        1  Toy Story (1995)          4.5
///     … 9,990 more rows
public struct TextTable: Sendable, Equatable {
  /// One column: its title and how its cells align.
  public struct Column: Sendable, Equatable {
    public var title: String
    public var alignment: TextWidth.Alignment

    public init(_ title: String, alignment: TextWidth.Alignment = .left) {
      self.title = title
      self.alignment = alignment
    }

    /// A right-aligned column, for numbers.
    public static func number(_ title: String) -> Column { Column(title, alignment: .right) }
  }

  /// How the table is framed.
  public enum Border: Sendable, Equatable {
    /// Two spaces between columns and a rule under the header.
    case rule
    /// A full grid with box-drawing characters.
    case box
  }

  public var columns: [Column]
  /// Rows of cells; a short row is padded with empty cells, extra cells are ignored.
  public var rows: [[String]]
  /// An optional line under the table, e.g. ``moreRows(_:style:)``.
  public var footer: String?
  public var border: Border

  public init(columns: [Column], rows: [[String]], footer: String? = nil, border: Border = .rule) {
    self.columns = columns
    self.rows = rows
    self.footer = footer
    self.border = border
  }

  /// The footer for a table showing only its first rows: `… 9,990 more rows`.
  public static func moreRows(_ count: Int, style: RenderStyle) -> String {
    "\(style.ellipsis) \(NumberFormat.integer(count)) more row\(count == 1 ? "" : "s")"
  }

  /// Narrowest a column is shrunk to before the record layout takes over.
  static let minimumColumnWidth = 4

  /// The table as lines joined by `\n` (no trailing newline), fitted to `style.width`.
  ///
  /// - Complexity: O(rows × columns) cell measurements.
  public func render(_ style: RenderStyle) -> String {
    let width = style.columns
    let replacement = style.unicode ? "\u{FFFD}" : "?"
    let titles = columns.map { TextWidth.sanitized($0.title, replacement: replacement) }
    let cells = rows.map { row in
      (0..<columns.count).map { i in
        i < row.count ? TextWidth.sanitized(row[i], replacement: replacement) : ""
      }
    }
    var lines: [String]
    if columns.isEmpty {
      lines = []
    } else if let widths = fittedWidths(titles: titles, cells: cells, width: width) {
      lines = grid(titles: titles, cells: cells, widths: widths, style: style)
    } else {
      lines = records(titles: titles, cells: cells, style: style)
    }
    if let footer {
      lines.append(style.dim(style.fit(TextWidth.sanitized(footer, replacement: replacement))))
    }
    return lines.joined(separator: "\n")
  }

  /// Columns of space the border takes for `n` columns.
  func overhead(_ n: Int) -> Int {
    switch border {
    case .rule: return 2 * (n - 1)
    case .box: return 3 * n + 1
    }
  }

  /// Column widths that fit in `width`, or `nil` when the record layout is needed.
  ///
  /// Text columns shrink first, widest first, down to ``minimumColumnWidth``; then
  /// number columns shrink, but only their titles: a number column never gets
  /// narrower than its widest cell, because a cut number (`12,3…`) misleads. When
  /// that is still too wide, the record layout takes over.
  ///
  /// Shrinking is water-filling: the largest cap `c` with `Σ max(floor, min(natural,
  /// c)) ≤ room`, so the widest columns lose columns first and narrow ones keep their
  /// width; the columns left over go to the capped columns from the left.
  func fittedWidths(titles: [String], cells: [[String]], width: Int) -> [Int]? {
    var natural = titles.map { max(1, TextWidth.of($0)) }
    var widestCell = Array(repeating: 1, count: columns.count)
    for row in cells {
      for (i, cell) in row.enumerated() {
        let w = TextWidth.of(cell)
        natural[i] = max(natural[i], w)
        widestCell[i] = max(widestCell[i], w)
      }
    }
    let room = width - overhead(columns.count)
    if natural.reduce(0, +) <= room { return natural }
    let isNumber = columns.map { $0.alignment == .right }
    var widths = natural
    // Phase 1: text columns; phase 2: number columns, down to their widest cell.
    for phase in 0..<2 {
      let shrinkable = columns.indices.filter { isNumber[$0] == (phase == 1) }
      let floor = columns.indices.map { i in
        isNumber[i] ? min(natural[i], widestCell[i]) : min(natural[i], TextTable.minimumColumnWidth)
      }
      let fixed = widths.indices.filter { !shrinkable.contains($0) }.map { widths[$0] }.reduce(0, +)
      let budget = room - fixed
      func used(_ c: Int) -> Int {
        shrinkable.map { max(floor[$0], min(natural[$0], c)) }.reduce(0, +)
      }
      var cap = shrinkable.map { natural[$0] }.max() ?? 0
      while cap > 0 && used(cap) > budget { cap -= 1 }
      for i in shrinkable { widths[i] = max(floor[i], min(natural[i], cap)) }
      var spare = budget - used(cap)
      if spare >= 0 {
        for i in shrinkable where spare > 0 && widths[i] < natural[i] {
          widths[i] += 1
          spare -= 1
        }
        return widths
      }
    }
    return nil
  }

  /// The table drawn as a grid with the given column widths.
  func grid(titles: [String], cells: [[String]], widths: [Int], style: RenderStyle) -> [String] {
    let u = style.unicode
    let e = style.ellipsis
    func line(_ texts: [String], bold: Bool) -> String {
      let padded = texts.indices.map { i -> String in
        let text = TextWidth.pad(texts[i], to: widths[i], alignment: columns[i].alignment, ellipsis: e)
        return bold ? style.bold(text) : text
      }
      switch border {
      case .rule: return trimTrailing(padded.joined(separator: "  "))
      case .box:
        let bar = u ? "│" : "|"
        return bar + " " + padded.joined(separator: " \(bar) ") + " " + bar
      }
    }
    func rule(_ left: String, _ mid: String, _ right: String) -> String {
      let h = u ? "─" : "-"
      let segments = widths.map { String(repeating: h, count: $0 + 2) }
      return left + segments.joined(separator: mid) + right
    }
    var out: [String] = []
    switch border {
    case .rule:
      out.append(line(titles, bold: true))
      out.append(
        style.dim(widths.map { String(repeating: u ? "─" : "-", count: $0) }.joined(separator: "  ")))
      for row in cells { out.append(line(row, bold: false)) }
    case .box:
      out.append(u ? rule("┌", "┬", "┐") : rule("+", "+", "+"))
      out.append(line(titles, bold: true))
      out.append(u ? rule("├", "┼", "┤") : rule("+", "+", "+"))
      for row in cells { out.append(line(row, bold: false)) }
      out.append(u ? rule("└", "┴", "┘") : rule("+", "+", "+"))
    }
    return out
  }

  /// The vertical layout for terminals too narrow for the grid: a header line per
  /// row, then `title: value` lines, long values word-wrapped under the value column.
  ///
  ///     ── row 1 ─────
  ///     user:  1
  ///     title: Toy Story
  ///            (1995)
  func records(titles: [String], cells: [[String]], style: RenderStyle) -> [String] {
    let width = style.columns
    // The label column holds "title:"; it takes at most half the width.
    let labelColumn = min((titles.map { TextWidth.of($0) }.max() ?? 0) + 1, max(2, width / 2))
    let valueWidth = max(1, width - labelColumn - 1)
    let h = style.unicode ? "─" : "-"
    var out: [String] = []
    for (r, row) in cells.enumerated() {
      let head = "\(h)\(h) row \(NumberFormat.integer(r + 1)) "
      let fill = String(repeating: h, count: max(0, width - TextWidth.of(head)))
      out.append(style.dim(style.fit(head + fill)))
      for (i, value) in row.enumerated() {
        let name = TextWidth.truncate(titles[i], to: labelColumn - 1, ellipsis: style.ellipsis) + ":"
        let label = TextWidth.pad(name, to: labelColumn)
        for (k, chunk) in TextTable.wrap(value, width: valueWidth).enumerated() {
          let prefix = k == 0 ? style.bold(label) + " " : String(repeating: " ", count: labelColumn + 1)
          out.append(style.fit(trimTrailing(prefix + chunk)))
        }
      }
    }
    return out
  }

  /// Word-wraps text into lines at most `width` columns wide; a word longer than a
  /// line is split by characters (a wide character wider than the line gets a line
  /// of its own).
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    var used = 0
    func flush() {
      lines.append(current)
      current = ""
      used = 0
    }
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      let w = TextWidth.of(String(word))
      let space = current.isEmpty ? 0 : 1
      if used + space + w <= width {
        current += (space == 1 ? " " : "") + word
        used += space + w
        continue
      }
      if !current.isEmpty { flush() }
      for ch in word {
        let cw = TextWidth.of(ch)
        if used + cw > width && !current.isEmpty { flush() }
        current.append(ch)
        used += cw
      }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
  }

  private func trimTrailing(_ s: String) -> String {
    var t = Substring(s)
    while t.last == " " { t = t.dropLast() }
    return String(t)
  }
}
