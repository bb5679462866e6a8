/// How a learner's cell differs from the one a notebook recorded, in words:
/// `you used k=20 (the tutorial: k=10)`, `you added rows=3`, `you left out by=ndcg`.
///
/// Cells are compared word by word after lexing, so spacing and quoting that do not
/// change a value do not count. A word is a run of tokens with no space between them:
/// `key=value` (lists included: `metrics=hr,ndcg`) is an option, anything else a
/// positional word.
public enum CellDifference {
  struct Words {
    var positional: [String] = []
    var options: [(key: String, value: String)] = []
  }

  /// The differences, one phrase each; empty when the cells say the same thing.
  /// `reference` names the other cell in the phrases ("the tutorial").
  public static func describe(yours: String, recorded: String, reference: String = "the tutorial") -> [String]
  {
    guard let mine = words(yours), let theirs = words(recorded) else {
      return yours == recorded ? [] : ["you wrote `\(yours)` (\(reference): `\(recorded)`)"]
    }
    var out: [String] = []
    if mine.positional != theirs.positional {
      if mine.positional.count == theirs.positional.count {
        for (a, b) in zip(mine.positional, theirs.positional) where a != b {
          out.append("you used \(a) (\(reference): \(b))")
        }
      } else {
        out.append(
          "you wrote `\(mine.positional.joined(separator: " "))` (\(reference): "
            + "`\(theirs.positional.joined(separator: " "))`)")
      }
    }
    for (key, value) in mine.options {
      if let other = theirs.options.first(where: { $0.key == key }) {
        if other.value != value {
          out.append("you used \(key)=\(value) (\(reference): \(key)=\(other.value))")
        }
      } else {
        out.append("you added \(key)=\(value)")
      }
    }
    for (key, value) in theirs.options where !mine.options.contains(where: { $0.key == key }) {
      out.append("you left out \(key)=\(value)")
    }
    return out
  }

  /// The first word of a cell (its verb), or nil for a blank cell or one that does not lex.
  public static func verb(of text: String) -> String? {
    guard let tokens = try? Lexer.tokenize(CellSource(text)), let first = tokens.first, first.kind == .word
    else { return nil }
    return first.text
  }

  /// The cell's words, or nil if it does not lex (an unterminated string).
  static func words(_ text: String) -> Words? {
    let source = CellSource(text)
    guard let tokens = try? Lexer.tokenize(source) else { return nil }
    // Group tokens into words: a new word starts at white space.
    var groups: [[Token]] = []
    for t in tokens {
      if t.spaceBefore || groups.isEmpty { groups.append([t]) } else { groups[groups.count - 1].append(t) }
    }
    var w = Words()
    for g in groups {
      // After `where` (or `=` in `feature`) comes an expression: one word, compared as written.
      if let last = w.positional.last, last == "where" || (last == "=" && w.positional.first == "feature") {
        let start = g[0].span.lowerBound
        let end = groups[groups.count - 1].last.map(\.span.upperBound) ?? start
        w.positional.append(source.slice(start..<end))
        break
      }
      func show(_ t: Token) -> String { t.kind == .string ? "\"\(t.text)\"" : t.text }
      if g.count >= 2, g[0].kind == .word, g[1].kind == .equals {
        w.options.append((g[0].text, g.dropFirst(2).map(show).joined()))
      } else {
        w.positional.append(g.map(show).joined())
      }
    }
    return w
  }
}
