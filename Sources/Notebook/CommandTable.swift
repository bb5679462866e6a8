/// Every verb the language knows, by name: the single source of truth for
/// parsing, `help`, completion and the generated reference.
public struct CommandTable: Sendable {
  public private(set) var commands: [Command] = []
  private var byName: [String: Int] = [:]

  public init(_ commands: [Command]) {
    for c in commands { add(c) }
  }

  public mutating func add(_ c: Command) {
    precondition(byName[c.name] == nil, "verb '\(c.name)' declared twice")
    byName[c.name] = commands.count
    commands.append(c)
  }

  public subscript(name: String) -> Command? {
    byName[name].map { commands[$0] }
  }

  /// The first words of every verb (`save` once for `save table` and `save notebook`).
  public var verbNames: [String] {
    var seen = Set<String>()
    return commands.compactMap { c in
      let w = String(c.name.split(separator: " ")[0])
      return seen.insert(w).inserted ? w : nil
    }
  }

  /// Whether `word` starts two-word verbs only (`save`, `plot`).
  func groupsTwoWordVerbs(_ word: String) -> Bool { !subverbs(of: word).isEmpty && byName[word] == nil }

  func subverbs(of word: String) -> [String] {
    commands.compactMap { c in
      let parts = c.name.split(separator: " ")
      return parts.count == 2 && parts[0] == word ? String(parts[1]) : nil
    }
  }

  /// The standard table: every verb of the language.
  public static let standard = CommandTable(
    SessionCommands.all + LoadCommands.all + InspectCommands.all + PlotCommands.all + CleanCommands.all
      + TransformCommands.all + EvalCommands.all + RecommendCommands.all + ServeCommands.all
      + SaveCommands.all
      + ModelFileCommands.all)
}
