/// A typed column of a ``Table``.
///
/// Storage is one contiguous array per column (copy-on-write), with a sentinel
/// for missing values so that a 10M-row column costs exactly 8 bytes a row:
/// - `int`: `Column.missingInt` (`Int.min`) marks a missing value;
/// - `double`: `NaN` marks a missing value (as in pandas);
/// - `string`: dictionary-encoded; code `-1` marks a missing value, codes index
///   `dictionary`, whose entries are distinct.
public struct Column: Sendable, Equatable {
  public enum Storage: Sendable, Equatable {
    case int([Int])
    case double([Double])
    case string(codes: [Int32], dictionary: [String])
  }

  /// The sentinel for a missing integer.
  public static let missingInt = Int.min

  public var storage: Storage

  public init(_ storage: Storage) { self.storage = storage }
  public init(ints: [Int]) { storage = .int(ints) }
  public init(doubles: [Double]) { storage = .double(doubles) }
  public init(codes: [Int32], dictionary: [String]) {
    storage = .string(codes: codes, dictionary: dictionary)
  }

  /// Equal values in equal order; missing equals missing (a NaN double is missing,
  /// so the synthesized `==`, under which NaN != NaN, would call a column unequal to its copy).
  public static func == (a: Column, b: Column) -> Bool {
    if case .double(let x) = a.storage, case .double(let y) = b.storage {
      return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }
    return a.storage == b.storage
  }

  /// A string column from plain strings (`nil` is missing), dictionary-encoded
  /// in order of first appearance.
  public init(strings: [String?]) {
    var index: [String: Int32] = [:]
    var dictionary: [String] = []
    var codes = [Int32]()
    codes.reserveCapacity(strings.count)
    for s in strings {
      guard let s else {
        codes.append(-1)
        continue
      }
      if let c = index[s] {
        codes.append(c)
      } else {
        let c = Int32(dictionary.count)
        index[s] = c
        dictionary.append(s)
        codes.append(c)
      }
    }
    storage = .string(codes: codes, dictionary: dictionary)
  }

  /// A column of `count` missing values of the given type.
  public static func missing(_ type: ColumnType, count: Int) -> Column {
    switch type {
    case .int: return Column(ints: Array(repeating: missingInt, count: count))
    case .double: return Column(doubles: Array(repeating: .nan, count: count))
    case .string: return Column(codes: Array(repeating: -1, count: count), dictionary: [])
    }
  }

  public var type: ColumnType {
    switch storage {
    case .int: return .int
    case .double: return .double
    case .string: return .string
    }
  }

  public var count: Int {
    switch storage {
    case .int(let v): return v.count
    case .double(let v): return v.count
    case .string(let c, _): return c.count
    }
  }

  /// The value at `row` (0-based). `row` must be in range (a programmer invariant).
  public subscript(row: Int) -> Value {
    switch storage {
    case .int(let v):
      let x = v[row]
      return x == Column.missingInt ? .missing : .int(x)
    case .double(let v):
      let x = v[row]
      return x.isNaN ? .missing : .double(x)
    case .string(let codes, let dictionary):
      let c = codes[row]
      return c < 0 ? .missing : .string(dictionary[Int(c)])
    }
  }

  public func isMissing(_ row: Int) -> Bool {
    switch storage {
    case .int(let v): return v[row] == Column.missingInt
    case .double(let v): return v[row].isNaN
    case .string(let c, _): return c[row] < 0
    }
  }

  /// How many values are missing.
  public var missingCount: Int {
    switch storage {
    case .int(let v): return v.reduce(0) { $0 &+ ($1 == Column.missingInt ? 1 : 0) }
    case .double(let v): return v.reduce(0) { $0 &+ ($1.isNaN ? 1 : 0) }
    case .string(let c, _): return c.reduce(0) { $0 &+ ($1 < 0 ? 1 : 0) }
    }
  }

  /// The numeric value at `row` as `Double` (`nil` if missing or a string).
  public func number(at row: Int) -> Double? {
    switch storage {
    case .int(let v):
      let x = v[row]
      return x == Column.missingInt ? nil : Double(x)
    case .double(let v):
      let x = v[row]
      return x.isNaN ? nil : x
    case .string: return nil
    }
  }

  /// The rows at `indices`, in that order (rows may repeat).
  /// - Complexity: O(indices.count); string dictionaries are kept as they are.
  public func gathering(_ indices: [Int]) -> Column {
    switch storage {
    case .int(let v): return Column(ints: indices.map { v[$0] })
    case .double(let v): return Column(doubles: indices.map { v[$0] })
    case .string(let c, let d): return Column(codes: indices.map { c[$0] }, dictionary: d)
    }
  }

  /// Bytes the column's values occupy in memory (8 per int or double, 4 per
  /// string code plus the dictionary's UTF-8 bytes).
  public var byteSize: Int {
    switch storage {
    case .int(let v): return v.count * 8
    case .double(let v): return v.count * 8
    case .string(let c, let d): return c.count * 4 + d.reduce(0) { $0 + $1.utf8.count + 16 }
    }
  }

  /// This column as doubles (ints widened, missing as NaN); `nil` for a string column.
  public var doubles: [Double]? {
    switch storage {
    case .int(let v): return v.map { $0 == Column.missingInt ? .nan : Double($0) }
    case .double(let v): return v
    case .string: return nil
    }
  }

  /// Builds a column from values, choosing the narrowest type that holds them
  /// all (int, then double, then string); all-missing becomes a string column.
  public init(values: [Value]) {
    var sawDouble = false
    var sawString = false
    var sawInt = false
    for v in values {
      switch v {
      case .int: sawInt = true
      case .double: sawDouble = true
      case .string: sawString = true
      case .missing: break
      }
    }
    if sawString || (!sawInt && !sawDouble) {
      self.init(
        strings: values.map { v -> String? in
          if case .missing = v { return nil }
          return v.description
        })
    } else if sawDouble {
      self.init(doubles: values.map { $0.number ?? .nan })
    } else {
      self.init(
        ints: values.map { v in
          if case .int(let x) = v { return x }
          return Column.missingInt
        })
    }
  }
}
