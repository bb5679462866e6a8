/// Errors from the data layer, with the facts a message needs.
///
/// `span` fields are opaque source ranges handed down by the language layer
/// (character offsets in the cell's text) and handed back so the error can be
/// shown with a caret under the right word.
public enum DataError: Error, Equatable, Sendable {
  /// A column that the table does not have.
  case unknownColumn(name: String, table: String, suggestions: [String], span: Range<Int>?)
  /// An expression function that does not exist.
  case unknownFunction(name: String, suggestions: [String], span: Range<Int>?)
  /// A function called with the wrong number or kind of arguments.
  case badArguments(function: String, message: String, span: Range<Int>?)
  /// A value of the wrong type for an operation (`"rating" + 1`, minmax of a string column).
  case typeMismatch(message: String, span: Range<Int>?)
  /// A file that cannot be opened or read.
  case io(path: String, message: String)
  /// A malformed row in a delimited file: 1-based line and column (field) number.
  case malformedRow(path: String, line: Int, field: Int?, message: String)
  /// A value that does not fit the type asked for (`types=rating:int` and `4.5`).
  case badValue(path: String, line: Int, column: String, text: String, expected: ColumnType)
  /// An option value the operation cannot use (`method=foo`, `width=0`).
  case invalidArgument(String)
  /// Stopped on request (Ctrl-C); nothing was changed.
  case cancelled

  public var message: String {
    switch self {
    case .unknownColumn(let name, let table, _, _):
      return table.isEmpty ? "unknown column '\(name)'" : "unknown column '\(name)' in table '\(table)'"
    case .unknownFunction(let name, _, _): return "unknown function '\(name)'"
    case .badArguments(let f, let m, _): return "\(f): \(m)"
    case .typeMismatch(let m, _): return m
    case .io(let path, let m): return "\(path): \(m)"
    case .malformedRow(let path, let line, let field, let m):
      if let field { return "\(path):\(line): field \(field): \(m)" }
      return "\(path):\(line): \(m)"
    case .badValue(let path, let line, let column, let text, let expected):
      return "\(path):\(line): column '\(column)': '\(text)' is not a valid \(expected)"
    case .invalidArgument(let m): return m
    case .cancelled: return "cancelled; nothing was changed"
    }
  }

  public var suggestions: [String] {
    switch self {
    case .unknownColumn(_, _, let s, _), .unknownFunction(_, let s, _): return s
    default: return []
    }
  }

  public var span: Range<Int>? {
    switch self {
    case .unknownColumn(_, _, _, let s), .unknownFunction(_, _, let s), .badArguments(_, _, let s),
      .typeMismatch(_, let s):
      return s
    default: return nil
    }
  }
}
