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
  static let all: [Command] = [serve, stop, status]

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
      """,
    params: [Param("MODEL", .model)],
    options: [
      Option("port", .int(min: 0, max: 65_535), default: "8080", "the TCP port (0: any free port)"),
      Option("host", .string, default: "127.0.0.1", "the address to listen on"),
      RecommendCommands.itemsOption, RecommendCommands.columnsOption,
    ],
    examples: ["serve knn port=0"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let (t, _) = try RecommendCommands.trained(s, a)
      let old = s.server.current
      let server = RecServer(
        service: t, host: a.text("host") ?? "127.0.0.1", port: a.int("port") ?? 8080, logger: quietLogger)
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
