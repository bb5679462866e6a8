extension Plot {
  /// One or more series of `(x, y)` points joined by lines on a braille canvas.
  ///
  ///     loss
  ///     0.8 ┤⡀
  ///         │⠈⠢⡀
  ///     0.4 ┤  ⠈⠢⣀⣀
  ///         └┬────┬────┬
  ///          0    5    10
  ///              epoch
  ///     * train  + test
  ///
  /// Points are joined in the order given; a NaN or infinite coordinate is skipped
  /// (counted in a note) and breaks the line there. Both axes run between nice
  /// ticks around the data. Unicode draws braille lines at 2×4 dots per cell; with
  /// several series and no colour each data point also gets its series' marker
  /// (`*`, `+`, `o`, ...) so the series can be told apart, and the legend names
  /// them. ASCII draws each series with its marker at one point per cell.
  public static func line(
    series: [(name: String, points: [(Double, Double)])], title: String? = nil,
    xLabel: String? = nil, yLabel: String? = nil, style: RenderStyle = RenderStyle()
  ) -> String {
    xy(series: series, connect: true, title: title, xLabel: xLabel, yLabel: yLabel, style: style)
  }

  /// A scatter plot of `(x[i], y[i])` as braille dots (ASCII: `*`).
  ///
  /// Pairs beyond the shorter array are dropped with a note; pairs with a NaN or
  /// infinite coordinate are skipped and counted.
  public static func scatter(
    x: [Double], y: [Double], title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
    style: RenderStyle = RenderStyle()
  ) -> String {
    let n = min(x.count, y.count)
    var text = xy(
      series: [(name: "", points: (0..<n).map { (x[$0], y[$0]) })], connect: false, title: title,
      xLabel: xLabel, yLabel: yLabel, style: style)
    if x.count != y.count {
      text += "\n" + style.dim(style.fit("\(x.count) x and \(y.count) y values: showing the first \(n)"))
    }
    return text
  }

  /// Line and scatter plots share everything but joining the points.
  static func xy(
    series: [(name: String, points: [(Double, Double)])], connect: Bool, title: String?,
    xLabel: String?, yLabel: String?, style: RenderStyle
  ) -> String {
    let width = style.columns
    let all = series.flatMap(\.points)
    let finite = all.filter { $0.0.isFinite && $0.1.isFinite }
    var notes = skippedNotes(missing: 0, nonFinite: all.count - finite.count, noun: "point")
    let names = series.map(\.name)
    let showLegend = series.count > 1
    guard let xMin = finite.map(\.0).min(), let xMax = finite.map(\.0).max(),
      let yMin = finite.map(\.1).min(), let yMax = finite.map(\.1).max()
    else {
      return assemble(title: title, body: ["(no data)"], notes: notes, style: style)
    }
    let rows = plotHeight(width)
    let yScale = NiceScale(min: yMin, max: yMax, maxTicks: rows / 2 + 2)
    let labelWidth = yScale.labels.map { TextWidth.of($0) }.max() ?? 1
    let cells = width - labelWidth - 2
    if width < minimumWidth || cells < 8 {
      return compactXY(
        series: series, connect: connect, title: title, notes: notes, count: finite.count, style: style)
    }
    let xScale = horizontalTicks(lo: xMin, hi: xMax, cells: cells, extend: true)
    let canvasWidth = cells
    var canvas = Canvas(width: canvasWidth, height: rows)
    let braille = style.unicode
    // Positions: dots for braille, cells for ASCII markers.
    let xResolution = braille ? canvas.dotWidth : canvas.width
    let yResolution = braille ? canvas.dotHeight : canvas.height
    func px(_ x: Double) -> Int {
      Int((fraction(x, lo: xScale.lo, hi: xScale.hi) * Double(xResolution - 1)).rounded())
    }
    func py(_ y: Double) -> Int {
      Int(((1 - fraction(y, lo: yScale.lo, hi: yScale.hi)) * Double(yResolution - 1)).rounded())
    }
    let markPoints = !braille || (series.count > 1 && !style.color)
    for (s, item) in series.enumerated() {
      var previous: (Int, Int)?
      for (x, y) in item.points {
        guard x.isFinite && y.isFinite else {
          previous = nil
          continue
        }
        let p = (px(x), py(y))
        if braille {
          if connect, let previous {
            canvas.dotLine(from: previous, to: p, series: s)
          } else {
            canvas.setDot(x: p.0, y: p.1, series: s)
          }
        } else if connect, let previous {
          canvas.markerLine(from: previous, to: p, marker(s), series: s)
        }
        previous = p
      }
      // Markers go on after the lines so a later line does not hide a data point.
      if markPoints {
        for (x, y) in item.points where x.isFinite && y.isFinite {
          let (cx, cy) = braille ? (px(x) / 2, py(y) / 4) : (px(x), py(y))
          canvas.setMarker(column: cx, row: cy, marker(s), series: s)
        }
      }
    }
    let rowOf = { (y: Double) in braille ? py(y) / 4 : py(y) }
    let columnOf = { (x: Double) in braille ? px(x) / 2 : px(x) }
    let yTicks = zip(yScale.ticks, yScale.labels).map { Tick(position: rowOf($0.0), label: $0.1) }
    let xTicks = zip(xScale.ticks, xScale.labels).map { Tick(position: columnOf($0.0), label: $0.1) }
    var body = framed(
      canvas: (0..<rows).map { canvas.row($0, style: style) }, cells: canvasWidth, yTicks: yTicks,
      xTicks: xTicks, xLabel: xLabel, yLabel: yLabel, style: style)
    if showLegend { body.append(legend(names, style: style)) }
    if finite.count == 1 { notes.append("1 point") }
    return assemble(title: title, body: body, notes: notes, style: style)
  }

  /// Below the minimum width: a sparkline of y per series (lines), or the ranges
  /// (scatter).
  static func compactXY(
    series: [(name: String, points: [(Double, Double)])], connect: Bool, title: String?,
    notes: [String], count: Int, style: RenderStyle
  ) -> String {
    let width = style.columns
    var body: [String] = []
    if connect {
      let names = series.enumerated().map { s, item in
        item.name.isEmpty ? String(marker(s)) : TextWidth.sanitized(item.name, replacement: "?")
      }
      let nameWidth = min(names.map { TextWidth.of($0) }.max() ?? 0, width / 2)
      for (s, item) in series.enumerated() {
        let prefix = TextWidth.pad(names[s], to: nameWidth, ellipsis: style.ellipsis) + " "
        let spark = sparkline(
          item.points.map { $0.1.isFinite && $0.0.isFinite ? $0.1 : nil },
          width: max(0, width - TextWidth.of(prefix)), unicode: style.unicode)
        body.append(prefix + spark)
      }
    } else {
      let pts = series.flatMap(\.points).filter { $0.0.isFinite && $0.1.isFinite }
      let xs = pts.map(\.0)
      let ys = pts.map(\.1)
      body.append("n=\(NumberFormat.integer(count))")
      body.append("x \(NumberFormat.compact(xs.min() ?? 0)) to \(NumberFormat.compact(xs.max() ?? 0))")
      body.append("y \(NumberFormat.compact(ys.min() ?? 0)) to \(NumberFormat.compact(ys.max() ?? 0))")
    }
    return assemble(title: title, body: body, notes: notes, style: style)
  }
}
