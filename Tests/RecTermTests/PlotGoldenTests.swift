import RecData
import RecTerm
import Testing

/// Every plot kind and edge case rendered at widths 16, 40, 80 and 120, Unicode and
/// ASCII, compared with `Golden/plot-<case>.txt`; every line is also checked to fit.
struct PlotGoldenTests {
  typealias Render = @Sendable (RenderStyle) -> String

  /// Deterministic Gaussian-ish samples.
  static func gaussian(_ n: Int, mean: Double, sd: Double, seed: UInt64) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<n).map { _ in mean + sd * g.nextGaussian() }
  }

  static func trainLoss(_ epoch: Int) -> Double { 0.25 + 0.6 / Double(epoch) }
  static func testLoss(_ epoch: Int) -> Double {
    let e = Double(epoch)
    return 0.4 + 0.5 / e + 0.002 * e
  }
  static let trainPoints: [(Double, Double)] = (1...20).map { (Double($0), trainLoss($0)) }
  static let testPoints: [(Double, Double)] = (1...20).map { (Double($0), testLoss($0)) }
  static let lossCurves: [(name: String, points: [(Double, Double)])] = [
    (name: "train", points: trainPoints), (name: "test", points: testPoints),
  ]

  /// 1,150,007 values in four bins: a count in the millions (the axis labels turn to `M`)
  /// next to a bin of seven, which must still show.
  static let hugeCounts: [Double?] =
    Array(repeating: 1, count: 1_000_000) + Array(repeating: 2, count: 120_000)
    + Array(repeating: 3, count: 30_000) + Array(repeating: 4, count: 7)

  /// A long series for the sparkline at terminal widths: a slow wave with a rising trend.
  static let longSeries: [Double?] = (0..<300).map { i in Double(i) / 30 + 3 * sinApprox(Double(i) / 20) }

  static let cases: [(String, Render)] = [
    // Histograms
    (
      "histogram-gaussian",
      {
        Plot.histogram(
          values: gaussian(2000, mean: 3.5, sd: 0.9, seed: 7), bins: 20, title: "rating", style: $0)
      }
    ),
    ("histogram-empty", { Plot.histogram(values: [], bins: 10, title: "empty", style: $0) }),
    ("histogram-one-value", { Plot.histogram(values: [4.2], bins: 10, title: "one value", style: $0) }),
    (
      "histogram-all-equal",
      { Plot.histogram(values: Array(repeating: 3, count: 50), bins: 5, title: "all equal", style: $0) }
    ),
    (
      "histogram-missing-nan",
      {
        Plot.histogram(
          values: [1, 2, nil, 2, 3, .nan, 3, 3, .infinity, nil, 4], bins: 4, title: "with gaps", style: $0)
      }
    ),
    (
      "histogram-negative",
      {
        Plot.histogram(
          values: gaussian(500, mean: 0, sd: 2, seed: 3), bins: 12, title: "residuals", style: $0)
      }
    ),
    (
      "histogram-huge-values",
      {
        Plot.histogram(
          values: gaussian(300, mean: 5e11, sd: 2e11, seed: 5), bins: 8, title: "revenue", style: $0)
      }
    ),
    (
      "histogram-huge-counts",
      { Plot.histogram(values: hugeCounts, bins: 4, title: "events per bucket", style: $0) }
    ),
    (
      "histogram-many-bins",
      {
        Plot.histogram(
          values: gaussian(400, mean: 10, sd: 3, seed: 9), bins: 200, title: "many bins", style: $0)
      }
    ),
    // Bars
    (
      "bar-genres",
      {
        Plot.bar(
          labels: ["Drama", "Comedy", "Action", "Thriller", "Romance", "Horror", "Documentary"],
          values: [25000, 14000, 9500, 8700, 6100, 3200, 750], title: "ratings by genre", style: $0)
      }
    ),
    (
      "bar-negative",
      {
        Plot.bar(
          labels: ["popularity", "recency", "genre match", "price"], values: [0.82, -0.35, 0.41, -1.2],
          title: "feature weights", style: $0)
      }
    ),
    (
      "bar-huge",
      {
        Plot.bar(
          labels: ["clicks", "views", "buys"], values: [1e12, 4.2e11, 3e9], title: "events", style: $0)
      }
    ),
    (
      "bar-nan-inf",
      {
        Plot.bar(
          labels: ["a", "b", "c", "d"], values: [3, .nan, .infinity, 1], title: "odd values", style: $0)
      }
    ),
    ("bar-empty", { Plot.bar(labels: [], values: [], title: "nothing", style: $0) }),
    ("bar-one", { Plot.bar(labels: ["only"], values: [42], title: nil, style: $0) }),
    ("bar-zeros", { Plot.bar(labels: ["x", "y"], values: [0, 0], title: "all zero", style: $0) }),
    (
      "bar-all-equal",
      {
        Plot.bar(labels: ["north", "south", "east"], values: [12, 12, 12], title: "all equal", style: $0)
      }
    ),
    (
      "bar-wide-labels",
      {
        Plot.bar(
          labels: ["千と千尋の神隠し (2001)", "Amélie (2001)", "Léon: The Professional (1994)"],
          values: [412, 298, 377], title: "top titles", style: $0)
      }
    ),
    // Lines and scatter
    (
      "line-loss",
      { Plot.line(series: lossCurves, title: "loss by epoch", xLabel: "epoch", yLabel: "loss", style: $0) }
    ),
    (
      "line-single",
      { Plot.line(series: [lossCurves[0]], title: "train loss", xLabel: "epoch", yLabel: "loss", style: $0) }
    ),
    (
      "line-one-point",
      { Plot.line(series: [(name: "p", points: [(3, 0.5)])], title: "one point", style: $0) }
    ),
    (
      "line-constant",
      {
        Plot.line(
          series: [(name: "flat", points: (0..<10).map { (Double($0), 2.0) })], title: "constant", style: $0)
      }
    ),
    (
      "line-gaps",
      {
        Plot.line(
          series: [(name: "s", points: [(0, 1), (1, 2), (2, .nan), (3, 3), (4, .infinity), (5, 2), (6, 1)])],
          title: "with gaps", style: $0)
      }
    ),
    (
      "line-sine-negative",
      {
        Plot.line(
          series: [(name: "sin", points: (0...60).map { i in (Double(i) / 10, sinApprox(Double(i) / 10)) })],
          title: "sine", xLabel: "t", style: $0)
      }
    ),
    (
      "line-huge",
      {
        Plot.line(
          series: [(name: "n", points: (0...10).map { (Double($0), 1e11 * Double($0 * $0) / 10) })],
          title: "growth", style: $0)
      }
    ),
    ("line-empty", { Plot.line(series: [], title: "no series", style: $0) }),
    (
      "scatter-correlated",
      {
        let x = gaussian(300, mean: 0, sd: 1, seed: 11)
        let noise = gaussian(300, mean: 0, sd: 0.5, seed: 12)
        return Plot.scatter(
          x: x, y: zip(x, noise).map { 2 * $0 + $1 }, title: "predicted vs actual", xLabel: "predicted",
          yLabel: "actual", style: $0)
      }
    ),
    ("scatter-one", { Plot.scatter(x: [1], y: [1], title: "one point", style: $0) }),
    (
      "scatter-all-equal",
      {
        Plot.scatter(
          x: Array(repeating: 5, count: 20), y: Array(repeating: 3, count: 20), title: "all equal",
          xLabel: "x", yLabel: "y", style: $0)
      }
    ),
    (
      "scatter-missing-nan",
      {
        Plot.scatter(
          x: [1, 2, .nan, 4, 5, .infinity, 7, 8], y: [2, 4, 6, .nan, 10, 12, -.infinity, 16],
          title: "with gaps",
          style: $0)
      }
    ),
    (
      "scatter-huge",
      {
        let x = gaussian(200, mean: 3e12, sd: 1e12, seed: 21)
        let noise = gaussian(200, mean: 0, sd: 4e11, seed: 22)
        return Plot.scatter(
          x: x, y: zip(x, noise).map { 0.5 * $0 + $1 }, title: "revenue vs spend", xLabel: "spend",
          yLabel: "revenue", style: $0)
      }
    ),
    ("scatter-empty", { Plot.scatter(x: [], y: [], title: "empty", style: $0) }),
    // Heatmaps
    (
      "heatmap-cooccurrence",
      {
        let names = ["Drama", "Comedy", "Action", "Horror", "Sci-Fi"]
        let values: [[Double?]] = names.indices.map { r in
          names.indices.map { c in r == c ? nil : Double((r * 7 + c * 3) % 11) }
        }
        return Plot.heatmap(rows: names, columns: names, values: values, title: "co-occurrence", style: $0)
      }
    ),
    (
      "heatmap-many-columns",
      {
        let cols = (1...60).map { "u\($0)" }
        let values: [[Double?]] = (0..<4).map { r in cols.indices.map { c in Double((r + 1) * c % 17) } }
        return Plot.heatmap(
          rows: ["a", "b", "c", "d"], columns: cols, values: values, title: "users", style: $0)
      }
    ),
    (
      "heatmap-all-equal",
      {
        Plot.heatmap(
          rows: ["r1", "r2"], columns: ["c1", "c2"], values: [[1, 1], [1, 1]], title: "flat", style: $0)
      }
    ),
    ("heatmap-empty", { Plot.heatmap(rows: [], columns: [], values: [], title: "empty", style: $0) }),
    (
      "heatmap-one-cell",
      { Plot.heatmap(rows: ["r"], columns: ["c"], values: [[7]], title: "one cell", style: $0) }
    ),
    (
      "heatmap-negative",
      {
        let names = ["price", "rating", "age", "clicks"]
        let values: [[Double?]] = [
          [1, -0.4, 0.1, -0.8], [-0.4, 1, 0.3, 0.5], [0.1, 0.3, 1, -0.2], [-0.8, 0.5, -0.2, 1],
        ]
        return Plot.heatmap(rows: names, columns: names, values: values, title: "correlation", style: $0)
      }
    ),
    (
      "heatmap-huge",
      {
        Plot.heatmap(
          rows: ["2024", "2025"], columns: ["Q1", "Q2", "Q3", "Q4"],
          values: [[1.2e12, 3.4e12, 9.9e11, 5e12], [2e12, 7.5e12, 4e12, 1e13]], title: "revenue", style: $0)
      }
    ),
    (
      "heatmap-nan-ragged",
      {
        Plot.heatmap(
          rows: ["x", "y", "z"], columns: ["a", "b", "c"],
          values: [[1, .nan, 3], [.infinity, 5], [7, 8, 9]], title: "gaps", style: $0)
      }
    ),
  ]

  @Test(arguments: cases.map(\.0))
  func golden(_ name: String) throws {
    let render = try #require(Self.cases.first { $0.0 == name }?.1)
    Golden.check("plot-" + name, renderAll(render))
  }

  @Test func sparklines() {
    let rows: [(String, [Double?])] = [
      ("rising", [1, 2, 3, 4, 5, 6, 7, 8]),
      ("with gaps", [1, nil, 3, .nan, 5, .infinity, 2]),
      ("all equal", [2, 2, 2, 2]),
      ("one", [7]),
      ("empty", []),
      ("negative", [-3, -1, 0, 1, 3, 1, 0, -1, -3]),
      ("huge", [1e12, 5e11, 0, 1e12]),
    ]
    var text = ""
    for (name, values) in rows {
      text += "\(name): [\(Plot.sparkline(values))] [\(Plot.sparkline(values, unicode: false))]"
      text += " width 4: [\(Plot.sparkline(values, width: 4))]\n"
    }
    Golden.check("plot-sparkline", text)
  }

  /// Sparklines fitted to terminal widths 40, 80 and 120 (each line exactly that wide), in
  /// Unicode and ASCII; a series shorter than the width keeps one bar per value.
  @Test func sparklinesAtTerminalWidths() {
    var text = ""
    for width in [40, 80, 120] {
      for unicode in [true, false] {
        let line = Plot.sparkline(Self.longSeries, width: width, unicode: unicode)
        #expect(line.count == width)
        text += "=== width \(width), \(unicode ? "unicode" : "ascii") ===\n\(line)\n"
      }
      let short = Plot.sparkline(Array(Self.longSeries.prefix(30)), width: width)
      #expect(short.count == 30)
      text += "=== width \(width), 30 values ===\n\(short)\n"
    }
    Golden.check("plot-sparkline-widths", text)
  }
}

/// sin(x) from its Taylor series (x in [0, 6]), so the tests need no Foundation math.
func sinApprox(_ x: Double) -> Double {
  // Reduce to [-pi, pi] for accuracy.
  let pi = 3.141592653589793
  var t = x
  while t > pi { t -= 2 * pi }
  var term = t
  var sum = 0.0
  for n in 0..<12 {
    sum += term
    term *= -t * t / Double((2 * n + 2) * (2 * n + 3))
  }
  return sum
}
