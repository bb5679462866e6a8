import Foundation

/// Runs `body` on a thread of its own and waits for it without holding a thread of Swift's
/// cooperative pool.
///
/// Why: a cell that serves or requests over HTTP (`serve`, `request`, `serve stop`) blocks its
/// thread until async work on the pool is done. In the app a cell runs on a worker thread, never
/// on the pool; a test function runs on the pool, and on a 2-core machine two such tests at once
/// would block both pool threads and wait for each other forever.
func offThePool<T>(_ body: @escaping () -> T) async -> T {
  let box = ResultBox(body)
  await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
    let thread = Thread {
      box.run()
      done.resume()
    }
    thread.stackSize = 16 << 20
    thread.start()
  }
  return box.value!
}

/// The body and its result, handed from the test to its thread and back (one writer, then one
/// reader after the continuation resumes).
private final class ResultBox<T>: @unchecked Sendable {
  let body: () -> T
  var value: T?
  init(_ body: @escaping () -> T) { self.body = body }
  func run() { value = body() }
}
