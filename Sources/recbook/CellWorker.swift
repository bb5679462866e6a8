import Foundation
import Notebook
import Synchronization

/// A cancellation flag for one cell: set when Ctrl-C abandons it, read by its long work.
final class CancelToken: Sendable {
  private let flag = Atomic<Bool>(false)
  var isCancelled: Bool { flag.load(ordering: .relaxed) }
  func cancel() { flag.store(true, ordering: .relaxed) }
}

/// Runs one cell on a worker thread while the main thread watches for Ctrl-C.
///
/// Cells that poll for cancellation (load, fit) stop at their next check; work with
/// no checks (a dedupe of 10M rows) cannot be stopped midway, so on Ctrl-C the cell is
/// abandoned instead: its result will be dropped, the prompt comes back within one
/// poll interval, and the session stays as it was before the cell (values are
/// immutable, so the abandoned worker shares nothing it could change).
enum CellWorker {
  private final class Box: @unchecked Sendable {
    // Written once by the worker before it signals `done`; read by the main thread after.
    var result: (Runner, Runner.Outcome)?
    let done = DispatchSemaphore(value: 0)
  }

  /// The runner after the cell and its outcome, or `nil` if the cell was interrupted.
  static func run(_ runner: Runner, _ source: CellSource, token: CancelToken, interrupted: () -> Bool)
    -> (Runner, Runner.Outcome)?
  {
    let box = Box()
    let thread = Thread {
      var copy = runner
      let outcome = copy.run(source)
      box.result = (copy, outcome)
      box.done.signal()
    }
    thread.stackSize = 64 << 20
    thread.start()
    while true {
      if box.done.wait(timeout: .now() + .milliseconds(20)) == .success { return box.result }
      if interrupted() {
        token.cancel()
        return nil
      }
    }
  }

  /// Runs a cell typed at a prompt: Ctrl-C stops it (or abandons it), progress is drawn
  /// on `display`. The runner after it and the outcome, or `nil` if it was interrupted.
  static func runAtPrompt(_ runner: Runner, _ source: CellSource, display: ProgressDisplay)
    -> (Runner, Runner.Outcome)?
  {
    Interrupt.reset()
    // Each cell gets its own cancellation token and progress generation, so an
    // abandoned cell can neither be confused with the next one nor draw over the prompt.
    let token = CancelToken()
    let generation = display.begin()
    var r = runner
    r.context.isCancelled = { token.isCancelled }
    r.context.progress = { display.report($0, generation: generation) }
    let result = run(r, source, token: token) { Interrupt.isSet }
    display.finish()
    Interrupt.reset()
    return result
  }
}
