#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Axis ticks at "nice" values: 1, 2 or 5 times a power of ten.
///
/// After Heckbert ("Nice numbers for graph labels", Graphics Gems, 1990): the
/// range is widened outwards to whole steps so the first and last ticks sit on the
/// axis ends. Tick values are computed as `(k × mantissa) / 10^-power` from
/// integers, so `0.1 × 3` never shows up as `0.30000000000000004`.
struct NiceScale: Equatable {
  /// Lower and upper end of the axis (the first and last tick).
  var lo: Double
  var hi: Double
  /// Distance between ticks.
  var step: Double
  /// Tick values from `lo` to `hi`.
  var ticks: [Double]

  /// A scale covering `[min, max]` with at most `maxTicks` ticks (at least 2).
  ///
  /// Equal ends are widened by one unit on each side (or 10% of the value), so a
  /// single value or a constant series still gets an axis around it.
  init(min: Double, max: Double, maxTicks: Int) {
    var a = Swift.min(min, max)
    var b = Swift.max(min, max)
    if !a.isFinite || !b.isFinite {
      (a, b) = (0, 1)
    }
    if a == b {
      let pad = a == 0 ? 1 : a.magnitude * 0.1
      (a, b) = (a - pad, b + pad)
    }
    let count = Swift.max(2, maxTicks)
    let span = b - a
    if !span.isFinite {
      // Beyond ±1.8e308: no nice ticks exist; show the ends.
      self.init(lo: a, hi: b, step: b / 2 - a / 2, ticks: [a, b])
      return
    }
    // The finest nice step whose ticks, widened outwards to whole steps, number at
    // most `count`: tighter than Heckbert's rounding of span / (count - 1), which
    // can put the top tick far above the data.
    let top = Int(log10(span).rounded(.down))
    for power in (top - 2)...(top + 2) {
      for mantissa in [1.0, 2.0, 5.0] {
        if let scale = NiceScale(lo: a, hi: b, mantissa: mantissa, power: power, extend: true, limit: count),
          scale.ticks.count <= count
        {
          self = scale
          return
        }
      }
    }
    self.init(lo: a, hi: b, step: span, ticks: [a, b])
  }

  /// A scale with the given ends, step and ticks.
  init(lo: Double, hi: Double, step: Double, ticks: [Double]) {
    self.lo = lo
    self.hi = hi
    self.step = step
    self.ticks = ticks
  }

  /// Ticks at multiples of `mantissa × 10^power`: from the multiple at or below `lo` to
  /// the one at or above `hi` when `extend`, otherwise only those inside `[lo, hi]`
  /// (and the scale keeps `lo`, `hi` as its ends). `nil` when that would be more
  /// than `limit` ticks.
  init?(lo: Double, hi: Double, mantissa: Double, power: Int, extend: Bool, limit: Int = 200) {
    let unit = NumberFormat.pow10(power)
    let step = mantissa * unit
    let first = extend ? (lo / step).rounded(.down) : (lo / step).rounded(.up)
    var last = extend ? (hi / step).rounded(.up) : (hi / step).rounded(.down)
    guard first.isFinite, last.isFinite, last - first < Double(limit) else { return nil }
    if extend && first == last { last += 1 }
    var ticks: [Double] = []
    var k = first
    while k <= last {
      // Dividing an exact integer by an exact power of ten rounds once.
      ticks.append(power < 0 ? k * mantissa / NumberFormat.pow10(-power) : k * mantissa * unit)
      k += 1
    }
    self.init(
      lo: extend ? ticks.first ?? lo : lo, hi: extend ? ticks.last ?? hi : hi, step: step, ticks: ticks)
  }

  /// Labels for the ticks, all with the same number of decimals (from the step),
  /// switching to k/M/B/T units once the largest tick reaches a million.
  var labels: [String] { ticks.map { NiceScale.label($0, step: step, scaleOf: ticks) } }

  /// The label of one value on an axis with this step and these ticks.
  static func label(_ value: Double, step: Double, scaleOf ticks: [Double]) -> String {
    let largest = ticks.map(\.magnitude).max() ?? value.magnitude
    if largest >= 1e15 { return NumberFormat.scientific(value, significant: 2) }
    if value == 0 { return "0" }
    var unit = 1.0
    var suffix = ""
    for (scale, s) in [(1e6, "M"), (1e9, "B"), (1e12, "T")] where largest >= scale {
      unit = scale
      suffix = s
    }
    let scaledStep = step / unit
    let places = scaledStep > 0 ? Swift.max(0, -Int(log10(scaledStep).rounded(.down))) : 0
    return NumberFormat.decimal(value / unit, digits: Swift.min(places, 12)) + suffix
  }
}
