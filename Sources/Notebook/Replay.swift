/// Replays a notebook in a fresh session and compares each cell's output with
/// what the file recorded.
public struct Replay: Sendable {
  /// A cell whose output differs from the recording.
  public struct Mismatch: Sendable, Equatable {
    public var line: Int
    public var expected: [OutputLine]
    public var actual: [OutputLine]
  }

  /// A cell that failed without being marked as an expected error: the replay stops there.
  public struct Failure: Sendable {
    public var line: Int
    public var error: NotebookError
    /// `FILE:LINE:COL: error: message` with the source line and caret.
    public var rendered: [String]
  }

  /// The notebook as replayed: the same prose and cells with fresh outputs.
  public var result: NotebookFile
  public var mismatches: [Mismatch] = []
  public var failure: Failure?
  /// Each cell as it ran, for printing: (cell, its new outputs).
  public var cellsRun = 0

  /// Replays `notebook`; `name` is how errors name the file.
  /// - Parameter onCell: called after each cell with its lines and new outputs (for live printing).
  public static func run(
    _ notebook: NotebookFile, name: String, context: CellContext = CellContext(),
    onCell: ((NotebookFile.Cell, [OutputLine]) -> Void)? = nil
  ) -> Replay {
    var ctx = context
    ctx.width = 80
    ctx.unicode = true
    ctx.color = false
    var runner = Runner(context: ctx)
    var replay = Replay(result: notebook)
    for (index, item) in notebook.items.enumerated() {
      guard case .cell(var cell) = item else { continue }
      let expectsError = cell.output.contains { $0.kind == .error }
      var actual: [OutputLine]
      switch runner.run(cell.source) {
      case .empty: actual = []
      case .success(let lines): actual = lines
      case .failure(let error):
        guard expectsError else {
          replay.failure = Failure(
            line: cell.line, error: error,
            rendered: Diagnostic.render(error, in: cell.source, origin: name, fileStyle: true, width: .max))
          replay.result.items[index] = .cell(cell)
          onCell?(cell, [])
          return replay
        }
        actual = Replay.errorLines(error, cell)
      }
      replay.cellsRun += 1
      let comparable: (OutputLine) -> Bool = { $0.kind != .volatile }
      let expected = cell.output
      if expected.filter(comparable) != actual.filter(comparable) {
        replay.mismatches.append(Mismatch(line: cell.line, expected: expected, actual: actual))
        cell.output = actual
      }
      // A matching cell keeps its recorded timings, so --update does not churn them.
      replay.result.items[index] = .cell(cell)
      onCell?(cell, actual)
    }
    return replay
  }

  /// An expected error as recorded: positions relative to the cell (so edits
  /// elsewhere in the file do not change them), `col C` for a one-line cell.
  static func errorLines(_ error: NotebookError, _ cell: NotebookFile.Cell) -> [OutputLine] {
    let local = CellSource(lines: cell.lines, firstLine: 1)
    var lines = Diagnostic.render(error, in: local)
    if cell.lines.count == 1, let first = lines.first, first.hasPrefix("line 1, ") {
      lines[0] = String(first.dropFirst("line 1, ".count))
    }
    return lines.map { OutputLine(.error, $0) }
  }
}

/// A unified diff of two texts (line-based, 3 lines of context), as `diff -u` prints it.
public enum UnifiedDiff {
  public static func make(old: String, new: String, oldName: String, newName: String) -> String {
    func lines(_ text: String) -> [String] {
      var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if l.last == "" { l.removeLast() }  // the newline that ends the last line starts no line
      return l
    }
    let a = lines(old)
    let b = lines(new)
    // Longest common subsequence table (notebooks are at most a few thousand lines).
    let n = a.count
    let m = b.count
    var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: m + 1), count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    enum Op { case same(Int, Int), del(Int), ins(Int) }
    var ops: [Op] = []
    var i = 0
    var j = 0
    while i < n || j < m {
      if i < n, j < m, a[i] == b[j] {
        ops.append(.same(i, j))
        i += 1
        j += 1
      } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
        ops.append(.del(i))
        i += 1
      } else {
        ops.append(.ins(j))
        j += 1
      }
    }
    var out = "--- \(oldName)\n+++ \(newName)\n"
    let context = 3
    var k = 0
    while k < ops.count {
      guard case .same = ops[k] else {
        // Start a hunk `context` ops back; extend while changes are within 2*context.
        let start = max(0, k - context)
        var end = k
        var lastChange = k
        while end < ops.count {
          if case .same = ops[end] {
            if end - lastChange > 2 * context { break }
          } else {
            lastChange = end
          }
          end += 1
        }
        end = min(ops.count, lastChange + context + 1)
        var oldStart = 0
        var newStart = 0
        var oldCount = 0
        var newCount = 0
        var body = ""
        var first = true
        for op in ops[start..<end] {
          switch op {
          case .same(let x, let y):
            if first { (oldStart, newStart) = (x, y) }
            oldCount += 1
            newCount += 1
            body += " \(a[x])\n"
          case .del(let x):
            if first { (oldStart, newStart) = (x, position(ofOld: x, ops)) }
            oldCount += 1
            body += "-\(a[x])\n"
          case .ins(let y):
            if first { (oldStart, newStart) = (position(ofNew: y, ops), y) }
            newCount += 1
            body += "+\(b[y])\n"
          }
          first = false
        }
        out += "@@ -\(oldStart + 1),\(oldCount) +\(newStart + 1),\(newCount) @@\n" + body
        k = end
        continue
      }
      k += 1
    }
    return out

    func position(ofOld x: Int, _ ops: [Op]) -> Int {
      var newIndex = 0
      for op in ops {
        switch op {
        case .same(let i, let j):
          if i >= x { return j }
          newIndex = j + 1
        case .del(let i): if i == x { return newIndex }
        case .ins(let j): newIndex = j + 1
        }
      }
      return newIndex
    }
    func position(ofNew y: Int, _ ops: [Op]) -> Int {
      var oldIndex = 0
      for op in ops {
        switch op {
        case .same(let i, let j):
          if j >= y { return i }
          oldIndex = i + 1
        case .ins(let j): if j == y { return oldIndex }
        case .del(let i): oldIndex = i + 1
        }
      }
      return oldIndex
    }
  }
}
