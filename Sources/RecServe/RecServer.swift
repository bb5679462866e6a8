import Dispatch
import Foundation
import Hummingbird
import Logging
import RecModels
import ServiceLifecycle
import Synchronization
import UnixSignals

/// An HTTP server answering one `RecommendationService` (the API: `APIResponder`, README.md).
///
/// Two ways to run it:
/// - In the background (the REPL's `serve MODEL`, tests): `let port = try await start()` returns
///   once the socket is bound — with `port: 0` the system picks a free port and `start` returns
///   it — and `await stop()` shuts down, letting requests in flight finish (at most
///   `shutdownGrace`, then connections are cut).
/// - In the foreground (`recbook serve FILE --port N`): `try run()` blocks the calling thread
///   until SIGINT or SIGTERM (or `stop()` from another thread), then shuts down gracefully.
///
/// It never writes to the terminal: each request is logged at `info` through `logger` (one
/// line: method, path, status, milliseconds), so the caller decides where log lines go — a
/// REPL passes a logger whose handler does not write over its prompt.
///
/// The server is `Sendable`: `status` may be read from any thread while it runs; `start` and
/// `stop` may be called from any task. It can be started again after `stop()`; its counters
/// carry over.
public final class RecServer: Sendable {
  public let service: any RecommendationService
  public let host: String
  /// The port asked for (0: any free port; `status.port` tells which one was bound).
  public let port: Int
  /// Largest accepted request body in bytes; larger is answered 413 (default 1 MiB).
  public let maxBodyBytes: Int
  /// How long `stop()` waits for requests in flight before cutting connections.
  public let shutdownGrace: Duration
  let logger: Logger
  let metrics = RequestMetrics()
  /// Answers of `GET /v1/recommend` kept for repeated requests (`cacheEntries`; 0: none).
  let cache: ResponseCache

  /// One run of the server: its service group (to shut it down) and the task running it.
  private struct Run {
    var group: ServiceGroup
    var task: Task<Void, Never>
  }

  private struct Lifecycle {
    var state: ServerStatus.State = .idle
    var boundPort: Int?
    var started: Date?
    var failure: String?
    var run: Run?
    /// Resumed once: with the bound port when listening, or with the error if binding failed.
    var pendingStart: CheckedContinuation<Int, any Error>?
  }

  private let lifecycle = Mutex(Lifecycle())

  /// A server for `service` on `host:port`, not yet listening.
  /// - Parameters:
  ///   - host: the address to bind; `127.0.0.1` (the default) keeps the service on this machine.
  ///   - port: 0 asks the system for a free port (tests, several models at once).
  ///   - logger: where request lines go (`info`) and Hummingbird's own messages.
  ///   - cacheEntries: how many `GET /v1/recommend` answers to keep for repeated requests
  ///     (the model does not change while served, so a kept answer is exact); 0 keeps none.
  public init(
    service: any RecommendationService, host: String = "127.0.0.1", port: Int = 8080,
    maxBodyBytes: Int = 1 << 20, shutdownGrace: Duration = .seconds(5),
    logger: Logger = Logger(label: "recbook.serve"), cacheEntries: Int = RecServer.defaultCacheEntries
  ) {
    self.cache = ResponseCache(capacity: cacheEntries)
    self.service = service
    self.host = host
    self.port = port
    self.maxBodyBytes = maxBodyBytes
    self.shutdownGrace = shutdownGrace
    self.logger = logger
  }

  /// Answers kept by default: every user of an ML-1M-sized model, for one `k`, in ~10 MB.
  public static let defaultCacheEntries = 10_000

  /// Where the server is, what it serves and how many requests it has answered.
  public var status: ServerStatus {
    let life = lifecycle.withLock { ($0.state, $0.boundPort, $0.started, $0.failure) }
    let totals = metrics.totals()
    return ServerStatus(
      state: life.0, host: host, port: life.1, started: life.2, model: service.info.name,
      requests: totals.requests, errors: totals.errors, requestsByRoute: totals.byRoute, failure: life.3)
  }

  /// Starts listening in the background and returns the bound port once the socket is bound.
  /// - Throws: `ServeError.alreadyRunning`, `.badPort`, or `.cannotBind` (port in use, ...).
  @discardableResult
  public func start() async throws -> Int {
    try await launch(signals: [])
  }

  /// Shuts the server down: stops accepting, lets requests in flight finish for up to
  /// `shutdownGrace`, then cuts the remaining connections. Returns when the socket is closed.
  /// Does nothing when the server is not running.
  public func stop() async {
    let run: Run? = lifecycle.withLock { life in
      guard let run = life.run, life.state == .running || life.state == .starting else { return nil }
      life.state = .stopping
      return run
    }
    guard let run else { return }
    await run.group.triggerGracefulShutdown()
    // Graceful shutdown waits for open connections; a client that keeps one busy must not
    // keep `stop()` waiting for ever, so after the grace period the run is cancelled.
    let grace = shutdownGrace
    let watchdog = Task {
      try? await Task.sleep(for: grace)
      if !Task.isCancelled { run.task.cancel() }
    }
    await run.task.value
    watchdog.cancel()
  }

  /// Serves until SIGINT or SIGTERM (or `stop()`), then shuts down gracefully. `onListening`
  /// is called once with the status when the socket is bound (to print the address).
  /// - Throws: `ServeError` when the server cannot start or fails while running.
  public func serve(onListening: @Sendable (ServerStatus) -> Void = { _ in }) async throws {
    _ = try await launch(signals: [.sigint, .sigterm])
    onListening(status)
    let task = lifecycle.withLock { $0.run?.task }
    await task?.value
    if let failure = lifecycle.withLock({ $0.failure }) { throw ServeError.failed(failure) }
  }

  /// `serve(onListening:)` for synchronous callers (the CLI's `main`): blocks the calling
  /// thread until the server stops. Must not be called from an async task — it would block one
  /// of the few threads the concurrency runtime has (two on this machine).
  public func run(onListening: @escaping @Sendable (ServerStatus) -> Void = { _ in }) throws {
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task {
      do {
        try await self.serve(onListening: onListening)
        outcome.result.withLock { $0 = .success(()) }
      } catch {
        outcome.result.withLock { $0 = .failure(error) }
      }
      done.signal()
    }
    done.wait()
    try outcome.result.withLock { $0 ?? .success(()) }.get()
  }

  /// How the task behind `run` ended (a class: a `Mutex` cannot be captured by a closure).
  private final class Outcome: Sendable {
    let result = Mutex<Result<Void, any Error>?>(nil)
  }

  // MARK: - Internals

  /// Starts a run whose service group listens for `signals`, and waits for the socket.
  private func launch(signals: [UnixSignal]) async throws -> Int {
    guard (0...65535).contains(port) else { throw ServeError.badPort(port) }
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
      let claimed: Bool = lifecycle.withLock { life in
        switch life.state {
        case .idle, .stopped:
          life = Lifecycle(state: .starting, pendingStart: continuation)
          return true
        case .starting, .running, .stopping:
          return false
        }
      }
      guard claimed else {
        let port = lifecycle.withLock { $0.boundPort }
        continuation.resume(throwing: ServeError.alreadyRunning(address: "\(host):\(port ?? self.port)"))
        return
      }
      let app = makeApplication { [self] port in self.didBind(port: port) }
      let group = ServiceGroup(
        configuration: .init(services: [app], gracefulShutdownSignals: signals, logger: logger))
      let task = Task { [self] in
        do {
          try await group.run()
          self.didStop(error: nil)
        } catch {
          self.didStop(error: error)
        }
      }
      // The run may already be over (a failed bind); then there is nothing to keep.
      lifecycle.withLock { life in if life.state != .stopped { life.run = Run(group: group, task: task) } }
    }
  }

  /// The Hummingbird application for this server; `onBound` gets the bound port.
  /// Internal so tests can drive the same application with HummingbirdTesting's clients.
  func makeApplication(onBound: @escaping @Sendable (Int) -> Void = { _ in }) -> Application<APIResponder> {
    let responder = APIResponder(
      service: service, metrics: metrics, cache: cache, logger: logger, maxBodyBytes: maxBodyBytes)
    return Application(
      responder: responder,
      configuration: .init(address: .hostname(host, port: port), serverName: "recbook"),
      onServerRunning: { channel in onBound(channel.localAddress?.port ?? 0) },
      logger: logger)
  }

  private func didBind(port: Int) {
    let continuation: CheckedContinuation<Int, any Error>? = lifecycle.withLock { life in
      life.boundPort = port
      life.started = Date()
      if life.state == .starting { life.state = .running }
      defer { life.pendingStart = nil }
      return life.pendingStart
    }
    continuation?.resume(returning: port)
  }

  private func didStop(error: (any Error)?) {
    let continuation: CheckedContinuation<Int, any Error>? = lifecycle.withLock { life in
      let wasStopping = life.state == .stopping
      life.state = .stopped
      life.run = nil
      if let error, !wasStopping || life.pendingStart != nil { life.failure = "\(error)" }
      defer { life.pendingStart = nil }
      return life.pendingStart
    }
    guard let continuation else { return }
    // Ended before binding: the bind failed (or stop() came first).
    let reason = error.map { "\($0)" } ?? "stopped before it was listening"
    continuation.resume(throwing: ServeError.cannotBind(host: host, port: port, reason: reason))
  }
}
