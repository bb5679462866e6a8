import Foundation

/// A notebook file: prose, cells, and each cell's recorded output.
///
/// The format is plain UTF-8 text that the REPL also accepts as input:
///
///     # Prose for the reader: a '#' line (or a blank line).
///     load events from sample:shop           <- a cell; a trailing \ continues it
///     #> events: 52,417 rows x 7 columns     <- recorded output, compared on replay
///     #~ 0.04 s                             <- volatile output (timings), not compared
///     #! line 9, col 1: error: ...           <- an expected error: the cell must fail so
///
/// Output lines belong to the cell right above them.
public struct NotebookFile: Sendable, Equatable {
  public enum Item: Sendable, Equatable {
    /// A prose or blank line, kept verbatim.
    case prose(String)
    case cell(Cell)
  }
  public struct Cell: Sendable, Equatable {
    /// The physical lines of the cell (continuations included).
    public var lines: [String]
    /// 1-based line of the cell's first line in the file.
    public var line: Int
    public var output: [OutputLine]
    public var source: CellSource { CellSource(lines: lines, firstLine: line) }
  }

  public var items: [Item]

  public var cells: [Cell] {
    items.compactMap {
      if case .cell(let c) = $0 { return c }
      return nil
    }
  }

  public init(items: [Item]) { self.items = items }

  /// Parses notebook text. Never fails: anything that is not prose or output is a cell.
  public init(text: String) {
    var items: [Item] = []
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    if lines.last == "" { lines.removeLast() }
    var i = 0
    while i < lines.count {
      let line = lines[i]
      if let out = NotebookFile.outputLine(line) {
        // Output with no cell above it: keep it as prose so nothing is lost.
        if case .cell(var c) = items.last {
          c.output.append(out)
          items[items.count - 1] = .cell(c)
        } else {
          items.append(.prose(line))
        }
        i += 1
        continue
      }
      let trimmed = line.drop { $0 == " " || $0 == "\t" }
      if trimmed.isEmpty || trimmed.hasPrefix("#") {
        items.append(.prose(line))
        i += 1
        continue
      }
      var cellLines = [line]
      let start = i + 1
      while cellLines[cellLines.count - 1].hasSuffix("\\"), i + 1 < lines.count {
        i += 1
        cellLines.append(lines[i])
      }
      items.append(.cell(Cell(lines: cellLines, line: start, output: [])))
      i += 1
    }
    self.items = items
  }

  static func outputLine(_ line: String) -> OutputLine? {
    for (prefix, kind) in [("#>", OutputLine.Kind.stable), ("#~", .volatile), ("#!", .error)]
    where line.hasPrefix(prefix) {
      var rest = line.dropFirst(2)
      if rest.first == " " { rest = rest.dropFirst() }
      return OutputLine(kind, String(rest))
    }
    return nil
  }

  /// The notebook as text, outputs included.
  public var text: String {
    var out = ""
    for item in items {
      switch item {
      case .prose(let p): out += p + "\n"
      case .cell(let c):
        for l in c.lines { out += l + "\n" }
        for o in c.output { out += NotebookFile.format(o) + "\n" }
      }
    }
    return out
  }

  /// One output line as written in a notebook (`#> text`).
  public static func format(_ o: OutputLine) -> String {
    let prefix: String
    switch o.kind {
    case .stable: prefix = "#>"
    case .volatile: prefix = "#~"
    case .error: prefix = "#!"
    }
    return o.text.isEmpty ? prefix : prefix + " " + o.text
  }

  /// Writes `text` to `path` through a temporary file in the same folder and a
  /// rename, so a crash never leaves a truncated notebook.
  public static func writeAtomically(_ text: String, to path: String) throws(NotebookError) {
    let url = URL(fileURLWithPath: path)
    let tmp = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).tmp-\(getpid())")
    do {
      try Data(text.utf8).write(to: tmp)
      // rename(2) replaces the target atomically: readers see the old file or the new one.
      guard rename(tmp.path, url.path) == 0 else {
        throw NotebookError(.io, "cannot rename into '\(path)': \(String(cString: strerror(errno)))")
      }
    } catch {
      try? FileManager.default.removeItem(at: tmp)
      if let e = error as? NotebookError { throw e }
      throw NotebookError(.io, "cannot write '\(path)': \(error.localizedDescription)")
    }
  }
}
