import RecData
import RecEval
import RecModels

/// A table the session holds, with how it came to be.
public struct TableEntry: Sendable {
  public var table: Table
  /// The steps that produced it, in order (`load sample:shop`, `normalize rating minmax` ...),
  /// so later steps can warn about leakage (a normalization computed before a split).
  public var lineage: [String]

  public init(table: Table, lineage: [String]) {
    self.table = table
    self.lineage = lineage
  }

  /// Ends a lineage step whose values came from statistics over every row.
  static let allRowsMark = "(from all rows)"

  /// The columns made from statistics over every row (`user_activity`, `rating (minmax)`): a
  /// feature that reads other rows, a normalization other than log1p. Made before a split,
  /// they let the test rows shape training.
  public var columnsFromAllRows: [String] {
    lineage.compactMap { step in
      if step.hasPrefix("feature "), step.hasSuffix(Self.allRowsMark) {
        return String(step.dropFirst("feature ".count).dropLast(Self.allRowsMark.count + 1))
      }
      let words = step.split(separator: " ")
      if words.count == 3, words[0] == "normalize", words[2] != "log1p" { return "\(words[1]) (\(words[2]))" }
      return nil
    }
  }

  /// The steps that removed rows (`dedupe`, `filter ...`, `kcore 5/5`): the filters a protocol
  /// card names.
  public var filterSteps: [String] {
    lineage.filter { step in
      ["dedupe", "dropna", "filter", "kcore", "clip"].contains { step == $0 || step.hasPrefix($0 + " ") }
    }
  }
}

/// One cell as it ran: its text and its rendered output, for `save notebook`.
public struct RecordedCell: Sendable, Equatable {
  public var source: [String]
  public var output: [OutputLine]
}

/// The named values a notebook builds up, and its settings.
///
/// A value type: the runner executes each cell on a copy and keeps the copy
/// only if the cell succeeds, so a failed or interrupted cell leaves the
/// session exactly as it was.
public struct Session: Sendable {
  public var tables: [String: TableEntry] = [:]
  /// Table names in the order they were made (for listings and suggestions).
  public var tableOrder: [String] = []
  /// Train/test splits by name (`split`).
  public var splits: [String: Split] = [:]
  /// Models by name (`model`, `fit`).
  public var models: [String: ModelEntry] = [:]
  /// The HTTP service `serve` started, shared by every copy of the session.
  public var server = ServerSlot()
  /// Model names in the order they were defined.
  public var modelOrder: [String] = []
  /// The session seed; each cell draws from `SeededGenerator(seed:stream: cell ordinal)`.
  public var seed: UInt64 = 42
  /// Cells run so far (successful ones), the ordinal the next cell's generator derives from.
  public var cellCount = 0
  /// Successful cells with their outputs, in order.
  public var history: [RecordedCell] = []
  /// The states before recent cells that changed the session, newest last (`undo`).
  public var undoStack: [UndoPoint] = []
  /// How many undo points are kept.
  public static let undoDepth = 50

  public init() {}

  public mutating func setTable(_ name: String, _ entry: TableEntry) {
    if tables[name] == nil { tableOrder.append(name) }
    tables[name] = entry
  }

  public mutating func removeTable(_ name: String) {
    tables[name] = nil
    tableOrder.removeAll { $0 == name }
  }

  /// The table called `name`; the parser has already checked that it exists.
  public func entry(_ name: String) throws(NotebookError) -> TableEntry {
    guard let e = tables[name] else { throw NotebookError(.unknownTable, "unknown table '\(name)'") }
    return e
  }
}

/// A model the session holds: its type and options as written, and the fitted state.
public struct ModelEntry: Sendable {
  public var type: String
  /// The options as written in the `model` cell, for listings.
  public var options: String
  public var model: any Recommender
  /// The split it was fitted on; `nil` until `fit`.
  public var fittedOn: String?
  /// The seed its options resolved to (`seed=` or the session seed at definition).
  public var seed: UInt64 = 42
  /// What the last `fit` did: its epochs (loss, validation), outcome and kept epoch.
  public var report: FitReport? = nil
  /// The catalogue type of the cold-start fallback (`fallback=`), for model files.
  public var fallbackType: String? = nil
  /// A model read from a file (`load model`): its id maps, seen items and metadata.
  public var loaded: TrainedModel? = nil
}

/// The version written into model files and printed by `recbook --version`.
public enum RecbookVersion {
  public static let current = "0.2.0"
}

/// The session as it was before a cell changed it.
public struct UndoPoint: Sendable {
  public var tables: [String: TableEntry]
  public var tableOrder: [String]
  public var splits: [String: Split]
  public var models: [String: ModelEntry]
  public var modelOrder: [String]
  public var seed: UInt64
  public var historyCount: Int
  /// The session's cell ordinal then, so the cells after `undo` draw the random streams a
  /// replay of the saved notebook (which has neither the undone cell nor `undo`) draws.
  public var cellCount: Int
  /// The cell that changed it, for the message.
  public var cell: String
}
