import Foundation
import RecModels

/// Tab completion for the prompt, driven by the command table: verbs, the
/// options of the verb being typed, table names, `table.column` names, model
/// names where a verb takes a model, split names where it takes a split, file
/// paths after `from`/`to`, and `help` topics.
///
/// Pure: it reads the line and the session and returns candidates, so it is
/// tested without a terminal; the executable hands it to readline.
public struct Completer: Sendable {
  public var commands: CommandTable
  public init(commands: CommandTable = .standard) { self.commands = commands }

  /// Candidates for the word that ends at `cursor` in `line` (the whole word
  /// each, to replace what is typed). Sorted, without duplicates.
  public func complete(line: String, cursor: Int? = nil, session: Session) -> [String] {
    let chars = Array(line)
    let end = min(cursor ?? chars.count, chars.count)
    var start = end
    while start > 0, !chars[start - 1].isWhitespace { start -= 1 }
    let before = String(chars[0..<start])
    var word = String(chars[start..<end])
    let words = before.split(whereSeparator: \.isWhitespace).map(String.init)
    // An option's value: `key=partial` completes the value.
    var optionKey: String?
    if let eq = word.firstIndex(of: "=") {
      optionKey = String(word[..<eq])
      word = String(word[word.index(after: eq)...])
    }
    let candidates: [String]
    if words.isEmpty {
      candidates = commands.verbNames
    } else {
      let verb = commandName(words)
      if let key = optionKey {
        let prefix = key + "="
        return complete(value: word, option: key, verb: verb, words: words, session: session).map {
          prefix + $0
        }
      }
      candidates = completeArgument(word, words: words, verb: verb, session: session)
    }
    return Array(Set(candidates.filter { $0.hasPrefix(word) })).sorted()
  }

  /// The command the line starts with (two words if that is a verb).
  func commandName(_ words: [String]) -> Command? {
    if words.count >= 2, let c = commands[words[0] + " " + words[1]] { return c }
    return commands[words[0]]
  }

  private func completeArgument(_ word: String, words: [String], verb: Command?, session: Session) -> [String]
  {
    if words.count == 1, commands.groupsTwoWordVerbs(words[0]) { return commands.subverbs(of: words[0]) }
    if words[0] == "help" {
      return ["pipeline", "models", "metrics", "learn"] + commands.verbNames
        + commands.commands.map(\.name).filter { $0.contains(" ") }.map {
          String($0.split(separator: " ")[1])
        }
    }
    guard let verb else { return [] }
    let last = words.last ?? ""
    if ["from", "to"].contains(last) {
      return paths(word) + (verb.name == "load" ? LoadCommands.samples : [])
    }
    var out = verb.options(forWords: words).map { $0.name + "=" }
    let kinds = verb.params.map(\.kind)
    let takesModels = kinds.contains(.model) || kinds.contains(.models)
    // `compare a,b,c`: the last name of the list completes.
    if kinds.contains(.models), let comma = word.lastIndex(of: ",") {
      let head = String(word[...comma])
      return session.modelOrder.map { head + $0 }
    }
    if takesModels { out += session.modelOrder }
    if kinds.contains(.split) { out += session.splits.keys.sorted() }
    // Tables where the verb takes one; not for the verbs about models and splits only.
    let takesTables = kinds.contains { [.table, .newTable, .column, .newColumn].contains($0) }
    if takesTables || !(takesModels || kinds.contains(.split)) {
      let tables = session.tableOrder
      if word.contains(".") {
        let t = String(word[..<(word.firstIndex(of: ".") ?? word.endIndex)])
        if let entry = session.tables[t] { out += entry.table.columnNames.map { "\(t).\($0)" } }
      } else {
        out += tables
        // A verb that takes TABLE.COLUMN: offer `table.` so the next Tab lists its columns.
        if verb.params.contains(where: { $0.kind == .column || $0.kind == .newColumn }) {
          out += tables.map { $0 + "." }
        }
      }
    }
    // Keywords the verb expects next (`from`, `where`, `with`, `on`, `to`).
    for p in verb.params { if case .keyword(let k) = p.kind { out.append(k) } }
    return out
  }

  private func complete(value: String, option: String, verb: Command?, words: [String], session: Session)
    -> [String]
  {
    guard let verb, let spec = verb.options(forWords: words).first(where: { $0.name == option }) else {
      return []
    }
    var values: [String]
    if let names = names(forOption: option, of: verb, words: words, session: session) {
      // `init=gmf1,ml` completes the last element of the list.
      if let comma = value.lastIndex(of: ",") {
        let head = String(value[...comma])
        let tail = String(value[value.index(after: comma)...])
        return names.filter { $0.hasPrefix(tail) }.map { head + $0 }.sorted()
      }
      return names.filter { $0.hasPrefix(value) }.sorted()
    }
    switch spec.type {
    case .choice(let c): values = c
    case .bool: values = ["true", "false"]
    case .columns, .column:
      // Columns of the cell's table: the first word after the verb that names one.
      let names = words.dropFirst().compactMap { w -> [String]? in
        let t = w.split(separator: ".").first.map(String.init) ?? w
        return session.tables[t]?.table.columnNames
      }
      values = names.first ?? []
      // `by=user,it` completes the last element of the list.
      if let comma = value.lastIndex(of: ",") {
        let head = String(value[...comma])
        let tail = String(value[value.index(after: comma)...])
        return values.filter { $0.hasPrefix(tail) }.map { head + $0 }.sorted()
      }
    default: values = []
    }
    return values.filter { $0.hasPrefix(value) }.sorted()
  }

  /// Options whose value names a split of the session (their declared type is a plain string).
  static let splitOptions: Set<String> = ["save model metrics-on"]

  /// The session's names an option's value is one (or a list) of: models for a model type's
  /// `.models` option (`init=`) and `fallback=` (also `pop`, `random`), tables for its `.table`
  /// options (`items=`), splits for the options in `splitOptions`; `nil` for any other option.
  private func names(forOption option: String, of verb: Command, words: [String], session: Session)
    -> [String]?
  {
    if Self.splitOptions.contains(verb.name + " " + option) { return session.splits.keys.sorted() }
    guard verb.name == "model" else { return nil }
    if option == ModelCommands.fallbackOption.name { return ["pop", "random"] + session.modelOrder }
    let type = ModelCommands.typeWord(words).flatMap(ModelCatalog.named)
    switch type?.options.first(where: { $0.name == option })?.kind {
    case .models?: return session.modelOrder
    case .table?: return session.tableOrder
    default: return nil
    }
  }

  /// Files and folders that complete `partial` (folders end in `/`).
  private func paths(_ partial: String) -> [String] {
    let fm = FileManager.default
    let (dir, prefix): (String, String)
    if let slash = partial.lastIndex(of: "/") {
      dir = String(partial[...slash])
      prefix = String(partial[partial.index(after: slash)...])
    } else {
      dir = ""
      prefix = partial
    }
    let listed = (try? fm.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
    return listed.filter { $0.hasPrefix(prefix) && (!$0.hasPrefix(".") || prefix.hasPrefix(".")) }.sorted()
      .prefix(200).map {
        var isDir: ObjCBool = false
        let full = dir + $0
        _ = fm.fileExists(atPath: full, isDirectory: &isDir)
        return isDir.boolValue ? full + "/" : full
      }
  }
}
