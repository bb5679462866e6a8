import Foundation

/// The body of `POST /v1/recommend`: `{"history": ["ID", ...], "k": 10}`, a history given now
/// (a new user, a session), oldest first.
struct HistoryRequest: Equatable {
  var history: [String]
  var k: Int

  static let fields = ["history", "k"]

  /// Parses and checks a body. Every refusal names the field and what was found:
  /// malformed JSON (with the parser's position), a body that is not an object, unknown or
  /// missing fields, wrong types (`history[3]` a number), `k` not an integer in `kRange`.
  static func parse(_ data: Data, defaultK: Int, kRange: ClosedRange<Int>) throws(APIError) -> HistoryRequest
  {
    guard !data.isEmpty else {
      throw APIError(
        .badRequest, "request body is empty; expected a JSON object {\"history\": [...], \"k\": 10}")
    }
    let root: JSONValue
    do {
      root = try JSONValue.parse(data)
    } catch {
      throw .malformedJSON(Self.parserMessage(error))
    }
    guard case .object(let object) = root else {
      throw .wrongType(field: "(body)", expected: "an object {\"history\": [...], \"k\": 10}", found: root)
    }
    for key in object.keys.sorted() where !fields.contains(key) {
      throw APIError(
        .badRequest, "unknown field '\(key)'; the body takes history, k",
        detail: .object(["field": .string(key), "allowed": .array(fields.map { .string($0) })]))
    }
    guard let historyValue = object["history"] else {
      throw APIError(.badRequest, "missing field 'history'", detail: .object(["field": .string("history")]))
    }
    guard case .array(let elements) = historyValue else {
      throw .wrongType(field: "history", expected: "an array of item ids (strings)", found: historyValue)
    }
    var history: [String] = []
    history.reserveCapacity(elements.count)
    for (i, element) in elements.enumerated() {
      guard case .string(let id) = element else {
        throw .wrongType(field: "history[\(i)]", expected: "a string (an item id)", found: element)
      }
      history.append(id)
    }
    var k = defaultK
    if let kValue = object["k"] {
      let expected = "an integer from \(kRange.lowerBound) to \(kRange.upperBound)"
      guard case .number(let x) = kValue else {
        throw .wrongType(field: "k", expected: expected, found: kValue)
      }
      // Range-check the Double before converting: Int(1e300) would trap.
      guard x == x.rounded(), x >= Double(kRange.lowerBound), x <= Double(kRange.upperBound) else {
        let shown = x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        throw .badValue("k", shown, expected: expected)
      }
      k = Int(x)
    }
    return HistoryRequest(history: history, k: k)
  }

  /// The most useful text of a parse error: Foundation puts the position (`around line 1,
  /// column 9`) in the underlying error of a `dataCorrupted` context.
  static func parserMessage(_ error: any Error) -> String {
    guard case DecodingError.dataCorrupted(let context) = error else { return "\(error)" }
    if let underlying = context.underlyingError {
      let text = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
      return text ?? "\(underlying)"
    }
    return context.debugDescription
  }
}
