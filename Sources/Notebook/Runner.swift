import RecData

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

  /// Runs one cell. On failure the session is unchanged.
  public mutating func run(_ source: CellSource) -> Outcome {
    var ctx = context
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
            historyCount: session.history.count, cell: source.text))
        if copy.undoStack.count > Session.undoDepth { copy.undoStack.removeFirst() }
      }
      let output = try command.run(&copy, args, ctx)
      // Interrupted after its last check: the work is thrown away, as if it had stopped there.
      if ctx.isCancelled() && !output.keepsInterruptedWork {
        throw NotebookError(.cancelled, "interrupted; the session is as it was before this cell")
      }
      let lines = OutputRenderer(width: ctx.width, unicode: ctx.unicode, color: ctx.color).render(output)
      copy.cellCount += 1
      copy.history.append(RecordedCell(source: source.lines, output: lines))
      session = copy
      return .success(lines)
    } catch {
      return .failure(error)
    }
  }

  /// Runs a cell given as text (several lines joined by `\` continuations are one cell).
  public mutating func run(_ text: String) -> Outcome { run(CellSource(text)) }
}
