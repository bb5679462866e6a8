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
      throw .malformedJSON(Self.parserMessage(data, error))
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

  /// Where and why `data` is not JSON: `Invalid value around character 18 (line 1, column 19).`
  ///
  /// `JSONDecoder` on Linux only says "The given data was not valid JSON", so on this (error)
  /// path the body is parsed again with `JSONSerialization`, whose message names the 0-based
  /// character offset; the offset is turned into a 1-based line and column here.
  static func parserMessage(_ data: Data, _ error: any Error) -> String {
    do {
      _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
      guard let match = text.firstMatch(of: /character (\d+)/), let offset = Int(match.1) else { return text }
      let before = data.prefix(offset)
      let line = before.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
      let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex
      let column = before.distance(from: lineStart, to: before.endIndex) + 1
      let sentence = text.hasSuffix(".") ? String(text.dropLast()) : text
      return "\(sentence) (line \(line), column \(column))."
    }
    // Foundation's two parsers disagree (should not happen): report the decoder's message.
    if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
    return "\(error)"
  }
}
