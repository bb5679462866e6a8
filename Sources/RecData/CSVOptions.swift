/// How ``CSVReader`` reads a delimited text file.
///
/// Every field has a default that works for ordinary CSV and TSV files; set one
/// only to override what the reader would otherwise detect.
public struct CSVOptions: Sendable, Equatable {
  /// The field separator family.
  public enum Format: String, Sendable, Equatable {
    /// Comma-separated.
    case csv
    /// Tab-separated.
    case tsv
    /// By extension (`.tsv`, `.tab` -> tab; `.csv` -> comma), else sniffed from the
    /// first line: the most frequent of `,` `;` tab `|` outside quotes (comma on a tie or none).
    case auto
  }

  /// The text encoding of string fields and header names.
  public enum Encoding: String, Sendable, Equatable {
    /// UTF-8 (a leading byte-order mark is skipped); invalid bytes are an error.
    case utf8
    /// ISO-8859-1: every byte is the Unicode scalar of the same value. Never fails.
    case latin1
  }

  /// What to do with a malformed row (wrong number of fields, text after a closing quote).
  public enum ErrorPolicy: String, Sendable, Equatable {
    /// Stop with ``DataError/malformedRow(path:line:field:message:)``.
    case fail
    /// Leave the row out; ``LoadReport`` counts it and keeps the first 5 problems.
    case skip
  }

  public var format: Format = .auto
  /// An explicit separator byte; overrides `format`.
  public var separator: UInt8? = nil
  /// Whether the first row names the columns; `nil` detects it: the first row is a
  /// header when every one of its fields is non-empty and not a number (as pandas, a
  /// file of text only is read with a header).
  public var header: Bool? = nil
  /// Names for the columns: replace the header's, or name a headerless file
  /// (default `column1`, `column2`, ...). Must give one name per field.
  public var columnNames: [String]? = nil
  /// Forced types by column name (after renaming); other columns are inferred.
  public var types: [String: ColumnType] = [:]
  public var encoding: Encoding = .utf8
  public var onError: ErrorPolicy = .fail
  /// Whether `"` starts a quoted field (RFC 4180). Off for files such as MovieLens
  /// whose text fields may begin with a quote character that is data.
  public var quoting: Bool = true
  /// Worker threads for the parallel path (`nil`: one per core). The result is the
  /// same for every value; tests use it to compare the paths.
  public var threads: Int? = nil

  public init() {}
}

/// What a load did: the facts the notebook prints after `load`.
public struct LoadReport: Sendable, Equatable {
  /// Rows in the table.
  public var rows: Int
  /// Bytes of the file.
  public var bytes: Int
  /// Malformed rows left out (with `onError: .skip`).
  public var skipped: Int
  /// The first 5 problems, each `"line N: message"`.
  public var skippedSamples: [String]

  public init(rows: Int, bytes: Int, skipped: Int = 0, skippedSamples: [String] = []) {
    self.rows = rows
    self.bytes = bytes
    self.skipped = skipped
    self.skippedSamples = skippedSamples
  }
}
