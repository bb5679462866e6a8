import RecData
import Testing

@testable import RecTerm

/// Plots checked against formulas: bar lengths, histogram heights, shades, ticks;
/// plus the width bound and colour neutrality over many random inputs.
struct PlotTests {
  /// ASCII bars: each bar has `round(|v| × room / (max⁺ + max⁻))` `#` characters,
  /// where room is the width left after labels, axis and value labels.
  @Test func asciiBarLengthsAreProportional() {
    let labels = ["Drama", "Comedy", "Documentary"]
    let values = [25_000.0, 14_000, 750]
    let text = Plot.bar(labels: labels, values: values, title: nil, style: .plain(width: 80))
    // label column 11, a space, the axis, the value column "25,000" (6) and its space.
    let room = 80 - (11 + 1 + 1 + 7)
    for (line, v) in zip(text.split(separator: "\n"), values) {
      let hashes = line.filter { $0 == "#" }.count
      #expect(hashes == Int((v * Double(room) / 25_000).rounded()), "\(line)")
    }
  }

  /// Unicode bars resolve eighths: full blocks × 8 plus the partial block's eighths.
  @Test func unicodeBarLengthsCountEighths() {
    let values = [25_000.0, 14_000, 750, 9_999]
    let text = Plot.bar(
      labels: ["a", "b", "c", "d"], values: values, title: nil, style: RenderStyle(width: 60))
    let room = 60 - (1 + 1 + 1 + 7)
    let partials: [Character: Int] = ["▏": 1, "▎": 2, "▍": 3, "▌": 4, "▋": 5, "▊": 6, "▉": 7, "█": 8]
    for (line, v) in zip(text.split(separator: "\n"), values) {
      let eighths = line.compactMap { partials[$0] }.reduce(0, +)
      #expect(eighths == Int((v * Double(room) / 25_000 * 8).rounded()), "\(line)")
    }
  }

  /// Negative bars grow left of the axis; both sides share one scale.
  @Test func negativeBarsShareTheScale() {
    let values = [2.0, -1.0]
    let text = Plot.bar(labels: ["up", "down"], values: values, title: nil, style: .plain(width: 40))
    let lines = text.split(separator: "\n").map(String.init)
    // reserved: labels 4 + space + axis + two value columns "-1" + space (3 each) = 12.
    let perUnit = Double(40 - 12) / 3
    #expect(lines[0].filter { $0 == "#" }.count == Int((2 * perUnit).rounded()))
    #expect(lines[1].filter { $0 == "#" }.count == Int((1 * perUnit).rounded()))
    // The axis is in the same column on both lines, left bar ends at it, right starts after it.
    let axis0 = lines[0].firstIndex(of: "|").map { lines[0].distance(from: lines[0].startIndex, to: $0) }
    let axis1 = lines[1].firstIndex(of: "|").map { lines[1].distance(from: lines[1].startIndex, to: $0) }
    #expect(axis0 == axis1)
    #expect(lines[1].contains("-1 #########|"))
    #expect(lines[0].contains("|################### 2"))
  }

  /// Histogram of 1 (×10), 2 (×5), 3 (×2), 4 (×1) in 4 bins over [1, 4]: counts
  /// 10, 5, 2, 1; the count axis tops at 10 over 10 rows, so bars are 10, 5, 2, 1 rows
  /// (ASCII) and `round(c / 10 × 10 × 8)` eighths (Unicode); each bin is 12 columns.
  @Test func histogramBarHeights() {
    let values: [Double?] = Array(repeating: 1, count: 10) + Array(repeating: 2, count: 5) + [3, 3, 4]
    let counts = [10, 5, 2, 1]
    for unicode in [false, true] {
      let style = RenderStyle(width: 80, unicode: unicode)
      let lines = Plot.histogram(values: values, bins: 4, title: "t", style: style).split(separator: "\n")
      let rows = Plot.plotHeight(80)
      #expect(rows == 10)
      let canvas = lines[1...rows].map { Array($0) }
      let origin = 4  // "10 ┤": labels 2 wide, a space, the axis
      let eighths: [Character: Int] = [
        "▁": 1, "▂": 2, "▃": 3, "▄": 4, "▅": 5, "▆": 6, "▇": 7, "█": 8, "#": 8,
      ]
      for (b, count) in counts.enumerated() {
        for column in (b * 12)..<(b * 12 + 12) {
          let height = canvas.map { row in
            origin + column < row.count ? eighths[row[origin + column]] ?? 0 : 0
          }.reduce(0, +)
          let expected = unicode ? (Double(count) / 10 * 10 * 8).rounded() : Double(count * 8)
          #expect(height == Int(expected), "bin \(b) column \(column) unicode \(unicode)")
        }
      }
      #expect(lines[rows + 1].hasPrefix(" 0 " + (unicode ? "└" : "+")))
    }
  }

  /// A non-empty bin never looks empty: one value among a thousand still shows ▁.
  @Test func smallBinsStayVisible() {
    #expect(Plot.barEighths(count: 1, top: 1000, rows: 10) == 1)
    #expect(Plot.barRows(count: 1, top: 1000, rows: 10) == 1)
    #expect(Plot.barEighths(count: 0, top: 1000, rows: 10) == 0)
    #expect(Plot.barEighths(count: 500, top: 1000, rows: 10) == 40)
  }

  /// Absurd bin counts neither crash nor allocate: they are capped to the columns.
  @Test func absurdBinCounts() {
    let huge = Plot.histogram(values: [1, 2, 3], bins: Int.max, title: nil, style: RenderStyle(width: 40))
    // 40 columns less the y labels "1 ┤" (3) and the edge tick (1) leave 36 bins.
    #expect(huge.contains("n=3, 36 bins of width 0.05556\nasked for 9,223,372T bins; fewer fit"))
    let zero = Plot.histogram(values: [1, 2, 3], bins: 0, title: nil, style: RenderStyle(width: 40))
    #expect(zero.contains("n=3, 1 bin of width 2"))
    let negative = Plot.histogram(values: [1, 2, 3], bins: -5, title: nil, style: RenderStyle(width: 40))
    #expect(negative == zero)
  }

  @Test func histogramBinsAndFraction() {
    #expect(Plot.binIndex(1, lo: 1, hi: 4, bins: 4) == 0)
    #expect(Plot.binIndex(2, lo: 1, hi: 4, bins: 4) == 1)  // (2 - 1) / 3 × 4 = 1.33
    #expect(Plot.binIndex(4, lo: 1, hi: 4, bins: 4) == 3)  // the top edge is in the last bin
    #expect(Plot.fraction(1e308, lo: -1e308, hi: 1e308) == 1)  // no overflow
    #expect(Plot.fraction(0, lo: -1e308, hi: 1e308) == 0.5)
  }

  /// Ten distinct values in ASCII take the ten shades in order.
  @Test func heatmapShades() {
    let values: [[Double?]] = [(0..<10).map { Double($0) }]
    let text = Plot.heatmap(
      rows: ["r"], columns: (0..<10).map { "\($0)" }, values: values, title: nil, style: .plain(width: 80))
    let row = text.split(separator: "\n")[1]
    #expect(row == "r   ..::--==++**##%%@@")
    #expect(Plot.shadeLevel(4.9, lo: 0, hi: 9, levels: 10) == 5)  // round(4.9 / 9 × 9)
    #expect(Plot.shadeLevel(0.5, lo: 0, hi: 1, levels: 5) == 2)  // round(0.5 × 4)
  }

  @Test func sparklineLevels() {
    #expect(Plot.sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█")
    #expect(Plot.sparkline([0, 10, nil, 5]) == "▁█ ▅")  // round(0.5 × 7) = 4 → ▅
    #expect(Plot.sparkline([0, 10, 5], unicode: false) == "_#~")  // "_.,-~=*#"[4]
    #expect(Plot.sparkline([1, 3, 5, 7], width: 2) == "▁█")  // bucket means 2 and 6
    #expect(Plot.sparkline([], width: 5) == "")
    #expect(Plot.sparkline([3, 3]) == "▄▄")
  }

  @Test(arguments: [
    // The finest 1-2-5 step with at most maxTicks ticks once widened to whole steps:
    // step 1 would need 11 ticks, 2 needs 6.
    (0.0, 10.0, 6, [0.0, 2, 4, 6, 8, 10]), (0.0, 0.3, 4, [0.0, 0.1, 0.2, 0.3]),
    // 0.5 would need -1.5...1.0, six ticks; 1 needs four.
    (-1.2, 0.82, 5, [-2.0, -1, 0, 1]),
    // Equal ends widen by 10%: [2.7, 3.3]; step 0.1 needs 7 ticks, 0.2 needs 5.
    (3.0, 3.0, 5, [2.6, 2.8, 3.0, 3.2, 3.4]), (0.0, 0.0, 3, [-1.0, 0, 1]),
    (1.0, 20.0, 5, [0.0, 5, 10, 15, 20]),
    (0.7273, 6.445, 4, [0.0, 5, 10]),  // step 2 would need 0...8, five ticks
  ])
  func niceTicks(_ lo: Double, _ hi: Double, _ maxTicks: Int, _ expected: [Double]) {
    #expect(NiceScale(min: lo, max: hi, maxTicks: maxTicks).ticks == expected)
  }

  @Test func tickLabels() {
    #expect(NiceScale(min: 0, max: 1, maxTicks: 6).labels == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    #expect(
      NiceScale(min: 0, max: 1e12, maxTicks: 6).labels == ["0", "0.2T", "0.4T", "0.6T", "0.8T", "1.0T"])
    #expect(NiceScale(min: 0, max: 30_000, maxTicks: 4).labels == ["0", "10,000", "20,000", "30,000"])
    #expect(NiceScale(min: 0, max: 3e6, maxTicks: 4).labels == ["0", "1M", "2M", "3M"])
    let huge = NiceScale(min: -1e308, max: 1e308, maxTicks: 5)
    #expect(huge.ticks.allSatisfy { $0.isFinite })
  }

  /// Random data of every kind, with gaps and extremes, at every width from 1 to 30
  /// and a spread of wider ones up to 130:
  /// no line is wider than the width, and colour only adds escape sequences.
  static let widths = Array(1...30) + [33, 39, 40, 41, 47, 59, 64, 79, 80, 81, 97, 119, 120, 121, 130]

  @Test func everyPlotFitsEveryWidth() {
    let extremes: [Double] = [.nan, .infinity, -.infinity, 1e12, -1e12, 0, 1e-9, 1e300]
    for seed in 0..<6 {
      var g = SeededGenerator(seed: UInt64(seed))
      func value() -> Double {
        g.nextInt(below: 10) == 0 ? extremes[g.nextInt(below: extremes.count)] : g.nextGaussian() * 100
      }
      let n = g.nextInt(below: 40)
      let optionals: [Double?] = (0..<n).map { _ in g.nextInt(below: 8) == 0 ? nil : value() }
      let xs = (0..<n).map { _ in value() }
      let ys = (0..<n).map { _ in value() }
      let labels = (0..<n).map { i in ["genre \(i)", "千と千尋 \(i)", "e\u{301}\(i)"][i % 3] }
      let grid: [[Double?]] = (0..<min(n, 6)).map { _ in
        (0..<n).map { _ in g.nextInt(below: 5) == 0 ? nil : value() }
      }
      let renders: [(String, (RenderStyle) -> String)] = [
        ("histogram", { Plot.histogram(values: optionals, bins: 1 + seed * 7, title: "h", style: $0) }),
        ("bar", { Plot.bar(labels: labels, values: xs, title: "b", style: $0) }),
        (
          "line",
          {
            Plot.line(
              series: [(name: "a", points: Array(zip(xs, ys)))], title: "l", xLabel: "x", yLabel: "y",
              style: $0)
          }
        ),
        ("scatter", { Plot.scatter(x: xs, y: ys, title: "s", style: $0) }),
        (
          "heatmap",
          {
            Plot.heatmap(rows: Array(labels.prefix(6)), columns: labels, values: grid, title: "m", style: $0)
          }
        ),
      ]
      for (name, render) in renders {
        for width in Self.widths {
          for unicode in [true, false] {
            let plain = render(RenderStyle(width: width, unicode: unicode))
            expectFits(plain, width: width, "\(name) seed \(seed)")
            let colored = render(RenderStyle(width: width, unicode: unicode, color: true))
            #expect(TextWidth.strippingEscapes(colored) == plain, "\(name) seed \(seed) width \(width)")
          }
        }
      }
      // Several series: with colour the series are told apart by colour rather than
      // by markers, so only the width is checked.
      let series = [(name: "a", points: Array(zip(xs, ys))), (name: "b", points: [(0.0, 1.0)])]
      for width in Self.widths {
        for style in [
          RenderStyle(width: width), .plain(width: width), RenderStyle(width: width, color: true),
        ] {
          expectFits(Plot.line(series: series, title: "l", style: style), width: width, "line seed \(seed)")
        }
      }
    }
  }
}
