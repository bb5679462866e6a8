import RecData

/// An error from a cell: what went wrong, and where in the cell's text.
///
/// Every failure a user can cause (a typo, a bad value, a missing file, a
/// malformed CSV row) becomes one of these and is printed by ``Diagnostic``;
/// the session is left exactly as it was before the cell.
public struct NotebookError: Error, Sendable, Equatable {
  public enum Kind: String, Sendable {
    case syntax, unknownVerb, unknownOption, badValue, unknownTable, unknownColumn, data, io, runtime
    case cancelled
  }
  public var kind: Kind
  public var message: String
  /// Character offsets in the cell text; `nil` when the error is not about one place.
  public var span: Range<Int>?
  /// A hint line ("did you mean 'rating'?", "write == to compare").
  public var hint: String?

  public init(_ kind: Kind, _ message: String, span: Range<Int>? = nil, hint: String? = nil) {
    self.kind = kind
    self.message = message
    self.span = span
    self.hint = hint
  }

  /// "did you mean 'a' or 'b'?" for a list of suggestions; `nil` when empty.
  public static func didYouMean(_ suggestions: [String]) -> String? {
    guard !suggestions.isEmpty else { return nil }
    let q = suggestions.map { "'\($0)'" }
    if q.count == 1 { return "did you mean \(q[0])?" }
    return "did you mean \(q.dropLast().joined(separator: ", ")) or \(q[q.count - 1])?"
  }

  /// A data-layer error, keeping its span (when it has one) and suggestions.
  public init(_ e: DataError, fallbackSpan: Range<Int>? = nil) {
    let kind: Kind
    switch e {
    case .unknownColumn: kind = .unknownColumn
    case .io, .malformedRow, .badValue: kind = .io
    case .cancelled: kind = .cancelled
    default: kind = .data
    }
    self.init(kind, e.message, span: e.span ?? fallbackSpan, hint: NotebookError.didYouMean(e.suggestions))
  }
}

/// Renders a ``NotebookError`` the one way every error is shown:
///
///     line 3, col 18: unknown column 'raitng' in table 'events'
///       normalize events.raitng method=minmax
///                        ^~~~~~
///       did you mean 'rating'?
public enum Diagnostic {
  /// - Parameters:
  ///   - origin: how to name where the cell is: `"cell 3"` at the prompt, `"tutorial.recbook"` for a file.
  ///   - fileStyle: `FILE:LINE:COL:` (compilers' style) instead of `origin, line L, col C:`.
  public static func render(
    _ error: NotebookError, in source: CellSource, origin: String? = nil,
    fileStyle: Bool = false, width: Int = 80
  ) -> [String] {
    var out: [String] = []
    let where_: String
    if let span = error.span {
      let loc = source.location(of: span.lowerBound)
      if fileStyle, let origin {
        where_ = "\(origin):\(loc.line):\(loc.column): "
      } else {
        let prefix = origin.map { "\($0), " } ?? ""
        where_ = "\(prefix)line \(loc.line), col \(loc.column): "
      }
    } else if let origin {
      where_ = fileStyle ? "\(origin):\(source.firstLine): " : "\(origin): "
    } else {
      where_ = ""
    }
    // The message wraps at the width; the source line is shown in a window around the caret.
    out += OutputRenderer(width: width, unicode: true, color: false).wrap(
      "\(where_)error: \(shortened(error.message))")
    if let span = error.span {
      let (li, col) = source.position(of: span.lowerBound)
      var line = li < source.lines.count ? source.lines[li] : ""
      // Very long cells (a pasted 10,000-character line): show a window around the caret.
      var caretCol = col
      let window = max(20, width - 6)
      if line.count > window {
        let chars = Array(line)
        let lo = max(0, min(col - 1 - window / 2, chars.count - window))
        line =
          (lo > 0 ? "…" : "") + String(chars[lo..<min(chars.count, lo + window)])
          + (lo + window < chars.count ? "…" : "")
        caretCol = col - lo + (lo > 0 ? 1 : 0)
      }
      let lineEnd = li + 1 < source.lineStarts.count ? source.lineStarts[li + 1] : source.characters.count
      let width = max(1, min(span.upperBound, lineEnd) - span.lowerBound)
      out.append("  " + line.replacingTabs())
      out.append(
        "  " + String(repeating: " ", count: max(0, caretCol - 1)) + "^"
          + String(repeating: "~", count: min(width, 60) - 1))
    }
    if let hint = error.hint {
      // Hints wrap like the message (a list of model types outgrows a line), keeping their indent.
      let renderer = OutputRenderer(width: width, unicode: true, color: false)
      for h in hint.split(separator: "\n", omittingEmptySubsequences: false) {
        out += renderer.wrap("  " + h)
      }
    }
    return out
  }
}

extension Diagnostic {
  /// Longest quoted text an error message repeats in full (`'…'` cuts the rest).
  static let quoteLimit = 60

  /// `message` with every single-quoted text longer than ``quoteLimit`` cut to that many
  /// characters and `…`: an unknown 10,000-character word is named, not printed whole (the
  /// source line below the message shows where it is).
  static func shortened(_ message: String) -> String {
    guard message.count > quoteLimit else { return message }
    var out = ""
    var quoted: String?
    let chars = Array(message)
    for (i, ch) in chars.enumerated() {
      // An apostrophe inside a word (model's) neither opens nor closes a quotation.
      let letterBefore = i > 0 && chars[i - 1].isLetter
      let letterAfter = i + 1 < chars.count && chars[i + 1].isLetter
      if ch == "'" && (quoted == nil ? !letterBefore : !letterAfter) {
        if let q = quoted {
          out += "'" + (q.count > quoteLimit ? String(q.prefix(quoteLimit)) + "…" : q) + "'"
          quoted = nil
        } else {
          quoted = ""
        }
      } else if quoted != nil {
        quoted!.append(ch)
      } else {
        out.append(ch)
      }
    }
    // An apostrophe with no partner: the rest was never a quotation.
    if let q = quoted { out += "'" + q }
    return out
  }
}

extension String {
  fileprivate func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
