import RecData
import RecTerm

/// Text for values in cell outputs, shared by every command so a number
/// always reads the same way.
enum Fmt {
  /// 52,417
  static func int(_ v: Int) -> String { NumberFormat.integer(v) }
  /// A statistic: up to 4 decimals, trailing zeros kept for alignment.
  static func stat(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v == v.rounded(), abs(v) < 1e15 { return NumberFormat.integer(Int(v)) }
    return NumberFormat.decimal(v, digits: abs(v) >= 1000 ? 1 : 4)
  }
  /// 2.3%
  static func percent(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "0%" }
    return NumberFormat.percent(Double(part) / Double(whole), digits: 1)
  }
  /// A cell of `show`: ids and timestamps as written (no separators), decimals trimmed.
  static func cell(_ v: Value) -> String {
    switch v {
    case .int(let i): return String(i)
    case .double(let d):
      if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
      var s = NumberFormat.decimal(d, digits: 4, grouping: false)
      while s.hasSuffix("0") { s.removeLast() }
      return s
    case .string(let s): return s
    case .missing: return ""
    }
  }
  /// "1 row" / "2 rows"
  static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(int(n)) \(n == 1 ? singular : plural ?? singular + "s")"
  }
  /// 0.042 s
  static func seconds(_ s: Double) -> String { NumberFormat.duration(s) }
}

extension Table {
  /// "52,417 rows x 7 columns"
  var shapeText: String { "\(Fmt.count(rowCount, "row")) x \(Fmt.count(columnCount, "column"))" }
}
