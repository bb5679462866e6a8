import RecData
import RecTerm

/// Runs cells on a session: parse, check, execute on a copy, render, and keep
/// the copy only when the cell succeeds.
public struct Runner: Sendable {
  public var session = Session()
  public var commands: CommandTable
  public var context: CellContext

  public init(commands: CommandTable = .standard, context: CellContext = CellContext()) {
    self.commands = commands
    self.context = context
  }

  /// The outcome of one cell.
  public enum Outcome: Sendable {
    /// No command in the cell (blank or a comment).
    case empty
    case success([OutputLine])
    case failure(NotebookError)
  }

  /// Runs one cell. On failure the session is unchanged. On success, the lines returned are
  /// for the screen (in `context.display`, coloured if it says so); the session's history
  /// records them plain, at `context.width`.
  public mutating func run(_ source: CellSource) -> Outcome {
    var ctx = context
    // Commands render plain: colour is added only to the lines returned for the screen
    // (below), never to the history that notebooks are saved from.
    ctx.color = false
    ctx.random = SeededGeneratorBox(seed: session.seed, stream: UInt64(session.cellCount))
    do throws(NotebookError) {
      guard let (command, args) = try CellParser(commands: commands).parse(source, session: session) else {
        return .empty
      }
      var copy = session
      if command.mutates {
        copy.undoStack.append(
          UndoPoint(
            tables: session.tables, tableOrder: session.tableOrder, splits: session.splits,
            models: session.models, modelOrder: session.modelOrder, seed: session.seed,
            historyCount: session.history.count, cellCount: session.cellCount, cell: source.text))
        if copy.undoStack.count > Session.undoDepth { copy.undoStack.removeFirst() }
      }
      let output = try command.run(&copy, args, ctx)
      // Interrupted after its last check: the work is thrown away, as if it had stopped there.
      if ctx.isCancelled() && !output.keepsInterruptedWork {
        throw NotebookError(.cancelled, "interrupted; the session is as it was before this cell")
      }
      let record = OutputRenderer(width: ctx.width, unicode: ctx.unicode, color: false)
      let lines = record.render(output)
      if output.recordsCell {
        copy.cellCount += 1
        copy.history.append(RecordedCell(source: source.lines, output: lines))
      }
      session = copy
      // The screen's lines: rendered again only when their style differs (width, colour).
      let style = context.display ?? RenderStyle(width: ctx.width, unicode: ctx.unicode, color: context.color)
      let screen = OutputRenderer(width: style.width, unicode: style.unicode, color: style.color)
      return .success(screen == record ? lines : screen.render(output))
    } catch {
      // An error about the cell as a whole (a file that cannot be written, a model that will
      // not fit) still shows where: the caret spans the command.
      var error = error
      if error.span == nil && error.kind != .cancelled {
        let chars = source.characters
        if let lo = chars.firstIndex(where: { !$0.isWhitespace }),
          let hi = chars.lastIndex(where: { !$0.isWhitespace })
        {
          error.span = lo..<(hi + 1)
        }
      }
      return .failure(error)
    }
  }

  /// Runs a cell given as text (several lines joined by `\` continuations are one cell).
  public mutating func run(_ text: String) -> Outcome { run(CellSource(text)) }
}
