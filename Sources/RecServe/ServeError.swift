/// Why a `RecServer` could not start or run.
public enum ServeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// `start()` on a server that is already starting or running.
  case alreadyRunning(address: String)
  /// The socket could not be bound (port in use, host not local, no permission).
  case cannotBind(host: String, port: Int, reason: String)
  /// A port outside 0...65535 (0 asks the system for a free one).
  case badPort(Int)
  /// The server stopped by itself after starting (the reason from the HTTP layer).
  case failed(String)

  public var description: String {
    switch self {
    case .alreadyRunning(let address): return "the server is already running at \(address)"
    case .cannotBind(let host, let port, let reason): return "cannot listen on \(host):\(port): \(reason)"
    case .badPort(let port): return "port \(port) is not in 0...65535 (0 picks a free port)"
    case .failed(let reason): return "the server stopped: \(reason)"
    }
  }
}
