/// A named, immutable-by-value columnar table: the data every cell works on.
///
/// Columns all have `rowCount` rows. `Table` is a value type whose columns are
/// copy-on-write arrays, so an operation that fails part way leaves the
/// caller's table exactly as it was.
public struct Table: Sendable, Equatable {
  public private(set) var columnNames: [String]
  public private(set) var columns: [Column]

  /// An empty table with no columns.
  public init() {
    columnNames = []
    columns = []
  }

  /// A table from named columns. Names must be distinct and columns equally long
  /// (programmer invariants; user-facing builders check first and throw).
  public init(columns named: [(String, Column)]) {
    columnNames = named.map(\.0)
    columns = named.map(\.1)
    precondition(Set(columnNames).count == columnNames.count, "duplicate column names")
    if let n = columns.first?.count {
      precondition(columns.allSatisfy { $0.count == n }, "columns of different lengths")
    }
  }

  public var rowCount: Int { columns.first?.count ?? 0 }
  public var columnCount: Int { columns.count }

  public func index(of name: String) -> Int? { columnNames.firstIndex(of: name) }

  public func column(_ name: String) -> Column? {
    guard let i = index(of: name) else { return nil }
    return columns[i]
  }

  /// The column called `name`, or ``DataError/unknownColumn`` naming the
  /// closest existing columns.
  public func requireColumn(_ name: String, table: String = "", span: Range<Int>? = nil) throws(DataError)
    -> Column
  {
    guard let c = column(name) else {
      throw .unknownColumn(
        name: name, table: table, suggestions: Suggest.closest(to: name, in: columnNames), span: span)
    }
    return c
  }

  /// A copy with `column` added as `name`, or replacing the column of that name in place.
  public func setting(_ name: String, to column: Column) -> Table {
    precondition(columns.isEmpty || column.count == rowCount, "column length differs from the table's")
    var t = self
    if let i = index(of: name) {
      t.columns[i] = column
    } else {
      t.columnNames.append(name)
      t.columns.append(column)
    }
    return t
  }

  /// A copy without the named columns (names that do not exist are ignored).
  public func removing(_ names: Set<String>) -> Table {
    var t = Table()
    for (n, c) in zip(columnNames, columns) where !names.contains(n) {
      t.columnNames.append(n)
      t.columns.append(c)
    }
    return t
  }

  /// A copy with only the named columns, in the given order.
  public func selecting(columns names: [String]) throws(DataError) -> Table {
    var t = Table()
    for n in names {
      t.columns.append(try requireColumn(n))
      t.columnNames.append(n)
    }
    return t
  }

  /// The rows at `indices`, in that order.
  public func gathering(rows indices: [Int]) -> Table {
    var t = self
    t.columns = columns.map { $0.gathering(indices) }
    return t
  }

  /// The rows where `keep[row]` is true.
  public func filtering(_ keep: [Bool]) -> Table {
    precondition(keep.count == rowCount)
    var idx = [Int]()
    idx.reserveCapacity(rowCount)
    for (i, k) in keep.enumerated() where k { idx.append(i) }
    return gathering(rows: idx)
  }

  /// A copy with column `old` renamed to `new`.
  public func renaming(_ old: String, to new: String) -> Table {
    var t = self
    if let i = index(of: old) { t.columnNames[i] = new }
    return t
  }

  /// The values of one row, in column order.
  public func row(_ r: Int) -> [Value] { columns.map { $0[r] } }

  /// Bytes the columns occupy in memory (see ``Column/byteSize``).
  public var byteSize: Int { columns.reduce(0) { $0 + $1.byteSize } }
}
