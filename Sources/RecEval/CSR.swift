/// Compressed sparse rows: for each row (a user, or an item), its column indices in
/// ascending order, with the event (row of the interaction data) each came from.
///
/// Row `r` spans `offsets[r]..<offsets[r + 1]` of `columns` and `events`.
/// Built by two counting sorts (by column, then stably by row), so ties keep event order.
/// - Complexity: O(events + rows + columns) to build.
public struct CSR: Sendable, Equatable {
  public let offsets: [Int]
  public let columns: [Int32]
  public let events: [Int32]

  /// Builds the CSR of `rows.count` events with `rowIndex[e]` in `0..<rowCount` and
  /// `columnIndex[e]` in `0..<columnCount` (programmer invariants).
  public init(rows rowIndex: [Int32], columns columnIndex: [Int32], rowCount: Int, columnCount: Int) {
    let n = rowIndex.count
    // Pass 1: events ordered by column.
    var colStart = [Int](repeating: 0, count: columnCount + 1)
    for c in columnIndex { colStart[Int(c) + 1] += 1 }
    for c in 0..<columnCount { colStart[c + 1] += colStart[c] }
    var byColumn = [Int32](repeating: 0, count: n)
    var fill = colStart
    for e in 0..<n {
      let c = Int(columnIndex[e])
      byColumn[fill[c]] = Int32(e)
      fill[c] += 1
    }
    // Pass 2: stable by row, so each row's columns come out ascending.
    var offsets = [Int](repeating: 0, count: rowCount + 1)
    for r in rowIndex { offsets[Int(r) + 1] += 1 }
    for r in 0..<rowCount { offsets[r + 1] += offsets[r] }
    var columns = [Int32](repeating: 0, count: n)
    var events = [Int32](repeating: 0, count: n)
    var at = offsets
    for e in byColumn {
      let r = Int(rowIndex[Int(e)])
      columns[at[r]] = columnIndex[Int(e)]
      events[at[r]] = e
      at[r] += 1
    }
    self.offsets = offsets
    self.columns = columns
    self.events = events
  }

  public var rowCount: Int { offsets.count - 1 }

  /// The columns of row `r`, ascending.
  public func columns(ofRow r: Int) -> ArraySlice<Int32> { columns[offsets[r]..<offsets[r + 1]] }

  /// The events of row `r`, in the order of ``columns(ofRow:)``.
  public func events(ofRow r: Int) -> ArraySlice<Int32> { events[offsets[r]..<offsets[r + 1]] }

  /// How many entries row `r` has.
  public func count(ofRow r: Int) -> Int { offsets[r + 1] - offsets[r] }

  /// Whether row `r` contains column `c` (binary search).
  public func contains(row r: Int, column c: Int32) -> Bool {
    var lo = offsets[r]
    var hi = offsets[r + 1]
    while lo < hi {
      let mid = (lo + hi) / 2
      if columns[mid] < c { lo = mid + 1 } else { hi = mid }
    }
    return lo < offsets[r + 1] && columns[lo] == c
  }
}
