import Foundation

/// One cell of a ``Table``: an integer, a decimal, a string, or missing.
///
/// Values are what expressions compute with and what row-wise code reads; the
/// bulk storage of a column is typed (see ``Column``), never an array of `Value`.
public enum Value: Hashable, Sendable, CustomStringConvertible {
  case int(Int)
  case double(Double)
  case string(String)
  case missing

  public var isMissing: Bool {
    if case .missing = self { return true }
    return false
  }

  /// The value as a number (`Int` widened to `Double`); `nil` for strings and missing.
  public var number: Double? {
    switch self {
    case .int(let v): return Double(v)
    case .double(let v): return v.isNaN ? nil : v
    case .string, .missing: return nil
    }
  }

  public var description: String {
    switch self {
    case .int(let v): return String(v)
    case .double(let v): return Value.format(v)
    case .string(let s): return s
    case .missing: return ""
    }
  }

  /// Shortest text that reads back as the same `Double` (`3` prints as `3.0`).
  public static func format(_ v: Double) -> String {
    if v.isNaN { return "" }
    if v == v.rounded(), abs(v) < 1e15 { return String(format: "%.1f", v) }
    return "\(v)"
  }
}

/// The type of a column. `missing` is not a type: any column may hold missing values.
public enum ColumnType: String, Sendable, CaseIterable, Equatable {
  case int, double, string
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
