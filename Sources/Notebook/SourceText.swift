/// A 1-based line and column in a notebook file or in the text typed at the prompt.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  public var description: String { "\(line):\(column)" }
}

/// The text of one cell, as the lexer sees it, and where it came from.
///
/// A cell may span several physical lines (each but the last ends in `\`); the
/// lexer sees them joined by a space, and ``location(of:)`` maps a character
/// offset in the joined text back to the physical line and column. Offsets are
/// counted in `Character`s, so carets line up under what a reader sees.
public struct CellSource: Sendable, Equatable {
  /// The joined text (continuation backslashes replaced by spaces).
  public let text: String
  /// The characters of `text`, for O(1) offset access.
  public let characters: [Character]
  /// The physical lines as written (with their trailing `\`).
  public let lines: [String]
  /// The 1-based line of the first physical line in its file (1 at the prompt).
  public let firstLine: Int
  /// Offset in `characters` where each physical line starts.
  let lineStarts: [Int]

  public init(lines: [String], firstLine: Int = 1) {
    self.lines = lines
    self.firstLine = firstLine
    var chars: [Character] = []
    var starts: [Int] = []
    for (i, line) in lines.enumerated() {
      starts.append(chars.count)
      var body = Array(line)
      if i < lines.count - 1, body.last == "\\" { body[body.count - 1] = " " }
      chars.append(contentsOf: body)
      if i < lines.count - 1 { chars.append(" ") }
    }
    characters = chars
    text = String(chars)
    lineStarts = starts
  }

  public init(_ text: String, firstLine: Int = 1) {
    self.init(
      lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
      firstLine: firstLine)
  }

  /// The physical line index (0-based within the cell) and 1-based column of `offset`.
  func position(of offset: Int) -> (lineIndex: Int, column: Int) {
    var li = 0
    while li + 1 < lineStarts.count, lineStarts[li + 1] <= offset { li += 1 }
    return (li, offset - lineStarts[li] + 1)
  }

  /// The file location of a character offset.
  public func location(of offset: Int) -> SourceLocation {
    let (li, col) = position(of: offset)
    return SourceLocation(line: firstLine + li, column: col)
  }

  /// The text between two offsets.
  public func slice(_ range: Range<Int>) -> String {
    let lo = max(0, min(range.lowerBound, characters.count))
    let hi = max(lo, min(range.upperBound, characters.count))
    return String(characters[lo..<hi])
  }
}
