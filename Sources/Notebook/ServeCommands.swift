import Foundation
import Logging
import RecModels
import RecServe

/// `serve MODEL [port=] [host=]`, `serve stop`, `serve status`: a fitted model answers HTTP
/// requests (RecServe on Hummingbird) in the background while the session goes on.
///
/// The server is a reference held by the session: later cells do not change what it serves
/// (it serves the model as it was when started); `serve MODEL` again replaces it.
enum ServeCommands {
  static let all: [Command] = [serve, stop, status, request]

  /// Runs async server work from a synchronous cell (cells run on a worker thread, never on
  /// the cooperative pool, so blocking it here cannot starve the server's own tasks).
  static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
      done.signal()
    }
    done.wait()
    return try box.get()
  }

  final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, Error>?
    func set(_ r: Result<T, Error>) { lock.withLock { result = r } }
    func get() throws -> T {
      try lock.withLock { () throws -> T in
        guard let result else { throw ServeError.failed("no result") }
        return try result.get()
      }
    }
  }

  /// Request logs go nowhere in a session (they would write over the prompt); `/metrics`
  /// and `serve status` count the requests.
  static var quietLogger: Logger {
    var l = Logger(label: "recbook.serve", factory: { _ in SwiftLogNoOpLogHandler() })
    l.logLevel = .critical
    return l
  }

  static let serve = Command(
    name: "serve", group: .deploy, summary: "Serve a fitted model over HTTP in the background",
    details: """
      Endpoints: GET /health, GET /v1/recommend?user=ID&k=10, POST /v1/recommend
      with {"history": [...], "k": 10}, GET /v1/similar?item=ID&k=10,
      GET /v1/explain?user=ID&item=ID, GET /v1/model, GET /metrics (Prometheus).
      port=0 picks a free port. Only 127.0.0.1 unless host= says otherwise.
      Answers of GET /v1/recommend are kept for repeated requests (cache=N answers,
      0 for none): the served model does not change, so a kept answer is exact.
      """,
    params: [Param("MODEL", .model)],
    options: [
      Option("port", .int(min: 0, max: 65_535), default: "8080", "the TCP port (0: any free port)"),
      Option("host", .string, default: "127.0.0.1", "the address to listen on"),
      Option(
        "cache", .int(min: 0, max: 10_000_000), default: "\(RecServer.defaultCacheEntries)",
        "GET /v1/recommend answers kept for repeated requests"),
      RecommendCommands.itemsOption, RecommendCommands.columnsOption,
    ],
    examples: ["serve knn port=0"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let (t, _) = try RecommendCommands.trained(s, a)
      let old = s.server.current
      let server = RecServer(
        service: t, host: a.text("host") ?? "127.0.0.1", port: a.int("port") ?? 8080, logger: quietLogger,
        cacheEntries: a.int("cache") ?? RecServer.defaultCacheEntries)
      let port: Int
      do {
        if let old { try wait { await old.stop() } }
        port = try wait { try await server.start() }
      } catch {
        throw NotebookError(
          .runtime, "cannot serve \(t.info.name): \(error)", span: a.span("port") ?? a.span("MODEL"))
      }
      s.server.current = server
      let host = a.text("host") ?? "127.0.0.1"
      return CellOutput([
        .text("serving \(t.info.name) (\(t.info.type)) over HTTP; stop with: serve stop"),
        .volatile(
          "listening on http://\(host):\(port)  (try: curl 'http://\(host):\(port)/v1/recommend?user=ID&k=5')"
        ),
      ])
    })

  static let stop = Command(
    name: "serve stop", group: .deploy, summary: "Stop the HTTP service", params: [], options: [],
    examples: ["serve stop"], mutates: false,
    run: { s, _, _ throws(NotebookError) in
      guard let server = s.server.current else { return .text("no service is running") }
      let st = server.status
      _ = try? wait { await server.stop() }
      s.server.current = nil
      return .text("stopped serving \(st.model) after \(Fmt.count(st.requests, "request"))")
    })

  static let status = Command(
    name: "serve status", group: .deploy, summary: "The HTTP service's address and request counts",
    params: [], options: [], examples: ["serve status"], mutates: false,
    run: { s, _, _ throws(NotebookError) in
      guard let server = s.server.current else {
        return .text("no service is running (serve MODEL starts one)")
      }
      let st = server.status
      var out = CellOutput([
        .text(
          "serving \(st.model): \(st.state.rawValue), \(Fmt.count(st.requests, "request")), \(Fmt.count(st.errors, "error"))"
        )
      ])
      if let address = st.address { out.append(.volatile("at \(address)")) }
      let rows = st.requestsByRoute.keys.sorted().map { [$0, Fmt.int(st.requestsByRoute[$0] ?? 0)] }
      if !rows.isEmpty {
        out.append(.table(TableBlock(headers: ["route", "requests"], numeric: [false, true], rows: rows)))
      }
      return out
    })
}

extension ServeCommands {
  static let request = Command(
    name: "request", group: .deploy, summary: "Send an HTTP request to the session's running service",
    details: """
      Sends METHOD PATH to the service `serve` started in this session and shows the status
      and the answer (JSON indented, keys sorted). Quote the path: "/v1/recommend?user=ID&k=5".
      body= gives a JSON body for POST, e.g. body="{\\"history\\": [\\"P0206\\"], \\"k\\": 3}".
      A 4xx answer is shown, not an error: it is what a client would get.
      """,
    params: [Param("METHOD", .choice(["GET", "POST", "DELETE"])), Param("PATH", .value)],
    options: [Option("body", .string, "a JSON request body (POST)")],
    examples: [#"request GET "/health""#], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      guard let server = s.server.current, let port = server.status.port else {
        throw NotebookError(
          .runtime, "no service is running in this session; start one with: serve MODEL port=0",
          span: a.span("METHOD"))
      }
      let method = a.text("METHOD") ?? "GET"
      let path = a.text("PATH") ?? ""
      guard path.hasPrefix("/"), !path.contains(where: { $0 == " " || $0 == "#" }) else {
        throw NotebookError(
          .badValue, "the path must start with / and have no spaces, e.g. \"/v1/recommend?user=ID&k=5\"",
          span: a.span("PATH"))
      }
      // A service listening on every address is reached on loopback.
      let host = ["0.0.0.0", "::", ""].contains(server.status.host) ? "127.0.0.1" : server.status.host
      let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path)"
      let body = a.text("body")
      let answer: ServiceClient.Answer
      do {
        answer = try wait { try await ServiceClient.send(method: method, url: url, body: body) }
      } catch {
        throw NotebookError(.runtime, "\(method) \(path) failed: \(error)", span: a.span("PATH"))
      }
      var out = CellOutput([.text("\(answer.status) \(answer.contentType ?? "(no content type)")")])
      let text =
        answer.contentType?.hasPrefix("application/json") == true
        ? ServiceClient.prettyJSON(answer.body) ?? answer.body : answer.body
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
        out.append(.text(String(line)))
      }
      return out
    })
}

/// The session's running service: a reference, so copies of the session (each cell runs on
/// one) share it, and undo does not stop it.
public final class ServerSlot: @unchecked Sendable {
  private let lock = NSLock()
  private var server: RecServer?
  public init() {}
  public var current: RecServer? {
    get { lock.withLock { server } }
    set { lock.withLock { server = newValue } }
  }
}
