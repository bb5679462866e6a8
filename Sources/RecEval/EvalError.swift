import RecData

/// Errors from the evaluation layer, with the facts a message needs.
public enum EvalError: Error, Equatable, Sendable {
  /// A role (user, item, rating, time, weight) names a column the table does not have.
  case unknownColumn(role: String, name: String, table: String, suggestions: [String])
  /// A role column of a type the role cannot use (a string `rating`, a double `user`).
  case badColumnType(role: String, name: String, found: ColumnType, expected: String)
  /// A role column with a missing value (1-based row, as the user sees rows).
  case missingValue(role: String, name: String, row: Int)
  /// The same role's column is int in one table and string in another.
  case mixedIDTypes(role: String)
  /// An operation needs a role the interactions were not given (`temporal` without `time`).
  case missingRole(role: String, neededBy: String)
  /// A per-user split would leave this user with nothing to train on.
  case userWithoutTrainingData(user: String, interactions: Int, split: String)
  /// A cut-off `k` (or count) that is not positive.
  case invalidK(Int)
  /// A metric name Recbook does not know.
  case unknownMetric(name: String, suggestions: [String])
  /// A candidate file (or candidate set) that does not fit the split (1-based line; 0 = whole file).
  case candidateMismatch(path: String, line: Int, message: String)
  /// A file that cannot be read.
  case io(path: String, message: String)
  /// An option value the operation cannot use (`ratio=1.5`, `quantile=-1`).
  case invalidArgument(String)

  public var message: String {
    switch self {
    case .unknownColumn(let role, let name, let table, _):
      let t = table.isEmpty ? "" : " in table '\(table)'"
      return "\(role) column '\(name)' does not exist\(t)"
    case .badColumnType(let role, let name, let found, let expected):
      return "\(role) column '\(name)' is \(found); expected \(expected)"
    case .missingValue(let role, let name, let row):
      return "\(role) column '\(name)' has a missing value at row \(row)"
    case .mixedIDTypes(let role):
      return "\(role) ids are integers in one table and strings in another"
    case .missingRole(let role, let neededBy):
      return "\(neededBy) needs a \(role) column; name one with \(role)=COLUMN"
    case .userWithoutTrainingData(let user, let n, let split):
      return
        "\(split) leaves user '\(user)' (\(n) interaction\(n == 1 ? "" : "s")) with no training data;"
        + " filter rare users first (kcore)"
    case .invalidK(let k): return "k must be a positive integer, got \(k)"
    case .unknownMetric(let name, _): return "unknown metric '\(name)'"
    case .candidateMismatch(let path, let line, let m):
      return line > 0 ? "\(path):\(line): \(m)" : "\(path): \(m)"
    case .io(let path, let m): return "\(path): \(m)"
    case .invalidArgument(let m): return m
    }
  }

  public var suggestions: [String] {
    switch self {
    case .unknownColumn(_, _, _, let s), .unknownMetric(_, let s): return s
    default: return []
    }
  }
}

/// Things an evaluation should tell the user about without failing.
public enum EvalWarning: Equatable, Sendable, CustomStringConvertible {
  /// A random split of data that has timestamps lets the model train on the future.
  case randomSplitOfTimestampedData
  /// Test rows whose item never occurs in train (no model can score it from interactions).
  case unseenTestItems(items: Int, rows: Int)
  /// Test users with no training interactions.
  case unseenTestUsers(users: Int)
  /// Sampled metrics rank the test item against a few negatives only.
  case sampledMetricsOverstate(negatives: Int)
  /// Reports compared under different protocols.
  case differentProtocols(String)
  /// Columns of the table were computed from statistics over all its rows (a normalization, a
  /// count or mean per user or item) before it was split, so the test rows shaped them.
  case preparedBeforeSplit(table: String, columns: [String])

  public var description: String {
    switch self {
    case .randomSplitOfTimestampedData:
      return
        "random split of timestamped data: train holds interactions from after the test ones (leakage);"
        + " prefer leave-one-out by time or a temporal cut"
    case .unseenTestItems(let items, let rows):
      return
        "\(items) test item\(items == 1 ? "" : "s") (\(rows) test row\(rows == 1 ? "" : "s")) never "
        + "occur\(items == 1 ? "s" : "") in train"
    case .unseenTestUsers(let users):
      return "\(users) test user\(users == 1 ? " has" : "s have") no training interactions (cold start)"
    case .sampledMetricsOverstate(let n):
      return
        "sampled ranking against \(n) negatives overstates quality and does not rank models reliably"
        + " (Krichene and Rendle 2020); use full ranking to compare models"
    case .differentProtocols(let m): return "reports were produced under different protocols: \(m)"
    case .preparedBeforeSplit(let table, let columns):
      return
        "leakage: \(columns.joined(separator: ", ")) (in \(table)) \(columns.count == 1 ? "was" : "were") computed "
        + "from all rows before the split, test rows included; compute \(columns.count == 1 ? "it" : "them") "
        + "after the split, from train"
    }
  }
}
