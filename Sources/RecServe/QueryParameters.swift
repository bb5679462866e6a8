import Hummingbird

/// A request's query parameters, checked against the names a route takes: each accessor either
/// returns a valid value or throws the `APIError` that names the parameter and what is wrong.
struct QueryParameters {
  private var values: [String: String] = [:]

  /// Reads `request`'s query. Unknown names and repeated names are refused up front, so a typo
  /// (`exlude_seen=false`) is an error, not a silently ignored option.
  init(_ request: Request, allowed: [String]) throws(APIError) {
    for (key, value) in request.uri.queryParameters {
      let name = String(key)
      guard allowed.contains(name) else { throw .unknownParameter(name, allowed: allowed) }
      guard values[name] == nil else { throw .repeatedParameter(name) }
      values[name] = String(value)
    }
  }

  /// A required, non-empty text value (an id).
  func required(_ name: String) throws(APIError) -> String {
    guard let v = values[name] else { throw .missingParameter(name) }
    guard !v.isEmpty else { throw .badValue(name, v, expected: "a non-empty id") }
    return v
  }

  /// An integer in `range`, `defaultValue` when absent.
  func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(APIError) -> Int
  {
    guard let text = values[name] else { return defaultValue }
    let expected = "an integer from \(range.lowerBound) to \(range.upperBound)"
    guard let n = Int(text), range.contains(n) else { throw .badValue(name, text, expected: expected) }
    return n
  }

  /// A boolean (`true`/`false`/`1`/`0`), `defaultValue` when absent.
  func boolean(_ name: String, default defaultValue: Bool) throws(APIError) -> Bool {
    guard let text = values[name] else { return defaultValue }
    switch text {
    case "true", "1": return true
    case "false", "0": return false
    default: throw .badValue(name, text, expected: "true or false")
    }
  }
}
