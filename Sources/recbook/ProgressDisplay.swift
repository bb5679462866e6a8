import Foundation
import Notebook
import RecTerm
import Synchronization

/// Draws progress reports in place on standard error, at most ten times a second
/// (RecTerm's `ProgressThrottle`), and clears the line when the cell ends.
/// Only used on a TTY: elsewhere a cell's output carries its one summary line.
final class ProgressDisplay: Sendable {
  private struct State {
    var generation = 0
    var throttle = ProgressThrottle(maxPerSecond: 10)
    var start: ContinuousClock.Instant?
    var drawn = false
  }
  private let state = Mutex(State())
  private let clock = ContinuousClock()
  let style: RenderStyle

  init(style: RenderStyle) { self.style = style }

  /// Starts a new cell's progress; reports from older cells are ignored from now on.
  func begin() -> Int {
    state.withLock { s in
      s.generation += 1
      return s.generation
    }
  }

  func report(_ p: WorkProgress, generation: Int) {
    let now = clock.now
    state.withLock { s in
      guard s.generation == generation else { return }
      let start = s.start ?? now
      s.start = start
      let elapsed = (now - start).seconds
      guard s.throttle.shouldDraw(at: elapsed) else { return }
      let line = ProgressLine.render(
        label: p.label, done: p.done, total: p.total, elapsed: elapsed, fields: p.fields, style: style)
      FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
      s.drawn = true
    }
  }

  /// Clears the progress line, ready for the cell's output.
  func finish() {
    state.withLock { s in
      if s.drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
      s = State(generation: s.generation + 1)
    }
  }
}

extension Duration {
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}
