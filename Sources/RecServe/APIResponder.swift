import Foundation
import Hummingbird
import Logging
import RecModels

/// The HTTP API around one `RecommendationService`: routes a request, checks its parameters,
/// asks the model, and answers JSON; counts and logs every request.
///
/// Routing is a table of exact paths rather than Hummingbird's `Router`: the trie router answers
/// a known path with the wrong method 404, where this API must say 405 with the methods that
/// are allowed, and its 404 body is empty where ours is JSON. Six fixed paths need no trie.
///
/// Nothing a client sends can crash it: every refusal is an `APIError` (4xx, JSON body), and a
/// failure that is not one (which would be our bug) is answered 500 with a JSON body too.
struct APIResponder: HTTPResponder {
  typealias Context = BasicRequestContext

  /// The routes, by path, with the methods each takes.
  enum Route: String, CaseIterable {
    case health = "/health"
    case recommend = "/v1/recommend"
    case similar = "/v1/similar"
    case explain = "/v1/explain"
    case model = "/v1/model"
    case metrics = "/metrics"

    var methods: [HTTPRequest.Method] { self == .recommend ? [.get, .post] : [.get] }
  }

  /// The route label of requests to paths that are not routes (bounded label set for metrics).
  static let unmatched = "unmatched"
  /// `k` when a request does not give one, and the range a request may ask for.
  static let defaultK = 10
  static let kRange = 1...1000

  let service: any RecommendationService
  let metrics: RequestMetrics
  /// Answers of `GET /v1/recommend` already computed (the model does not change while served).
  let cache: ResponseCache
  let logger: Logger
  /// Largest accepted request body in bytes; larger is 413.
  let maxBodyBytes: Int

  func respond(to request: Request, context: Context) async throws -> Response {
    let start = ContinuousClock.now
    let path = Self.normalize(request.uri.path)
    let route = Route(rawValue: path)
    let response: Response
    do {
      response = try await dispatch(request, route: route, path: path)
    } catch {
      response = Self.json(error.body, status: error.status, extraHeaders: Self.allowHeader(error, route))
    }
    let elapsed = start.duration(to: .now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    metrics.record(route: route?.rawValue ?? Self.unmatched, status: response.status.code, seconds: seconds)
    logger.info(
      "\(request.method.rawValue) \(request.uri.path) \(response.status.code) \(Self.milliseconds(seconds))ms"
    )
    return response
  }

  /// Runs the route's handler; every refusal is thrown as an `APIError`.
  private func dispatch(_ request: Request, route: Route?, path: String) async throws(APIError) -> Response {
    guard let route else { throw .notFound(path: path, routes: Route.allCases.map(\.rawValue)) }
    guard route.methods.contains(request.method) else {
      throw .methodNotAllowed(request.method, path: route.rawValue, allowed: route.methods)
    }
    switch (route, request.method) {
    case (.health, _):
      return Self.json(.object(["status": .string("ok"), "model": .string(service.info.name)]))
    case (.recommend, .post):
      return try await recommendHistory(request)
    case (.recommend, _):
      let query = try QueryParameters(request, allowed: ["user", "k", "exclude_seen"])
      let user = try query.required("user")
      let k = try query.integer("k", default: Self.defaultK, in: Self.kRange)
      let excludeSeen = try query.boolean("exclude_seen", default: true)
      let key = ResponseCache.key(user: user, k: k, excludeSeen: excludeSeen)
      if let bytes = cache.answer(for: key) { return Self.json(bytes: bytes) }
      let list = try Self.ask(idsFromBody: false) { () throws(ServiceError) in
        try service.recommend(user: user, k: k, excludeSeen: excludeSeen)
      }
      let bytes = JSONValue.object(list.jsonFields.merging(["user": .string(user)]) { a, _ in a }).encoded()
      cache.store(bytes, for: key)
      return Self.json(bytes: bytes)
    case (.similar, _):
      let query = try QueryParameters(request, allowed: ["item", "k"])
      let item = try query.required("item")
      let k = try query.integer("k", default: Self.defaultK, in: Self.kRange)
      let list = try Self.ask(idsFromBody: false) { () throws(ServiceError) in
        try service.similar(item: item, k: k)
      }
      return Self.json(.object(list.jsonFields.merging(["item": .string(item)]) { a, _ in a }))
    case (.explain, _):
      let query = try QueryParameters(request, allowed: ["user", "item"])
      let user = try query.required("user")
      let item = try query.required("item")
      let explanation = try Self.ask(idsFromBody: false) { () throws(ServiceError) in
        try service.explain(user: user, item: item)
      }
      return Self.json(explanation.json)
    case (.model, _):
      _ = try QueryParameters(request, allowed: [])
      return Self.json(service.info.json)
    case (.metrics, _):
      _ = try QueryParameters(request, allowed: [])
      var headers = HTTPFields()
      headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
      return Response(
        status: .ok, headers: headers,
        body: .init(byteBuffer: ByteBuffer(string: metrics.render() + cache.render())))
    }
  }

  /// `POST /v1/recommend`: reads at most `maxBodyBytes`, parses the history, asks the model.
  private func recommendHistory(_ request: Request) async throws(APIError) -> Response {
    _ = try QueryParameters(request, allowed: [])
    // A declared length over the limit is refused before reading a byte of it.
    if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBodyBytes {
      throw .bodyTooLarge(limit: maxBodyBytes)
    }
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: maxBodyBytes)
    } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
      // A chunked body has no length up front: `collect` stops at the limit.
      throw .bodyTooLarge(limit: maxBodyBytes)
    } catch {
      throw APIError(.badRequest, "could not read the request body: \(error)")
    }
    let body = try HistoryRequest.parse(
      Data(buffer.readableBytesView), defaultK: Self.defaultK, kRange: Self.kRange)
    let list = try recommend(history: body.history, k: body.k)
    return Self.json(
      .object(list.jsonFields.merging(["history": .array(body.history.map { .string($0) })]) { a, _ in a }))
  }

  /// Asks for a history's recommendations; when the model refuses an unknown item, asks again
  /// without it to find the others, so the 422 names every unknown id (up to `maxNamed`) and a
  /// client fixes its request once, not once per id. Costs one extra call per unknown id, on
  /// the error path only.
  private func recommend(history: [String], k: Int) throws(APIError) -> RecommendationList {
    let maxNamed = 20
    var remaining = history
    var unknown: [String] = []
    while true {
      do {
        let list = try service.recommend(history: remaining, k: k)
        guard unknown.isEmpty else { break }
        return list
      } catch {
        guard case .unknownItem(let id) = error, remaining.contains(id), unknown.count < maxNamed else {
          if unknown.isEmpty { throw .service(error, idsFromBody: true) }
          break
        }
        unknown.append(id)
        remaining.removeAll { $0 == id }
      }
    }
    let names = unknown.map { "'\($0)'" }.joined(separator: ", ")
    throw APIError(
      .unprocessableContent, unknown.count == 1 ? "unknown item \(names)" : "unknown items \(names)",
      detail: .object(["unknown_items": .array(unknown.map { .string($0) })]))
  }

  /// Runs a model call, mapping its `ServiceError` to the HTTP refusal.
  private static func ask<T>(idsFromBody: Bool, _ call: () throws(ServiceError) -> T) throws(APIError) -> T {
    do { return try call() } catch { throw .service(error, idsFromBody: idsFromBody) }
  }

  // MARK: - Helpers

  /// `/v1/model/` is `/v1/model`: one trailing slash is forgiven.
  static func normalize(_ path: String) -> String {
    path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
  }

  /// A JSON response (`application/json; charset=utf-8`).
  static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:])
    -> Response
  {
    json(bytes: value.encoded(), status: status, extraHeaders: extraHeaders)
  }

  /// A JSON response from encoded bytes.
  static func json(bytes: [UInt8], status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:])
    -> Response
  {
    var headers = extraHeaders
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  /// The `Allow` header a 405 must carry (RFC 9110 §15.5.6).
  static func allowHeader(_ error: APIError, _ route: Route?) -> HTTPFields {
    guard error.status == .methodNotAllowed, let route else { return [:] }
    var headers = HTTPFields()
    headers[.allow] = route.methods.map(\.rawValue).joined(separator: ", ")
    return headers
  }

  /// `0.42` for 0.000421 s: milliseconds with two decimals, for the request log.
  static func milliseconds(_ seconds: Double) -> String {
    let hundredths = (seconds * 100_000).rounded()
    return String(format: "%.2f", hundredths / 100)
  }
}
