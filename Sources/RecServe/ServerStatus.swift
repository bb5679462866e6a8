import Foundation

/// A snapshot of a `RecServer`: where it listens, since when, and what it has answered — what
/// the REPL's `servers` listing and the CLI's exit summary show.
public struct ServerStatus: Sendable, Equatable {
  /// Where the server is in its life.
  public enum State: String, Sendable, Equatable {
    /// Made, not yet started.
    case idle
    /// `start()` was called; the socket is not bound yet.
    case starting
    /// Listening on `port`.
    case running
    /// `stop()` was called; finishing the requests in flight.
    case stopping
    /// Stopped, or failed to start (`failure` says why).
    case stopped
  }

  public var state: State
  /// The host the server binds (`127.0.0.1`).
  public var host: String
  /// The bound port once running (the ephemeral one when asked for port 0); `nil` before.
  public var port: Int?
  /// When the socket was bound.
  public var started: Date?
  /// The model served (`ModelInfo.name`).
  public var model: String
  /// Requests answered since start, all routes and statuses.
  public var requests: Int
  /// Of those, the ones answered with a 4xx or 5xx status.
  public var errors: Int
  /// Requests answered per route (`/v1/recommend`, unknown paths under `unmatched`).
  public var requestsByRoute: [String: Int]
  /// Why the server stopped, when it did not stop on request (`address already in use`).
  public var failure: String?

  public init(
    state: State, host: String, port: Int?, started: Date?, model: String, requests: Int, errors: Int,
    requestsByRoute: [String: Int], failure: String?
  ) {
    self.state = state
    self.host = host
    self.port = port
    self.started = started
    self.model = model
    self.requests = requests
    self.errors = errors
    self.requestsByRoute = requestsByRoute
    self.failure = failure
  }

  /// `http://127.0.0.1:8080` once the port is known.
  public var address: String? { port.map { "http://\(host):\($0)" } }
}
