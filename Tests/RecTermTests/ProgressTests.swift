import RecData
import RecTerm
import Testing

/// The progress line's parts, its fitting to the width, and the redraw throttle.
struct ProgressTests {
  /// 12,345 of 27,000 at exactly 3,200 per second.
  static let elapsed = 12_345.0 / 3200
  static let fields = [("loss", "0.3412")]

  /// A Unicode bar `cells` wide for `fraction`, built from the formula: ⌊f·cells·8⌋
  /// eighths, full blocks first.
  static func expectedBar(_ fraction: Double, cells: Int) -> String {
    let eighths = Int(fraction * Double(cells * 8))
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
    let inner = String(repeating: "█", count: eighths / 8) + partial
    return "▕" + inner + String(repeating: " ", count: cells - TextWidth.of(inner)) + "▏"
  }

  @Test func fullLineAt80() {
    let line = ProgressLine.render(
      label: "fit neumf", done: 12_345, total: 27_000, elapsed: Self.elapsed, fields: Self.fields,
      style: RenderStyle(width: 80))
    // Text without the bar is 55 columns; the bar gets 80 - 55 - 3 = 22 cells.
    // ETA: (27,000 - 12,345) / 3,200 = 4.58 s, shown as 0:05; 45.7% shows as 45%.
    let tail = " 45% 12,345/27,000 3.2k/s ETA 0:05 loss=0.3412"
    #expect(line == "fit neumf " + Self.expectedBar(12_345.0 / 27_000, cells: 22) + tail)
    #expect(TextWidth.of(line) == 80)
  }

  @Test func partsDropInOrderWhenNarrow() {
    let line50 = ProgressLine.render(
      label: "fit neumf", done: 12_345, total: 27_000, elapsed: Self.elapsed, fields: Self.fields,
      style: RenderStyle(width: 50))
    // The field goes first, then the rate; the bar gets 50 - 36 - 3 = 11 cells.
    #expect(
      line50 == "fit neumf " + Self.expectedBar(12_345.0 / 27_000, cells: 11) + " 45% 12,345/27,000 ETA 0:05")
    let line30 = ProgressLine.render(
      label: "fit neumf", done: 12_345, total: 27_000, elapsed: Self.elapsed, fields: Self.fields,
      style: RenderStyle(width: 30))
    // Then the ETA and the counts: "fit neumf 45%" is 13 columns, the bar 30 - 13 - 3 = 14.
    #expect(line30 == "fit neumf " + Self.expectedBar(12_345.0 / 27_000, cells: 14) + " 45%")
    let line12 = ProgressLine.render(
      label: "fit neumf", done: 12_345, total: 27_000, elapsed: Self.elapsed, style: RenderStyle(width: 12))
    #expect(line12 == "fit neumf 4…")
  }

  @Test func asciiAndUnknownTotal() {
    let ascii = ProgressLine.render(
      label: "eval", done: 1, total: 4, elapsed: 0, style: .plain(width: 30))
    // No rate or ETA without elapsed time; "eval 25% 1/4" is 12 columns, bar 15 cells.
    #expect(ascii == "eval [###            ] 25% 1/4")
    let open = ProgressLine.render(label: "load", done: 52_417, total: nil, elapsed: 2, style: RenderStyle())
    #expect(open == "load 52,417 26.2k/s")
  }

  @Test func oddInputsAreClamped() {
    let over = ProgressLine.render(label: "x", done: 150, total: 100, elapsed: 1, style: .plain(width: 40))
    // Done beyond total: a full bar of 40 - 20 - 3 = 17 cells and 100%.
    #expect(over == "x [" + String(repeating: "#", count: 17) + "] 100% 150/100 150/s")
    let zero = ProgressLine.render(label: "x", done: -5, total: 0, elapsed: .nan, style: .plain(width: 40))
    #expect(zero.hasSuffix(" 100% 0/0"))
  }

  @Test func fitsEveryWidth() {
    for width in 1...120 {
      for unicode in [true, false] {
        let style = RenderStyle(width: width, unicode: unicode)
        let line = ProgressLine.render(
          label: "fit 千と千尋 model", done: 12_345, total: 27_000, elapsed: Self.elapsed,
          fields: [("loss", "0.3412"), ("hr@10", "0.61")], style: style)
        #expect(TextWidth.of(line) <= width)
      }
    }
  }

  @Test func colorKeepsWidth() {
    let plain = ProgressLine.render(
      label: "fit", done: 3, total: 10, elapsed: 1, style: RenderStyle(width: 60))
    let colored = ProgressLine.render(
      label: "fit", done: 3, total: 10, elapsed: 1, style: RenderStyle(width: 60, color: true))
    #expect(colored != plain)
    #expect(TextWidth.strippingEscapes(colored) == plain)
  }

  @Test func throttleDrawsAtMostTenPerSecond() {
    var t = ProgressThrottle()
    // (time, force, expected): the first draws, then only after 0.1 s, unless forced;
    // a clock that goes backwards draws and restarts from there; NaN never draws.
    let steps: [(Double, Bool, Bool)] = [
      (0, false, true), (0.05, false, false), (0.0999, false, false), (0.1, false, true),
      (0.15, false, false),
      (0.15, true, true), (-3, false, true), (-2.95, false, false), (.nan, false, false),
    ]
    for (time, force, expected) in steps {
      let drew = t.shouldDraw(at: time, force: force)
      #expect(drew == expected, "at \(time)")
    }
    #expect(t.lastDraw == -3)
  }

  /// Over random increasing timestamps, draws are at least 0.1 s apart, so any
  /// half-open second holds at most 10; and a pause of 0.1 s always draws.
  @Test func throttleProperty() {
    for seed in 0..<50 {
      var g = SeededGenerator(seed: UInt64(seed))
      var throttle = ProgressThrottle(maxPerSecond: 10)
      var now = 0.0
      var draws: [Double] = []
      for _ in 0..<2000 {
        now += g.nextDouble() * 0.03
        let previous = throttle.lastDraw
        let drew = throttle.shouldDraw(at: now)
        if drew {
          draws.append(now)
        } else if let previous {
          #expect(now - previous < 0.1)
        }
      }
      for (i, start) in draws.enumerated() {
        let inWindow = draws[i...].prefix { $0 < start + 1 }.count
        #expect(inWindow <= 10, "seed \(seed): \(inWindow) draws in one second")
      }
    }
  }
}
