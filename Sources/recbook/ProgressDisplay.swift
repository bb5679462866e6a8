import Foundation
import Notebook
import RecTerm
import Synchronization

/// Draws progress reports in place on standard error, at most ten times a second
/// (RecTerm's `ProgressRedraw`), and clears the line when the cell ends.
///
/// Only when standard error is a terminal: redirected (`recbook 2>log`), nothing is
/// drawn, and a cell's output carries its one summary line. The width is measured at
/// each draw, so a terminal resized during long work gets lines that fit.
final class ProgressDisplay: Sendable {
  private struct State {
    var generation = 0
    var redraw: ProgressRedraw
    var start: ContinuousClock.Instant?
  }
  private let state: Mutex<State>
  private let clock = ContinuousClock()
  private let unicode: Bool
  private let width: @Sendable () -> Int

  init(
    unicode: Bool, terminal: Bool = Terminal.stderrIsTTY,
    width: @escaping @Sendable () -> Int = { Terminal.errorWidth }
  ) {
    self.unicode = unicode
    self.width = width
    state = Mutex(State(redraw: ProgressRedraw(terminal: terminal)))
  }

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
      guard s.generation == generation, s.redraw.terminal else { return }
      let start = s.start ?? now
      s.start = start
      let style = RenderStyle(width: width(), unicode: unicode, color: false)
      if let text = s.redraw.draw(
        label: p.label, done: p.done, total: p.total, elapsed: (now - start).seconds, fields: p.fields,
        style: style)
      {
        FileHandle.standardError.write(Data(text.utf8))
      }
    }
  }

  /// Clears the progress line, ready for the cell's output.
  func finish() {
    state.withLock { s in
      if let text = s.redraw.clear() { FileHandle.standardError.write(Data(text.utf8)) }
      s.start = nil
      s.generation += 1
    }
  }
}

extension Duration {
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}
