import Hummingbird
import RecModels

/// A request the service refuses, with the HTTP status and the facts the JSON error body needs.
///
/// Every refusal is answered with `{"error": message, "detail": detail}`: `error` is one
/// human-readable sentence that says exactly what is wrong, `detail` the same facts as data
/// (the parameter and its value, the allowed range, the unknown ids) for programs.
struct APIError: Error, Sendable, Equatable {
  var status: HTTPResponse.Status
  var message: String
  var detail: JSONValue

  init(_ status: HTTPResponse.Status, _ message: String, detail: JSONValue = .null) {
    self.status = status
    self.message = message
    self.detail = detail
  }

  /// The response body.
  var body: JSONValue { .object(["error": .string(message), "detail": detail]) }

  // MARK: - The refusals, one constructor each

  /// A required query parameter is absent (400).
  static func missingParameter(_ name: String) -> APIError {
    APIError(
      .badRequest, "missing query parameter '\(name)'", detail: .object(["parameter": .string(name)]))
  }

  /// A query parameter the route does not take (400): catches typos such as `exlude_seen`.
  static func unknownParameter(_ name: String, allowed: [String]) -> APIError {
    APIError(
      .badRequest,
      "unknown query parameter '\(name)'; this route takes \(allowed.joined(separator: ", "))",
      detail: .object(["parameter": .string(name), "allowed": .array(allowed.map { .string($0) })]))
  }

  /// A query parameter given twice (400): which one was meant is not ours to guess.
  static func repeatedParameter(_ name: String) -> APIError {
    APIError(
      .badRequest, "query parameter '\(name)' is given more than once",
      detail: .object(["parameter": .string(name)]))
  }

  /// A parameter whose value is malformed or out of range (400), named with its value.
  static func badValue(_ name: String, _ value: String, expected: String) -> APIError {
    APIError(
      .badRequest, "parameter '\(name)' is '\(value)'; expected \(expected)",
      detail: .object(["parameter": .string(name), "value": .string(value), "expected": .string(expected)]))
  }

  /// A request body that is not JSON (400), with the parser's message (it carries the position).
  static func malformedJSON(_ parserMessage: String) -> APIError {
    APIError(.badRequest, "request body is not valid JSON: \(parserMessage)", detail: .string(parserMessage))
  }

  /// A JSON field with the wrong type (400): `history[2]` expected string, found number.
  static func wrongType(field: String, expected: String, found: JSONValue) -> APIError {
    APIError(
      .badRequest, "field '\(field)' must be \(expected), found \(found.typeName)",
      detail: .object([
        "field": .string(field), "expected": .string(expected), "found": .string(found.typeName),
      ]))
  }

  /// A request body over the limit (413).
  static func bodyTooLarge(limit: Int) -> APIError {
    APIError(
      .contentTooLarge, "request body is larger than \(limit) bytes",
      detail: .object(["limit_bytes": .number(Double(limit))]))
  }

  /// No route at this path (404).
  static func notFound(path: String, routes: [String]) -> APIError {
    APIError(
      .notFound, "no route '\(path)'",
      detail: .object(["path": .string(path), "routes": .array(routes.map { .string($0) })]))
  }

  /// A route that exists but not with this method (405).
  static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method])
    -> APIError
  {
    let names = allowed.map(\.rawValue)
    return APIError(
      .methodNotAllowed, "\(path) does not accept \(method.rawValue); use \(names.joined(separator: " or "))",
      detail: .object([
        "method": .string(method.rawValue), "path": .string(path),
        "allowed": .array(names.map { .string($0) }),
      ]))
  }

  /// A model's refusal mapped to HTTP. `idsFromBody`: the ids came in a JSON body (a history),
  /// so an unknown one makes the body unprocessable (422); an id in the query names the
  /// resource asked for, so an unknown one is not found (404).
  static func service(_ error: ServiceError, idsFromBody: Bool) -> APIError {
    switch error {
    case .unknownItem(let id):
      return APIError(
        idsFromBody ? .unprocessableContent : .notFound, error.description,
        detail: .object(["unknown_items": .array([.string(id)])]))
    case .unknownUser(let id):
      return APIError(.notFound, error.description, detail: .object(["user": .string(id)]))
    case .badArgument(let m):
      return APIError(.badRequest, m)
    case .unsupported(let m):
      // 422, not 501: the request is well formed but this model cannot answer it; clients
      // should not retry it as they might a server fault.
      return APIError(.unprocessableContent, m, detail: .object(["unsupported": .bool(true)]))
    }
  }
}
