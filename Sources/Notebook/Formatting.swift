import Foundation
import RecData
import RecTerm

/// Text for values in cell outputs, shared by every command so a number
/// always reads the same way.
enum Fmt {
  /// 52,417
  static func int(_ v: Int) -> String { NumberFormat.integer(v) }
  /// A statistic in at most about 9 characters: integers below 1e6 exactly
  /// (1,234), larger magnitudes in scientific notation with 4 significant digits
  /// (1.771e9), others with fixed decimals (6,804.3, 4.2620).
  static func stat(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    let a = abs(v)
    if a >= 1e6 {
      var e = Int(log10(a).rounded(.down))
      var m = v / pow(10, Double(e))
      if abs((m * 1000).rounded()) >= 10_000 {
        e += 1
        m /= 10
      }
      return NumberFormat.decimal(m, digits: 3, grouping: false) + "e\(e)"
    }
    if v == v.rounded() { return NumberFormat.integer(Int(v)) }
    return NumberFormat.decimal(v, digits: a >= 1000 ? 1 : 4)
  }
  /// A number inside a sentence: as ``stat(_:)`` without trailing zeros (3.99, 2,217, 0.5).
  static func short(_ v: Double) -> String {
    var s = stat(v)
    guard s.contains("."), !s.contains("e") else { return s }
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
  }

  /// 2.3%
  static func percent(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "0%" }
    return NumberFormat.percent(Double(part) / Double(whole), digits: 1)
  }
  /// A cell of `show`: ids and timestamps as written (no separators), decimals trimmed;
  /// an empty string shows as `""` so that it is not mistaken for a missing value.
  static func cell(_ v: Value) -> String {
    switch v {
    case .int(let i): return String(i)
    case .double(let d):
      if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) + ".0" }
      var s = NumberFormat.decimal(d, digits: 4, grouping: false)
      while s.hasSuffix("0") { s.removeLast() }
      return s
    case .string(let s): return s.isEmpty ? "\"\"" : s
    case .missing: return ""
    }
  }
  /// "1 row" / "2 rows"
  static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(int(n)) \(n == 1 ? singular : plural ?? singular + "s")"
  }
  /// 0.042 s
  static func seconds(_ s: Double) -> String { NumberFormat.duration(seconds: s) }
}

extension Table {
  /// "52,417 rows x 7 columns"
  var shapeText: String { "\(Fmt.count(rowCount, "row")) x \(Fmt.count(columnCount, "column"))" }
}
