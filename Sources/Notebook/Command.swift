import RecData

/// What a verb takes, declared once: the parser checks cells against it, and
/// `help`, tab completion and the README's reference are generated from it
/// (DuckDB's shell keeps its dot-commands in one such table).
public struct Command: Sendable {
  /// The pipeline step a verb belongs to, the order `help` lists them in.
  public enum Group: String, Sendable, CaseIterable {
    case session = "Session"
    case load = "Load"
    case inspect = "Inspect"
    case clean = "Clean"
    case transform = "Transform and features"
    case evaluate = "Split, model and evaluate"
    case deploy = "Recommend and deploy"
    case save = "Save"
  }

  /// One or two words (`load`, `save table`).
  public var name: String
  public var group: Group
  /// One line: what the verb does.
  public var summary: String
  /// A paragraph or two for `help VERB`.
  public var details: String = ""
  public var params: [Param]
  public var options: [Option]
  /// Cells that show the verb in use; the tests run every one.
  public var examples: [String]
  /// Whether the verb can change the session (tables, seed); `undo` steps back over those that do.
  public var mutates: Bool = true
  /// Options that depend on what the cell says (the options of `model`'s TYPE): given the
  /// words of the cell, the options beyond `options`.
  public var typedOptions: (@Sendable ([String]) -> [Option])? = nil
  public var run: @Sendable (inout Session, Arguments, CellContext) throws(NotebookError) -> CellOutput

  /// `options` and the `typedOptions` for a cell with these words.
  public func options(forWords words: [String]) -> [Option] { options + (typedOptions?(words) ?? []) }

  /// `load NAME from PATH [format=csv|tsv|auto] ...`
  public var synopsis: String {
    var parts = [name]
    for p in params {
      let s: String
      switch p.kind {
      case .keyword(let k): s = k
      case .equals: s = "="
      case .table, .newTable: s = p.name
      case .column: s = "\(p.name)"
      case .newColumn: s = "\(p.name)"
      case .path: s = p.name
      case .expression: s = p.name
      case .value: s = p.name
      case .choice(let c): s = c.joined(separator: "|")
      case .split, .model: s = p.name
      case .models: s = "\(p.name),..."
      }
      parts.append(p.optional ? "[\(s)]" : s)
    }
    for o in options { parts.append("[\(o.name)=\(o.type.valueHint)]") }
    return parts.joined(separator: " ")
  }
}

/// A positional parameter.
public struct Param: Sendable {
  public enum Kind: Sendable, Equatable {
    /// A fixed word (`from`, `where`, `to`, `with`, `on`).
    case keyword(String)
    /// A literal `=` (in `feature t.c = EXPR`).
    case equals
    /// The name of a table the session holds.
    case table
    /// A name for a new (or replaced) table.
    case newTable
    /// `table.column`, both existing.
    case column
    /// `table.newcolumn`: the table exists, the column may not.
    case newColumn
    /// A file path (or `sample:NAME`); `$VAR` and `${VAR:-default}` are expanded.
    case path
    /// The rest of the cell, parsed as an expression.
    case expression
    /// A word, number or string.
    case value
    /// One of a fixed set of words.
    case choice([String])
    /// The name of a split the session holds.
    case split
    /// The name of a model the session holds.
    case model
    /// Names of models, `a,b,c`.
    case models
  }
  public var name: String
  public var kind: Kind
  public var optional: Bool = false
  public var help: String = ""

  public init(_ name: String, _ kind: Kind, optional: Bool = false, help: String = "") {
    self.name = name
    self.kind = kind
    self.optional = optional
    self.help = help
  }
}

/// A `key=value` option.
public struct Option: Sendable {
  public enum ValueType: Sendable, Equatable {
    case int(min: Int?, max: Int?)
    case double(min: Double?, max: Double?)
    case string
    case bool
    case choice([String])
    /// Column names of the cell's table, one or several (`by=user,item`).
    case columns
    /// One column name of the cell's table.
    case column
    /// A list of words (`columns=a,b,c` for naming a file's columns).
    case list
    /// A value of any type (`value=0`, `value="n/a"`).
    case value

    var valueHint: String {
      switch self {
      case .int: return "N"
      case .double: return "X"
      case .string: return "TEXT"
      case .bool: return "true|false"
      case .choice(let c): return c.joined(separator: "|")
      case .columns: return "COL,..."
      case .column: return "COL"
      case .list: return "A,B,..."
      case .value: return "VALUE"
      }
    }
  }
  public var name: String
  public var type: ValueType
  /// The default as shown in help; `nil` when there is none (the option is then optional and absent).
  public var defaultValue: String?
  public var help: String

  public init(_ name: String, _ type: ValueType, default defaultValue: String? = nil, _ help: String) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.help = help
  }
}

/// A checked argument value with the span it was written at.
public struct Arg: Sendable {
  public enum Value: Sendable {
    case text(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([String])
    case expression(Expr)
    case value(RecData.Value)
    /// `table.column`
    case column(table: String, column: String)
  }
  public var value: Value
  public var span: Range<Int>
}

/// The checked arguments of one cell, by parameter and option name.
public struct Arguments: Sendable {
  public var positional: [String: Arg] = [:]
  public var options: [String: Arg] = [:]
  /// The cell's text, for messages that quote it.
  public var source: CellSource

  public func has(_ name: String) -> Bool { options[name] != nil || positional[name] != nil }
  public func span(_ name: String) -> Range<Int>? { (positional[name] ?? options[name])?.span }

  public func text(_ name: String) -> String? {
    switch (positional[name] ?? options[name])?.value {
    case .text(let s): return s
    case .int(let v): return String(v)
    case .double(let v): return String(v)
    case .bool(let b): return String(b)
    case .list(let l): return l.joined(separator: ",")
    case .column(let t, let c): return "\(t).\(c)"
    case .value(let v): return v.description
    case .expression, nil: return nil
    }
  }
  public func int(_ name: String) -> Int? {
    if case .int(let v) = (positional[name] ?? options[name])?.value { return v }
    return nil
  }
  public func double(_ name: String) -> Double? {
    switch (positional[name] ?? options[name])?.value {
    case .double(let v): return v
    case .int(let v): return Double(v)
    default: return nil
    }
  }
  public func bool(_ name: String) -> Bool? {
    if case .bool(let v) = (positional[name] ?? options[name])?.value { return v }
    return nil
  }
  public func list(_ name: String) -> [String]? {
    switch (positional[name] ?? options[name])?.value {
    case .list(let l): return l
    case .text(let s): return [s]
    default: return nil
    }
  }
  public func expression(_ name: String) -> Expr? {
    if case .expression(let e) = positional[name]?.value { return e }
    return nil
  }
  public func value(_ name: String) -> RecData.Value? {
    if case .value(let v) = (positional[name] ?? options[name])?.value { return v }
    return nil
  }
  public func column(_ name: String) -> (table: String, column: String)? {
    if case .column(let t, let c) = positional[name]?.value { return (t, c) }
    return nil
  }
}
