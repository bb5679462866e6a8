/// Locale-free number formatting for tables, plots and progress lines.
///
/// Every function gives the same text on every machine: no `NumberFormatter`, no
/// `printf`, no locale. Rounding is half away from zero on the shortest decimal
/// form of the value (see ``DecimalDigits``). NaN prints as `nan`, infinities as
/// `inf` / `-inf`, and a rounded zero never carries a minus sign.
///
///     integer(1234567)          "1,234,567"
///     decimal(0.123456)         "0.1235"
///     percent(0.4512)           "45.1%"
///     compact(3_400_000)        "3.4M"
///     duration(seconds: 0.042)  "0.042 s"
///     bytes(12_345_678)         "12.3 MB"
public enum NumberFormat {
  /// One way to show a number, for ``format(_:as:missing:)``.
  public enum Kind: Sendable, Equatable {
    case integer
    case decimal(digits: Int)
    case percent(digits: Int)
    case compact
    case duration
    case bytes
    case general
  }

  /// A possibly missing value in the given kind; `missing` (empty by default, or
  /// ``RenderStyle/missing``) stands in for `nil`.
  public static func format(_ value: Double?, as kind: Kind, missing: String = "") -> String {
    guard let value else { return missing }
    switch kind {
    case .integer: return integer(value)
    case .decimal(let digits): return decimal(value, digits: digits)
    case .percent(let digits): return percent(value, digits: digits)
    case .compact: return compact(value)
    case .duration: return duration(seconds: value)
    case .bytes: return bytes(value)
    case .general: return general(value)
    }
  }

  /// An integer with thousands separators: `-1,234,567`. Exact for every `Int`.
  public static func integer(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = value < 0 ? "-" : ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return out
  }

  /// A `Double` rounded to an integer with thousands separators.
  public static func integer(_ value: Double) -> String {
    decimal(value, digits: 0)
  }

  /// Fixed precision: `decimal(1234.5, digits: 2)` is `"1,234.50"` (`digits` is
  /// clamped to 0...40).
  public static func decimal(_ value: Double, digits: Int = 4, grouping: Bool = true) -> String {
    guard var d = DecimalDigits(value) else { return nonFinite(value) }
    let places = min(max(0, digits), 40)  // beyond 40 digits only zeros would follow
    d.round(fractionDigits: places)
    return d.fixed(places: places, grouping: grouping)
  }

  /// A fraction as a percentage: `percent(0.4512)` is `"45.1%"`.
  public static func percent(_ fraction: Double, digits: Int = 1) -> String {
    guard fraction.isFinite else { return nonFinite(fraction) }
    return decimal(fraction * 100, digits: digits) + "%"
  }

  /// Short human form: `999`, `1.2k`, `12.3k`, `123k`, `3.4M`, `1.0B`, `1.0T`.
  ///
  /// Three significant digits at most; below 1,000 up to two decimals with
  /// trailing zeros dropped (`3.25`, `12.5`, `0.42`). A value that rounds up to
  /// the next unit moves to it (`999,950` is `1.0M`, not `1000.0k`).
  public static func compact(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let sign = value < 0 ? "-" : ""
    let m = value.magnitude
    if rounded(m, places: m >= 100 ? 0 : m >= 10 ? 1 : 2) < 1000 {
      let places = m >= 100 ? 0 : m >= 10 ? 1 : 2
      let text = trimmingZeros(decimal(m, digits: places))
      return text == "0" ? "0" : sign + text
    }
    let units: [(Double, String)] = [(1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T")]
    for (i, (scale, suffix)) in units.enumerated() {
      let scaled = m / scale
      let places = scaled >= 100 ? 0 : 1
      let r = rounded(scaled, places: places)
      if r < 1000 || i == units.count - 1 {
        return sign + decimal(scaled, digits: r >= 100 ? 0 : places) + suffix
      }
    }
    return sign + decimal(m, digits: 0)  // unreachable: the last unit always returns
  }

  /// Elapsed time: `0.4 ms`, `0.042 s`, `8.4 s`, `1.3 min`, `2.1 h`, `3.5 d`.
  public static func duration(seconds: Double) -> String {
    guard seconds.isFinite else { return nonFinite(seconds) }
    let sign = seconds < 0 ? "-" : ""
    let s = seconds.magnitude
    let text: String
    if s == 0 {
      return "0 s"
    } else if rounded(s, places: 3) < 0.001 {
      text = decimal(s * 1000, digits: 1) + " ms"
    } else if rounded(s, places: 3) < 1 {
      text = decimal(s, digits: 3) + " s"
    } else if rounded(s, places: 1) < 60 {
      text = decimal(s, digits: 1) + " s"
    } else if rounded(s / 60, places: 1) < 60 {
      text = decimal(s / 60, digits: 1) + " min"
    } else if rounded(s / 3600, places: 1) < 48 {
      text = decimal(s / 3600, digits: 1) + " h"
    } else {
      text = decimal(s / 86400, digits: 1) + " d"
    }
    return sign + text
  }

  /// A clock-style duration for ETAs: `0:04`, `12:30`, `1:02:03`.
  public static func clock(seconds: Double) -> String {
    guard seconds.isFinite else { return nonFinite(seconds) }
    guard seconds.magnitude < 3.6e12 else { return seconds < 0 ? "-inf" : "inf" }
    let total = Int(seconds.magnitude.rounded())
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
    let sign = seconds < 0 && total > 0 ? "-" : ""
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return h > 0 ? "\(sign)\(h):\(two(m)):\(two(s))" : "\(sign)\(m):\(two(s))"
  }

  /// A size in bytes with SI units: `512 B`, `1.5 kB`, `12.3 MB`, `4.0 GB`.
  public static func bytes(_ count: Double) -> String {
    guard count.isFinite else { return nonFinite(count) }
    let sign = count < 0 ? "-" : ""
    let m = count.magnitude
    if m < 1000 { return sign + decimal(m, digits: 0) + " B" }
    let units = ["kB", "MB", "GB", "TB", "PB"]
    var scaled = m / 1000
    for (i, unit) in units.enumerated() {
      if rounded(scaled, places: 1) < 1000 || i == units.count - 1 {
        return sign + decimal(scaled, digits: 1) + " " + unit
      }
      scaled /= 1000
    }
    return sign + decimal(m, digits: 0) + " B"  // unreachable
  }

  /// A size in bytes given as an `Int`.
  public static func bytes(_ count: Int) -> String { bytes(Double(count)) }

  /// A value shown as it is, for cells and labels: integers exactly with separators
  /// (`25,000`), fractions to about four significant digits (`0.3412`, `12.35`,
  /// `1,234.6`), very large or very small magnitudes in scientific form
  /// (`1.2e+18`, `3.4e-07`).
  public static func general(_ value: Double) -> String {
    guard var d = DecimalDigits(value) else { return nonFinite(value) }
    if d.isZero { return "0" }
    let m = value.magnitude
    if m >= 1e15 || m < 1e-4 { return scientific(value, significant: 2) }
    if value == value.rounded() { return d.fixed(places: 0, grouping: true) }
    // About four significant digits, but never fewer than one decimal.
    let places = max(1, 4 - d.exponent)
    d.round(fractionDigits: places)
    return trimmingZeros(d.fixed(places: places, grouping: true))
  }

  /// Scientific notation with `significant` digits: `1.2e+18`, `-3.4e-07`.
  public static func scientific(_ value: Double, significant: Int = 2) -> String {
    guard var d = DecimalDigits(value) else { return nonFinite(value) }
    if d.isZero { return "0" }
    d.round(significantDigits: significant)
    let power = d.exponent - 1
    var mantissa = d
    mantissa.exponent = 1
    let places = max(0, significant - 1)
    let expText = power.magnitude < 10 ? "0\(power.magnitude)" : "\(power.magnitude)"
    return mantissa.fixed(places: places, grouping: false) + "e" + (power < 0 ? "-" : "+") + expText
  }

  /// `nan`, `inf` or `-inf`.
  static func nonFinite(_ value: Double) -> String {
    value.isNaN ? "nan" : value < 0 ? "-inf" : "inf"
  }

  /// The value rounded to `places` decimals, as a `Double` (for unit choices).
  static func rounded(_ value: Double, places: Int) -> Double {
    guard var d = DecimalDigits(value) else { return value }
    d.round(fractionDigits: places)
    var result = 0.0
    for digit in d.digits { result = result * 10 + Double(digit) }
    let shift = d.exponent - d.digits.count
    result *= pow10(shift)
    return d.negative ? -result : result
  }

  /// 10 to an integer power, exact for the small powers used here.
  static func pow10(_ n: Int) -> Double {
    // Multiplying exact powers (10^22 and below are exact in binary) and dividing
    // once keeps 10^-3 equal to the literal 0.001.
    var r = 1.0
    for _ in 0..<min(n.magnitude, 400) { r *= 10 }
    return n >= 0 ? r : 1 / r
  }

  /// `"3.250"` → `"3.25"`, `"2.00"` → `"2"`.
  static func trimmingZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var t = Substring(text)
    while t.last == "0" { t = t.dropLast() }
    if t.last == "." { t = t.dropLast() }
    return String(t)
  }
}
