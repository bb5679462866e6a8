import Foundation
import RecData

/// Turns a cell's text into a command and checked ``Arguments``: the verb is
/// looked up in the command table, then each token is matched against the
/// verb's parameters and options; tables and columns are checked against the
/// session, so a typo fails before anything runs.
public struct CellParser {
  public let commands: CommandTable
  public init(commands: CommandTable) { self.commands = commands }

  /// Parses and checks one cell. `nil` for a cell with no command (blank or only a comment).
  public func parse(_ source: CellSource, session: Session) throws(NotebookError) -> (Command, Arguments)? {
    let tokens = try Lexer.tokenize(source)
    guard let first = tokens.first else { return nil }
    guard first.kind == .word else {
      throw NotebookError(
        .syntax, "a cell starts with a verb", span: first.span, hint: "type 'help' for the verbs")
    }
    var index = 1
    var command: Command
    if tokens.count > 1, tokens[1].kind == .word, let c = commands[first.text + " " + tokens[1].text] {
      command = c
      index = 2
    } else if let c = commands[first.text] {
      command = c
    } else if commands.groupsTwoWordVerbs(first.text) {
      let subs = commands.subverbs(of: first.text)
      let got = tokens.count > 1 ? tokens[1] : nil
      let word = got?.text ?? ""
      throw NotebookError(
        .unknownVerb,
        got == nil
          ? "'\(first.text)' needs one of: \(subs.joined(separator: ", "))"
          : "unknown '\(first.text) \(word)'",
        span: got?.span ?? first.span,
        hint: NotebookError.didYouMean(Suggest.closest(to: word, in: subs))
          ?? "one of: \(subs.joined(separator: ", "))")
    } else {
      throw NotebookError(
        .unknownVerb, "unknown verb '\(first.text)'", span: first.span,
        hint: NotebookError.didYouMean(Suggest.closest(to: first.text, in: commands.verbNames))
          ?? "type 'help' for the verbs")
    }
    _ = command
    var args = Arguments(source: source)
    var paramIndex = 0
    var targetTable: String?
    let params = command.params

    func optionStart(_ i: Int) -> Bool {
      i + 1 < tokens.count && tokens[i].kind == .word && tokens[i + 1].kind == .equals
        && !tokens[i + 1].spaceBefore
    }

    while index < tokens.count {
      let tok = tokens[index]
      // key=value (unless the next positional is a literal '=' as in `feature t.c = expr`)
      let nextIsEquals = paramIndex < params.count && params[paramIndex].kind == .equals
      let afterName = paramIndex > 0 && [.newColumn, .newTable].contains(params[paramIndex - 1].kind)
      if optionStart(index) && !(nextIsEquals && afterName) {
        let (name, arg, next) = try parseOption(
          tokens, at: index, command: command, table: targetTable, session: session)
        if args.options[name] != nil {
          throw NotebookError(.badValue, "option '\(name)' is given twice", span: tok.span)
        }
        args.options[name] = arg
        index = next
        continue
      }
      guard paramIndex < params.count else {
        if tok.kind == .word, index + 1 < tokens.count, tokens[index + 1].kind == .equals {
          throw NotebookError(.syntax, "write options as key=value with no spaces", span: tok.span)
        }
        throw NotebookError(
          .syntax, "unexpected '\(source.slice(tok.span))'", span: tok.span,
          hint: "usage: \(command.synopsis)")
      }
      let p = params[paramIndex]
      paramIndex += 1
      switch p.kind {
      case .keyword(let k):
        guard tok.kind == .word, tok.text.lowercased() == k else {
          if p.optional {
            // An optional keyword introduces the next parameter; without it both are skipped.
            paramIndex += 1
            continue
          }
          throw NotebookError(.syntax, "expected '\(k)'", span: tok.span, hint: "usage: \(command.synopsis)")
        }
        index += 1
      case .equals:
        guard tok.kind == .equals else {
          throw NotebookError(.syntax, "expected '='", span: tok.span, hint: "usage: \(command.synopsis)")
        }
        index += 1
      case .models:
        var names: [(String, Range<Int>)] = []
        while index < tokens.count, tokens[index].kind == .word {
          names.append((tokens[index].text, tokens[index].span))
          guard index + 1 < tokens.count, tokens[index + 1].kind == .comma else {
            index += 1
            break
          }
          index += 2
        }
        guard let first = names.first, let last = names.last else {
          throw NotebookError(
            .syntax, "expected model names", span: tok.span, hint: "usage: \(command.synopsis)")
        }
        for (n, span) in names where session.models[n] == nil { throw unknownModel(n, span, session) }
        args.positional[p.name] = Arg(
          value: .list(names.map(\.0)), span: first.1.lowerBound..<last.1.upperBound)
      case .expression:
        let e = try ExprParser.parse(source, from: tok.span.lowerBound)
        args.positional[p.name] = Arg(
          value: .expression(e), span: tok.span.lowerBound..<source.characters.count)
        index = tokens.count
      default:
        guard tok.kind == .word || tok.kind == .string else {
          throw NotebookError(
            .syntax, "expected \(p.name)", span: tok.span, hint: "usage: \(command.synopsis)")
        }
        let arg = try bindPositional(p, tok, session: session)
        switch arg.value {
        case .text(let t) where p.kind == .table: targetTable = t
        case .column(let t, _): targetTable = t
        default: break
        }
        args.positional[p.name] = arg
        index += 1
      }
    }
    // Missing required positionals.
    while paramIndex < params.count {
      let p = params[paramIndex]
      paramIndex += 1
      if p.optional {
        if case .keyword = p.kind { paramIndex += 1 }
        continue
      }
      let end = source.characters.count
      let what: String
      switch p.kind {
      case .keyword(let k): what = "'\(k)'"
      case .equals: what = "'='"
      default: what = p.name
      }
      throw NotebookError(
        .syntax, "\(command.name) needs \(what)", span: max(0, end - 1)..<max(1, end),
        hint: "usage: \(command.synopsis)")
    }
    return (command, args)
  }

  private func bindPositional(_ p: Param, _ tok: Token, session: Session) throws(NotebookError) -> Arg {
    let text = tok.text
    switch p.kind {
    case .table:
      guard session.tables[text] != nil else { throw unknownTable(text, tok.span, session) }
      return Arg(value: .text(text), span: tok.span)
    case .newTable:
      try checkName(text, tok.span, what: "table name")
      return Arg(value: .text(text), span: tok.span)
    case .column, .newColumn:
      guard let dot = text.firstIndex(of: ".") else {
        throw NotebookError(
          .syntax, "expected TABLE.COLUMN, found '\(text)'", span: tok.span,
          hint: session.tables.keys.sorted().first.map { "for example \($0).\(text)" })
      }
      let t = String(text[..<dot])
      let c = String(text[text.index(after: dot)...])
      let tableSpan = tok.span.lowerBound..<tok.span.lowerBound + t.count
      let colSpan = tableSpan.upperBound + 1..<tok.span.upperBound
      guard let table = session.tables[t] else { throw unknownTable(t, tableSpan, session) }
      if p.kind == .column {
        guard table.table.index(of: c) != nil else {
          throw NotebookError(
            .unknownColumn, "unknown column '\(c)' in table '\(t)'", span: colSpan,
            hint: NotebookError.didYouMean(Suggest.closest(to: c, in: table.table.columnNames))
              ?? "its columns: \(table.table.columnNames.joined(separator: ", "))")
        }
      } else {
        try checkName(c, colSpan, what: "column name")
      }
      return Arg(value: .column(table: t, column: c), span: tok.span)
    case .path:
      return Arg(value: .text(try CellParser.expandPath(text, tok.span)), span: tok.span)
    case .choice(let choices):
      guard choices.contains(text) else {
        throw NotebookError(
          .badValue, "expected one of \(choices.joined(separator: ", ")), found '\(text)'", span: tok.span,
          hint: NotebookError.didYouMean(Suggest.closest(to: text, in: choices)))
      }
      return Arg(value: .text(text), span: tok.span)
    case .value:
      return Arg(
        value: .value(tok.kind == .string ? .string(text) : CellParser.literal(text)), span: tok.span)
    case .split:
      guard session.splits[text] != nil else {
        let names = session.splits.keys.sorted()
        throw NotebookError(
          .unknownTable, "unknown split '\(text)'", span: tok.span,
          hint: NotebookError.didYouMean(Suggest.closest(to: text, in: names))
            ?? (names.isEmpty
              ? "no splits yet: make one with split (help split)"
              : "splits: \(names.joined(separator: ", "))"))
      }
      return Arg(value: .text(text), span: tok.span)
    case .model:
      guard session.models[text] != nil else { throw unknownModel(text, tok.span, session) }
      return Arg(value: .text(text), span: tok.span)
    case .keyword, .equals, .expression, .models:
      return Arg(value: .text(text), span: tok.span)
    }
  }

  private func parseOption(
    _ tokens: [Token], at start: Int, command: Command, table: String?, session: Session
  )
    throws(NotebookError) -> (String, Arg, Int)
  {
    let key = tokens[start]
    let options = command.options(forWords: tokens.map(\.text))
    guard let spec = options.first(where: { $0.name == key.text }) else {
      let names = options.map(\.name)
      throw NotebookError(
        .unknownOption, "unknown option '\(key.text)' for '\(command.name)'", span: key.span,
        hint: NotebookError.didYouMean(Suggest.closest(to: key.text, in: names))
          ?? (names.isEmpty
            ? "'\(command.name)' takes no options" : "options: \(names.joined(separator: ", "))"))
    }
    // Gather value tokens: v(,v)* with no white space in between.
    var i = start + 2
    var values: [Token] = []
    guard i < tokens.count, tokens[i].kind == .word || tokens[i].kind == .string, !tokens[i].spaceBefore
    else {
      let at = i < tokens.count && !tokens[i].spaceBefore ? tokens[i].span : tokens[start + 1].span
      // `sep=,`: a bare comma separates list items, so as a value it has to be quoted.
      let bareComma = i < tokens.count && tokens[i].kind == .comma && !tokens[i].spaceBefore
      throw NotebookError(
        .badValue, "option '\(spec.name)' needs a value", span: at,
        hint: bareComma
          ? "a comma on its own separates list items; quote it: \(spec.name)=\",\""
            + (spec.name == "sep" ? " (or sep=comma)" : "")
          : "\(spec.name)=\(spec.type.valueHint)")
    }
    values.append(tokens[i])
    i += 1
    while i + 1 < tokens.count, tokens[i].kind == .comma, !tokens[i].spaceBefore,
      tokens[i + 1].kind == .word || tokens[i + 1].kind == .string
    {
      values.append(tokens[i + 1])
      i += 2
    }
    if i < tokens.count, tokens[i].kind == .comma, !tokens[i].spaceBefore {
      throw NotebookError(.syntax, "a list needs a value after ','", span: tokens[i].span)
    }
    let span = values[0].span.lowerBound..<values[values.count - 1].span.upperBound
    let multi = values.count > 1
    func single() throws(NotebookError) -> Token {
      if multi {
        throw NotebookError(.badValue, "option '\(spec.name)' takes one value, not a list", span: span)
      }
      return values[0]
    }
    func bad(_ what: String, _ t: Token) -> NotebookError {
      NotebookError(
        .badValue, "option '\(spec.name)' expects \(what), found '\(t.text)'", span: t.span,
        hint: "\(spec.name)=\(spec.type.valueHint)")
    }
    let value: Arg.Value
    switch spec.type {
    case .int(let lo, let hi):
      let t = try single()
      guard let v = Int(t.text.replacingOccurrences(of: "_", with: "")) else { throw bad("an integer", t) }
      try checkRange(v, lo, hi, option: spec.name, found: String(v), span: t.span)
      value = .int(v)
    case .double(let lo, let hi):
      let t = try single()
      guard let v = Double(t.text), v.isFinite else { throw bad("a number", t) }
      try checkRange(v, lo, hi, option: spec.name, found: t.text, span: t.span)
      value = .double(v)
    case .string:
      value = .text(try single().text)
    case .bool:
      let t = try single()
      switch t.text.lowercased() {
      case "true", "yes", "on", "1": value = .bool(true)
      case "false", "no", "off", "0": value = .bool(false)
      default: throw bad("true or false", t)
      }
    case .choice(let choices):
      let t = try single()
      guard choices.contains(t.text) else {
        throw NotebookError(
          .badValue,
          "option '\(spec.name)' expects one of \(choices.joined(separator: ", ")), found '\(t.text)'",
          span: t.span, hint: NotebookError.didYouMean(Suggest.closest(to: t.text, in: choices)))
      }
      value = .text(t.text)
    case .columns, .column:
      if spec.type == .column { _ = try single() }
      if let table, let entry = session.tables[table] {
        for t in values where entry.table.index(of: t.text) == nil {
          throw NotebookError(
            .unknownColumn, "unknown column '\(t.text)' in table '\(table)'", span: t.span,
            hint: NotebookError.didYouMean(Suggest.closest(to: t.text, in: entry.table.columnNames))
              ?? "its columns: \(entry.table.columnNames.joined(separator: ", "))")
        }
      }
      value = spec.type == .column ? .text(values[0].text) : .list(values.map(\.text))
    case .list:
      value = .list(values.map(\.text))
    case .value:
      let t = try single()
      value = .value(t.kind == .string ? .string(t.text) : CellParser.literal(t.text))
    }
    return (spec.name, Arg(value: value, span: span), i)
  }

  /// Throws when an option's number lies outside its declared bounds.
  private func checkRange<T: Comparable>(
    _ v: T, _ lo: T?, _ hi: T?, option: String, found: String, span: Range<Int>
  ) throws(NotebookError) {
    if let lo, v < lo {
      throw NotebookError(.badValue, "option '\(option)' must be at least \(lo), found \(found)", span: span)
    }
    if let hi, v > hi {
      throw NotebookError(.badValue, "option '\(option)' must be at most \(hi), found \(found)", span: span)
    }
  }

  /// An unquoted word as a value: an integer, a decimal, or else the text itself.
  static func literal(_ text: String) -> RecData.Value {
    if let i = Int(text) { return .int(i) }
    if let d = Double(text), d.isFinite { return .double(d) }
    return .string(text)
  }

  private func unknownTable(_ name: String, _ span: Range<Int>, _ session: Session) -> NotebookError {
    let names = session.tableOrder
    return NotebookError(
      .unknownTable, "unknown table '\(name)'", span: span,
      hint: NotebookError.didYouMean(Suggest.closest(to: name, in: names))
        ?? (names.isEmpty
          ? "no tables yet: load one first (help load)" : "tables: \(names.joined(separator: ", "))"))
  }

  private func unknownModel(_ name: String, _ span: Range<Int>, _ session: Session) -> NotebookError {
    let names = session.modelOrder
    return NotebookError(
      .unknownTable, "unknown model '\(name)'", span: span,
      hint: NotebookError.didYouMean(Suggest.closest(to: name, in: names))
        ?? (names.isEmpty
          ? "no models yet: define one with model (help model)" : "models: \(names.joined(separator: ", "))"))
  }

  private func checkName(_ name: String, _ span: Range<Int>, what: String) throws(NotebookError) {
    let ok =
      !name.isEmpty && name.first.map { $0.isLetter || $0 == "_" } == true
      && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    guard ok else {
      throw NotebookError(
        .badValue, "'\(name)' is not a valid \(what)", span: span,
        hint: "use letters, digits and _, starting with a letter")
    }
  }

  /// Expands `$VAR`, `${VAR}` and `${VAR:-default}` from the environment, and `~/`.
  static func expandPath(_ text: String, _ span: Range<Int>?) throws(NotebookError) -> String {
    var out = ""
    let c = Array(text)
    var i = 0
    let env = ProcessInfo.processInfo.environment
    while i < c.count {
      if c[i] == "$" {
        if i + 1 < c.count, c[i + 1] == "{" {
          guard let close = c[(i + 2)...].firstIndex(of: "}") else {
            throw NotebookError(.syntax, "unterminated ${...} in path", span: span)
          }
          let inner = String(c[(i + 2)..<close])
          let parts = inner.components(separatedBy: ":-")
          let name = parts[0]
          if let v = env[name], !v.isEmpty {
            out += v
          } else if parts.count > 1 {
            out += parts[1...].joined(separator: ":-")
          } else {
            throw NotebookError(
              .badValue, "environment variable '\(name)' is not set", span: span,
              hint: "give a default: ${\(name):-path}")
          }
          i = close + 1
          continue
        }
        var j = i + 1
        while j < c.count, c[j].isLetter || c[j].isNumber || c[j] == "_" { j += 1 }
        let name = String(c[(i + 1)..<j])
        guard !name.isEmpty, let v = env[name] else {
          throw NotebookError(.badValue, "environment variable '\(name)' is not set", span: span)
        }
        out += v
        i = j
        continue
      }
      out.append(c[i])
      i += 1
    }
    if out.hasPrefix("~/"), let home = env["HOME"] { out = home + out.dropFirst() }
    return out
  }
}
