/// A session written as a notebook: its successful cells with their outputs,
/// so that the file replays to the same outputs (`save notebook`, the REPL's autosave).
public enum SessionNotebook {
  public static func items(of session: Session) -> [NotebookFile.Item] {
    var items: [NotebookFile.Item] = [.prose("# Recbook session")]
    var line = 2
    for c in session.history {
      items.append(.cell(NotebookFile.Cell(lines: c.source, line: line, output: c.output)))
      line += c.source.count + c.output.count
    }
    return items
  }

  public static func text(of session: Session) -> String { NotebookFile(items: items(of: session)).text }
}
