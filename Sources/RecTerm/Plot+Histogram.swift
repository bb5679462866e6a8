extension Plot {
  /// Vertical block glyphs by eighths, index 0 (empty) to 8 (full).
  static let verticalEighths: [String] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// Canvas rows for a plot at this width: taller on wider terminals, 6 to 12 rows.
  static func plotHeight(_ width: Int) -> Int { min(12, max(6, width / 8)) }

  /// A histogram of `values` in `bins` equal-width bins from the smallest to the
  /// largest finite value, drawn as vertical bars with a count axis.
  ///
  ///     rating
  ///     30k ┤          ▆▆▆▆
  ///         │     ▃▃▃▃ ████
  ///       0 └──────────────────
  ///          1    2    3    4    5
  ///
  /// Bar heights are `count / top × rows` with the top of the count axis a nice
  /// number; Unicode bars resolve eighths of a row, ASCII bars whole rows. A
  /// non-empty bin always shows at least the lowest mark, so a bin of one value in a
  /// million is not mistaken for an empty one. `nil`, NaN and infinite values are
  /// skipped and counted in a note. When more bins are asked for than there are
  /// columns, the bin count is reduced to fit (and the note says so).
  public static func histogram(
    values: [Double?], bins: Int, title: String? = nil, style: RenderStyle = RenderStyle()
  ) -> String {
    // One pass for the finite values, their range and the missing count: a column of
    // millions of rows is plotted as it is.
    var finite: [Double] = []
    finite.reserveCapacity(values.count)
    var missing = 0
    var minValue = Double.infinity
    var maxValue = -Double.infinity
    for v in values {
      guard let v else {
        missing += 1
        continue
      }
      guard v.isFinite else { continue }
      finite.append(v)
      if v < minValue { minValue = v }
      if v > maxValue { maxValue = v }
    }
    let nonFinite = values.count - missing - finite.count
    var notes = skippedNotes(missing: missing, nonFinite: nonFinite, noun: "value")
    guard !finite.isEmpty else {
      return assemble(title: title, body: ["(no data)"], notes: notes, style: style)
    }
    var lo = minValue
    var hi = maxValue
    if lo == hi {
      // One distinct value: a small window around it, so it lands in a middle bin.
      let pad = max(0.5, lo.magnitude * 0.05)
      (lo, hi) = (lo - pad, hi + pad)
    }
    let width = style.columns
    let rows = plotHeight(width)
    let requested = max(1, bins)

    // Counts first (they decide the width of the y labels), then bins that fit.
    func counts(_ n: Int) -> [Int] {
      var c = Array(repeating: 0, count: n)
      for v in finite { c[binIndex(v, lo: lo, hi: hi, bins: n)] += 1 }
      return c
    }
    // More bins than columns can never be drawn; capping first also keeps a huge
    // `bins` from allocating a huge array.
    var binCount = min(requested, width)
    var binCounts = counts(binCount)
    let labelWidth =
      countScale(max: binCounts.max() ?? 1, rows: rows).labels.map { TextWidth.of($0) }.max() ?? 1
    let room = width - labelWidth - 2 - 1  // labels, space, axis, last edge tick
    if width < minimumWidth || room < 4 {
      let spark = sparkline(binCounts.map { Double($0) }, width: width, unicode: style.unicode)
      let range = "\(NumberFormat.compact(minValue)) to \(NumberFormat.compact(maxValue))"
      notes.insert("n=\(NumberFormat.integer(finite.count))", at: 0)
      return assemble(title: title, body: [spark, range], notes: notes, style: style)
    }
    if binCount > room || requested > width {
      binCount = min(binCount, room)
      binCounts = counts(binCount)
      notes.append("asked for \(NumberFormat.compact(Double(requested))) bins; fewer fit")
    }
    // Bins share the columns as evenly as they can: bin b covers columns
    // [b·cells/bins, (b+1)·cells/bins), so bars use the whole width.
    let cells = min(room, binCount * 12)
    let starts = (0...binCount).map { $0 * cells / binCount }
    let scale = countScale(max: binCounts.max() ?? 1, rows: rows)
    let top = scale.hi

    var canvas: [String] = []
    for r in 0..<rows {
      let level = rows - 1 - r  // rows below this one
      var line = ""
      for (b, count) in binCounts.enumerated() {
        let glyph: String
        if style.unicode {
          let fill = barEighths(count: count, top: top, rows: rows) - level * 8
          glyph = verticalEighths[max(0, min(8, fill))]
        } else {
          glyph = level < barRows(count: count, top: top, rows: rows) ? "#" : " "
        }
        let colored = glyph == " " ? glyph : style.colored(glyph, color(0))
        line += String(repeating: colored, count: starts[b + 1] - starts[b])
      }
      canvas.append(line)
    }
    let yTicks = zip(scale.ticks, scale.labels).map { t, label in
      Tick(position: rows - Int((t / top * Double(rows)).rounded()), label: label)
    }
    let position = { (v: Double) in Int((fraction(v, lo: lo, hi: hi) * Double(cells)).rounded()) }
    let xScale = horizontalTicks(lo: lo, hi: hi, cells: cells, extend: false)
    let xTicks = zip(xScale.ticks, xScale.labels).filter { $0.0 >= lo && $0.0 <= hi }.map {
      Tick(position: position($0.0), label: $0.1)
    }
    let body = framed(
      canvas: canvas, cells: cells, yTicks: yTicks, xTicks: xTicks, xLabel: nil, yLabel: nil,
      style: style)
    let rawWidth = hi / Double(binCount) - lo / Double(binCount)
    let binWidth = rawWidth >= 1e4 ? NumberFormat.compact(rawWidth) : NumberFormat.general(rawWidth)
    notes.insert(
      "n=\(NumberFormat.integer(finite.count)), \(binCount) bin\(binCount == 1 ? "" : "s") of width \(binWidth)",
      at: 0)
    return assemble(title: title, body: body, notes: notes, style: style)
  }

  /// The count axis from 0 to a nice top at or above `max`, with whole-number ticks
  /// (a count of one gets ticks 0 and 1, not 0, 0.5 and 1).
  static func countScale(max: Int, rows: Int) -> NiceScale {
    let scale = NiceScale(min: 0, max: Double(Swift.max(1, max)), maxTicks: rows / 2 + 2)
    if scale.step >= 1 { return scale }
    return NiceScale(lo: 0, hi: Double(Swift.max(1, max)), mantissa: 1, power: 0, extend: true) ?? scale
  }

  /// Where `v` lies in `[lo, hi]` as a fraction; computed on halves so that ranges
  /// wider than the largest `Double` (from -1e308 to 1e308) do not overflow.
  static func fraction(_ v: Double, lo: Double, hi: Double) -> Double {
    let span = hi / 2 - lo / 2
    guard span > 0 else { return 0.5 }
    return (v / 2 - lo / 2) / span
  }

  /// The bin of `v` among `bins` equal bins over `[lo, hi]`; `hi` goes in the last bin.
  static func binIndex(_ v: Double, lo: Double, hi: Double, bins: Int) -> Int {
    let t = fraction(v, lo: lo, hi: hi) * Double(bins)
    guard t.isFinite else { return 0 }
    return max(0, min(bins - 1, Int(t.rounded(.down))))
  }

  /// Height of a Unicode bar in eighths of a row: `round(count / top × rows × 8)`,
  /// at least 1 for a non-empty bin.
  static func barEighths(count: Int, top: Double, rows: Int) -> Int {
    guard count > 0, top > 0 else { return 0 }
    return max(1, Int((Double(count) / top * Double(rows) * 8).rounded()))
  }

  /// Height of an ASCII bar in rows: `round(count / top × rows)`, at least 1 for a
  /// non-empty bin.
  static func barRows(count: Int, top: Double, rows: Int) -> Int {
    guard count > 0, top > 0 else { return 0 }
    return max(1, Int((Double(count) / top * Double(rows)).rounded()))
  }
}
