import RecData

/// Parses the expression tail of a cell (`filter t where EXPR`, `feature t.c = EXPR`)
/// into ``RecData/Expr``, a Pratt-style recursive descent with these levels,
/// loosest first:
///
///     or  ·  and  ·  not  ·  == = != < <= > >= in  ·  + -  ·  * / %  ·  unary -  ·  primary
///
/// Primaries: numbers (`4`, `0.5`, `1e3`), strings (`"phone"`), `true`/`false`
/// (1/0), `missing`, column names (identifiers, or `` `odd name` ``), calls
/// `f(a, b)`, grouped aggregates `mean(rating) by user` and parentheses. `x in
/// (a, b)` is sugar for `x == a or x == b`. Spans are character offsets in the
/// cell, so errors put a caret under the exact word.
struct ExprParser {
  private enum Tok: Equatable {
    case number(Value), string(String), ident(String), op(String), lparen, rparen, comma, end
  }
  private var toks: [(Tok, Range<Int>)] = []
  private var pos = 0
  private let endOffset: Int
  /// How deep parentheses, `not` and unary minus nest; bounded so that a hostile
  /// line (a megabyte of '(') is an error, not a stack overflow.
  private var depth = 0
  static let maximumDepth = 256

  /// Operators in the whole expression; bounded because a long chain `a + a + ...`
  /// builds a deep tree too, which evaluating (and freeing) walks recursively.
  private var operators = 0
  static let maximumOperators = 1_000

  private mutating func countOperator(_ span: Range<Int>) throws(NotebookError) {
    operators += 1
    if operators > ExprParser.maximumOperators {
      throw NotebookError(
        .syntax, "the expression has more than \(ExprParser.maximumOperators) operators", span: span,
        hint: "split it over several feature cells")
    }
  }

  private mutating func nest(_ span: Range<Int>) throws(NotebookError) {
    depth += 1
    if depth > ExprParser.maximumDepth {
      throw NotebookError(
        .syntax, "the expression nests deeper than \(ExprParser.maximumDepth) levels", span: span)
    }
  }

  /// Parses `source.characters[start...]` as one expression that must run to the end of the cell.
  static func parse(_ source: CellSource, from start: Int) throws(NotebookError) -> Expr {
    var p = try ExprParser(source.characters, from: start)
    if case .end = p.peek {
      throw NotebookError(.syntax, "expected an expression", span: start..<start + 1)
    }
    let e = try p.parseOr()
    if case .end = p.peek { return e }
    let (t, span) = p.toks[p.pos]
    if t == .rparen { throw NotebookError(.syntax, "unmatched ')'", span: span) }
    throw NotebookError(
      .syntax, "unexpected '\(source.slice(span))' after a complete expression", span: span,
      hint: "join conditions with 'and' / 'or'")
  }

  private init(_ c: [Character], from start: Int) throws(NotebookError) {
    var i = start
    while i < c.count {
      let ch = c[i]
      if ch.isWhitespace {
        i += 1
        continue
      }
      if ch == "#" { break }
      let s = i
      if ch.isNumber || (ch == "." && i + 1 < c.count && c[i + 1].isNumber) {
        while i < c.count, c[i].isNumber || c[i] == "." || c[i] == "_" { i += 1 }
        if i < c.count, c[i] == "e" || c[i] == "E" {
          var j = i + 1
          if j < c.count, c[j] == "+" || c[j] == "-" { j += 1 }
          if j < c.count, c[j].isNumber {
            i = j
            while i < c.count, c[i].isNumber { i += 1 }
          }
        }
        let text = String(c[s..<i]).replacingOccurrences(of: "_", with: "")
        if i < c.count, c[i].isLetter {
          throw NotebookError(.syntax, "malformed number '\(String(c[s...i]))'", span: s..<i + 1)
        }
        if let v = Int(text) {
          toks.append((.number(.int(v)), s..<i))
        } else if let v = Double(text) {
          toks.append((.number(.double(v)), s..<i))
        } else {
          throw NotebookError(.syntax, "malformed number '\(text)'", span: s..<i)
        }
        continue
      }
      if ch.isLetter || ch == "_" {
        while i < c.count, c[i].isLetter || c[i].isNumber || c[i] == "_" { i += 1 }
        toks.append((.ident(String(c[s..<i])), s..<i))
        continue
      }
      switch ch {
      case "\"":
        let (v, end) = try Lexer.readString(c, from: i)
        toks.append((.string(v), s..<end))
        i = end
      case "`":
        guard let close = c[(i + 1)...].firstIndex(of: "`") else {
          throw NotebookError(.syntax, "unterminated `quoted name`", span: s..<c.count)
        }
        toks.append((.ident(String(c[(i + 1)..<close])), s..<close + 1))
        i = close + 1
      case "(":
        toks.append((.lparen, s..<s + 1))
        i += 1
      case ")":
        toks.append((.rparen, s..<s + 1))
        i += 1
      case ",":
        toks.append((.comma, s..<s + 1))
        i += 1
      case "=", "!", "<", ">":
        if i + 1 < c.count, c[i + 1] == "=" {
          toks.append((.op(String(c[s...s + 1])), s..<s + 2))
          i += 2
        } else if ch == "!" {
          throw NotebookError(.syntax, "unexpected '!'", span: s..<s + 1, hint: "write 'not x' or 'a != b'")
        } else if ch == "<", i + 1 < c.count, c[i + 1] == ">" {
          toks.append((.op("!="), s..<s + 2))
          i += 2
        } else {
          toks.append((.op(String(ch)), s..<s + 1))
          i += 1
        }
      case "+", "-", "*", "/", "%":
        toks.append((.op(String(ch)), s..<s + 1))
        i += 1
      case "&", "|":
        let word = ch == "&" ? "and" : "or"
        throw NotebookError(.syntax, "unexpected '\(ch)'", span: s..<s + 1, hint: "write '\(word)'")
      default:
        throw NotebookError(.syntax, "unexpected character '\(ch)' in expression", span: s..<s + 1)
      }
    }
    endOffset = i
    toks.append((.end, i..<i + 1))
  }

  private var peek: Tok { toks[pos].0 }
  private var peekSpan: Range<Int> { toks[pos].1 }
  private mutating func advance() -> (Tok, Range<Int>) {
    let t = toks[pos]
    if pos < toks.count - 1 { pos += 1 }
    return t
  }
  private func isKeyword(_ k: String) -> Bool {
    if case .ident(let s) = peek { return s.lowercased() == k }
    return false
  }

  private mutating func parseOr() throws(NotebookError) -> Expr {
    var l = try parseAnd()
    while isKeyword("or") {
      try countOperator(advance().1)
      let r = try parseAnd()
      l = .binary(.or, l, r, span: l.span.lowerBound..<r.span.upperBound)
    }
    return l
  }

  private mutating func parseAnd() throws(NotebookError) -> Expr {
    var l = try parseNot()
    while isKeyword("and") {
      try countOperator(advance().1)
      let r = try parseNot()
      l = .binary(.and, l, r, span: l.span.lowerBound..<r.span.upperBound)
    }
    return l
  }

  private mutating func parseNot() throws(NotebookError) -> Expr {
    if isKeyword("not") {
      let (_, s) = advance()
      try nest(s)
      defer { depth -= 1 }
      let e = try parseNot()
      return .unary(.not, e, span: s.lowerBound..<e.span.upperBound)
    }
    return try parseComparison()
  }

  private static let comparisons: [String: Expr.BinaryOp] = [
    "==": .equal, "=": .equal, "!=": .notEqual, "<": .less, "<=": .lessEqual, ">": .greater,
    ">=": .greaterEqual,
  ]

  private mutating func parseComparison() throws(NotebookError) -> Expr {
    let l = try parseAdditive()
    if case .op(let o) = peek, let op = ExprParser.comparisons[o] {
      _ = advance()
      let r = try parseAdditive()
      return .binary(op, l, r, span: l.span.lowerBound..<r.span.upperBound)
    }
    if isKeyword("in") {
      _ = advance()
      guard case .lparen = peek else {
        throw NotebookError(.syntax, "expected '(' after 'in'", span: peekSpan, hint: "x in (\"a\", \"b\")")
      }
      _ = advance()
      var alternatives: [Expr] = []
      while true {
        alternatives.append(try parseAdditive())
        try countOperator(peekSpan)
        if case .comma = peek {
          _ = advance()
          continue
        }
        guard case .rparen = peek else { throw NotebookError(.syntax, "expected ',' or ')'", span: peekSpan) }
        let (_, close) = advance()
        let span = l.span.lowerBound..<close.upperBound
        var e: Expr = .binary(.equal, l, alternatives[0], span: span)
        for a in alternatives.dropFirst() {
          e = .binary(.or, e, .binary(.equal, l, a, span: span), span: span)
        }
        return e
      }
    }
    return l
  }

  private mutating func parseAdditive() throws(NotebookError) -> Expr {
    var l = try parseMultiplicative()
    while case .op(let o) = peek, o == "+" || o == "-" {
      try countOperator(advance().1)
      let r = try parseMultiplicative()
      l = .binary(o == "+" ? .add : .subtract, l, r, span: l.span.lowerBound..<r.span.upperBound)
    }
    return l
  }

  private mutating func parseMultiplicative() throws(NotebookError) -> Expr {
    var l = try parseUnary()
    while case .op(let o) = peek, o == "*" || o == "/" || o == "%" {
      try countOperator(advance().1)
      let r = try parseUnary()
      let op: Expr.BinaryOp = o == "*" ? .multiply : o == "/" ? .divide : .modulo
      l = .binary(op, l, r, span: l.span.lowerBound..<r.span.upperBound)
    }
    return l
  }

  private mutating func parseUnary() throws(NotebookError) -> Expr {
    if case .op("-") = peek {
      let (_, s) = advance()
      try nest(s)
      defer { depth -= 1 }
      let e = try parseUnary()
      if case .literal(.int(let v), let ls) = e {
        return .literal(.int(-v), span: s.lowerBound..<ls.upperBound)
      }
      if case .literal(.double(let v), let ls) = e {
        return .literal(.double(-v), span: s.lowerBound..<ls.upperBound)
      }
      return .unary(.negate, e, span: s.lowerBound..<e.span.upperBound)
    }
    return try parsePrimary()
  }

  private mutating func parsePrimary() throws(NotebookError) -> Expr {
    let (t, span) = advance()
    switch t {
    case .number(let v): return .literal(v, span: span)
    case .string(let s): return .literal(.string(s), span: span)
    case .lparen:
      try nest(span)
      defer { depth -= 1 }
      let e = try parseOr()
      guard case .rparen = peek else {
        throw NotebookError(.syntax, "expected ')'", span: peekSpan, hint: "the '(' here is not closed")
      }
      _ = advance()
      return e
    case .ident(let name):
      let isCall = peek == .lparen
      switch isCall ? "" : name.lowercased() {
      case "true": return .literal(.int(1), span: span)
      case "false": return .literal(.int(0), span: span)
      case "missing", "null": return .literal(.missing, span: span)
      case "and", "or", "not", "in", "by":
        throw NotebookError(.syntax, "expected a value before '\(name)'", span: span)
      default: break
      }
      guard case .lparen = peek else { return .column(name, span: span) }
      _ = advance()
      try nest(span)
      defer { depth -= 1 }
      var args: [Expr] = []
      if case .rparen = peek {
        _ = advance()
      } else {
        while true {
          args.append(try parseOr())
          if case .comma = peek {
            _ = advance()
            continue
          }
          guard case .rparen = peek else {
            throw NotebookError(.syntax, "expected ',' or ')' in the arguments of '\(name)'", span: peekSpan)
          }
          _ = advance()
          break
        }
      }
      let callEnd = toks[pos - 1].1.upperBound
      if isKeyword("by") {
        _ = advance()
        var groups: [String] = []
        var end = callEnd
        repeat {
          if case .comma = peek { _ = advance() }
          guard case .ident(let g) = peek else {
            throw NotebookError(.syntax, "expected a column name after 'by'", span: peekSpan)
          }
          end = advance().1.upperBound
          groups.append(g)
        } while peek == .comma
        return .grouped(name.lowercased(), args, by: groups, span: span.lowerBound..<end)
      }
      return .call(name.lowercased(), args, span: span.lowerBound..<callEnd)
    case .end:
      throw NotebookError(.syntax, "the expression ends too soon", span: span, hint: "expected a value")
    case .rparen: throw NotebookError(.syntax, "unexpected ')'", span: span)
    case .comma: throw NotebookError(.syntax, "unexpected ','", span: span)
    case .op(let o):
      let hint = o == "=" ? "compare with == (or =) between two values" : nil
      throw NotebookError(.syntax, "unexpected '\(o)'", span: span, hint: hint)
    }
  }
}
