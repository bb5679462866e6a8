import RecData
import RecTerm

/// One line of a cell's output as recorded in a notebook.
public struct OutputLine: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// Compared on replay (`#>`).
    case stable
    /// Changes run to run, such as timings (`#~`); not compared.
    case volatile
    /// An expected error (`#!`): the cell is meant to fail with exactly this message.
    case error
  }
  public var kind: Kind
  public var text: String
  public init(_ kind: Kind, _ text: String) {
    self.kind = kind
    self.text = text
  }
}

/// What a cell produced, before rendering: plain lines, tables, warnings and
/// volatile lines (timings). ``OutputRenderer`` turns it into lines at a width.
public struct CellOutput: Sendable {
  public enum Block: Sendable {
    case text(String)
    case warning(String)
    case volatile(String)
    case table(TableBlock)
    /// Pre-rendered lines (help text).
    case lines([String])
    /// A picture drawn at the style the output is rendered in (a plot): plain and at the
    /// session's width for the recorded history, in colour and at the display width for
    /// the screen. Returns lines separated by newlines.
    case drawing(@Sendable (RenderStyle) -> String)
  }
  public var blocks: [Block] = []
  /// Set by a cell that handled Ctrl-C itself and left the session in a state worth keeping
  /// (`fit` keeps the weights of the last completed epoch); otherwise an interrupted cell's
  /// work is thrown away.
  public var keepsInterruptedWork = false
  /// Whether the cell goes into the session's history (and takes a cell ordinal, the
  /// stream its random draws come from). `undo` and `run` say no: after `undo` the history
  /// holds exactly the cells still in effect, and `run` records the notebook's cells
  /// instead of itself, so a saved session replays as it was.
  public var recordsCell = true
  public init(_ blocks: [Block] = []) { self.blocks = blocks }

  public static func text(_ s: String) -> CellOutput { CellOutput([.text(s)]) }
  public mutating func append(_ b: Block) { blocks.append(b) }
}

/// A table to show: headers, right-alignment for numbers, cells as text.
public struct TableBlock: Sendable {
  public var headers: [String]
  public var numeric: [Bool]
  public var rows: [[String]]
  public var footer: String?
  public init(headers: [String], numeric: [Bool], rows: [[String]], footer: String? = nil) {
    self.headers = headers
    self.numeric = numeric
    self.rows = rows
    self.footer = footer
  }
}

/// How a cell runs: the width and style to render at, where progress goes,
/// and the flag that Ctrl-C sets.
public struct CellContext: Sendable {
  /// The width and glyphs outputs are recorded in: the session's history (what `save
  /// notebook` and the autosave write) is rendered at them, plain, and commands see them.
  /// The REPL keeps the notebook style (80 columns, Unicode) so a saved session replays
  /// with `--check` whatever the terminal.
  public var width: Int = 80
  public var unicode: Bool = true
  /// Colour for the screen when `display` is `nil`. Commands always see `false` (the
  /// runner clears it), so colour never reaches the recorded history.
  public var color: Bool = false
  /// The style of the lines printed on the screen, when it differs from the recorded one
  /// (the terminal's width, ASCII, colour); `nil`: `width`, `unicode` and `color`. The
  /// runner renders a cell's output again in it; `run` prints a notebook's outputs
  /// indented, two columns narrower.
  public var display: RenderStyle? = nil
  /// Set by the REPL's signal handler; long work polls it and throws `cancelled`.
  public var isCancelled: @Sendable () -> Bool = { false }
  /// Reports progress of long work; the executable draws it (on a TTY only).
  public var progress: (@Sendable (WorkProgress) -> Void)? = nil
  /// The session's generator for this cell (derived from seed and cell ordinal).
  public var random = SeededGeneratorBox(seed: 42, stream: 0)
  public init() {}
}

/// The per-cell generator, derived from the session seed and the cell's ordinal.
public struct SeededGeneratorBox: Sendable {
  public var seed: UInt64
  public var stream: UInt64
  public func make() -> SeededGenerator { SeededGenerator(seed: seed, stream: stream) }
}

/// A progress report from long work: `done` of `total` units (`nil` when unknown), and extra fields.
public struct WorkProgress: Sendable {
  public var label: String
  public var done: Int
  public var total: Int?
  public var fields: [(String, String)]
  public init(label: String, done: Int, total: Int?, fields: [(String, String)] = []) {
    self.label = label
    self.done = done
    self.total = total
    self.fields = fields
  }
}
