import NIOCore
import NIOPosix

extension RecServer {
  /// Makes the process's Swift concurrency tasks run on NIO's event-loop threads, the ones that
  /// read and write the sockets, instead of on the concurrency runtime's own pool.
  ///
  /// Hummingbird answers each request in an async task; by default that task runs on a pool
  /// thread while the socket lives on an event-loop thread, so every request hops thread twice
  /// (read, then write). On two cores those hops and the four busy threads they keep awake cost
  /// more than the model's scoring. A process that exists to serve (`recbook serve FILE`, the
  /// serving benchmark) calls this once, first thing on the main thread; the REPL does not (its
  /// cells use the pool for their own work).
  ///
  /// - Returns: whether it took effect (false when something else already installed a global
  ///   executor, or on a platform NIO does not support it on).
  @discardableResult
  public static func runTasksOnEventLoops() -> Bool {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
  }
}
