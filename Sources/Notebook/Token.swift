/// A token of the command part of a cell.
///
/// Cells are `verb [target] [positional ...] [key=value ...]`. Outside
/// expressions a *word* is any run of characters other than white space,
/// `=`, `,`, `"` and `#`, so paths (`../data/u.data`, `sample:shop`), dotted
/// names (`events.rating`) and hyphenated options (`min-user`) are single
/// words. Expressions (after `where`, or after `=` in `feature`) are lexed
/// again by ``ExprParser``, where `-` and `.` mean what they do in arithmetic.
public struct Token: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case word
    /// A double-quoted string; `text` holds the unescaped value.
    case string
    case equals
    case comma
  }
  public var kind: Kind
  public var text: String
  /// Character offsets in the cell's text (quotes included for strings).
  public var span: Range<Int>
  /// Whether white space (or the start of the cell) comes right before the token.
  public var spaceBefore: Bool
}

/// Splits the command part of a cell into tokens.
public enum Lexer {
  /// Tokens of `source`, stopping at a `#` comment outside a string.
  public static func tokenize(_ source: CellSource) throws(NotebookError) -> [Token] {
    let c = source.characters
    var tokens: [Token] = []
    var i = 0
    var space = true
    while i < c.count {
      let ch = c[i]
      if ch.isWhitespace {
        space = true
        i += 1
        continue
      }
      if ch == "#" { break }
      let start = i
      switch ch {
      case "=":
        tokens.append(Token(kind: .equals, text: "=", span: i..<i + 1, spaceBefore: space))
        i += 1
      case ",":
        tokens.append(Token(kind: .comma, text: ",", span: i..<i + 1, spaceBefore: space))
        i += 1
      case "\"":
        let (value, end) = try readString(c, from: i)
        tokens.append(Token(kind: .string, text: value, span: start..<end, spaceBefore: space))
        i = end
      default:
        while i < c.count, !c[i].isWhitespace, !"=,\"#".contains(c[i]) { i += 1 }
        tokens.append(Token(kind: .word, text: String(c[start..<i]), span: start..<i, spaceBefore: space))
      }
      space = false
    }
    return tokens
  }

  /// Reads a double-quoted string starting at `start` (the opening quote).
  /// Escapes: `\"`, `\\`, `\n`, `\t`, `\r`, `\0`, `\u{e9}` (hex). Returns the value and the offset after the closing quote.
  static func readString(_ c: [Character], from start: Int) throws(NotebookError) -> (String, Int) {
    var i = start + 1
    var out = ""
    while i < c.count {
      let ch = c[i]
      if ch == "\"" { return (out, i + 1) }
      if ch == "\\" {
        guard i + 1 < c.count else { break }
        let e = c[i + 1]
        switch e {
        case "\"": out.append("\"")
        case "\\": out.append("\\")
        case "n": out.append("\n")
        case "t": out.append("\t")
        case "r": out.append("\r")
        case "0": out.append("\0")
        case "u":
          // \u{1F600}
          guard i + 2 < c.count, c[i + 2] == "{", let close = c[(i + 3)...].firstIndex(of: "}"),
            let code = UInt32(String(c[(i + 3)..<close]), radix: 16), let scalar = Unicode.Scalar(code)
          else {
            throw NotebookError(
              .syntax, "invalid unicode escape; write \\u{hex}", span: i..<min(i + 2, c.count))
          }
          out.unicodeScalars.append(scalar)
          i = close + 1
          continue
        default:
          throw NotebookError(
            .syntax, "unknown escape '\\\(e)' in string", span: i..<i + 2,
            hint: "known escapes: \\\" \\\\ \\n \\t \\r \\0 \\u{hex}")
        }
        i += 2
        continue
      }
      out.append(ch)
      i += 1
    }
    throw NotebookError(
      .syntax, "unterminated string", span: start..<c.count, hint: "close it with a double quote (\")")
  }
}
