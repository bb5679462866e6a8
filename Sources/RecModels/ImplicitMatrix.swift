import RecEval

/// The weighted (user x item) implicit-feedback matrix of a training set, duplicates summed,
/// stored twice: by user (row = user, columns = items) and by item (row = item, columns = users).
///
/// Entry `x[u, i]` is the sum over the events of (u, i) of `weight[e]` (1 without a weight role);
/// the rating is never used (implicit models treat every event as a positive). Columns are
/// ascending within each row. The neighbourhood models (`itemknn`, `userknn`) and `ease` read it.
/// - Complexity: O(events + users + items) to build (the CSRs of `Interactions` are already
///   sorted by column, so duplicates are adjacent and merge in one pass).
public struct ImplicitMatrix: Sendable {
  /// Rows of one orientation: row `r` spans `offsets[r]..<offsets[r + 1]` of `indices` and `values`.
  public struct Rows: Sendable, Equatable {
    public var offsets: [Int]
    public var indices: [Int32]
    public var values: [Float]

    public var rowCount: Int { offsets.count - 1 }
    /// How many stored entries row `r` has (0 for a row out of range: a cold user or item).
    public func count(ofRow r: Int) -> Int { r >= 0 && r < rowCount ? offsets[r + 1] - offsets[r] : 0 }
    /// The stored `(column, value)` range of row `r` (empty for a row out of range).
    public func span(ofRow r: Int) -> Range<Int> {
      r >= 0 && r < rowCount ? offsets[r]..<offsets[r + 1] : 0..<0
    }

    /// The same matrix by column: a counting sort, so each new row comes out ascending.
    /// - Complexity: O(entries + columns).
    public func transposed(columnCount: Int) -> Rows {
      var offsets = [Int](repeating: 0, count: columnCount + 1)
      for c in indices { offsets[Int(c) + 1] += 1 }
      for c in 0..<columnCount { offsets[c + 1] += offsets[c] }
      var idx = [Int32](repeating: 0, count: indices.count)
      var val = [Float](repeating: 0, count: indices.count)
      var at = offsets
      for r in 0..<rowCount {
        for p in self.offsets[r]..<self.offsets[r + 1] {
          let c = Int(indices[p])
          idx[at[c]] = Int32(r)
          val[at[c]] = values[p]
          at[c] += 1
        }
      }
      return Rows(offsets: offsets, indices: idx, values: val)
    }

    /// Each value replaced by `f(row, column, value)`, same pattern.
    public func mapValues(_ f: (Int, Int, Float) -> Float) -> Rows {
      var out = self
      for r in 0..<rowCount {
        for p in offsets[r]..<offsets[r + 1] { out.values[p] = f(r, Int(indices[p]), values[p]) }
      }
      return out
    }
  }

  /// Row = user, columns = items.
  public let byUser: Rows
  /// Row = item, columns = users.
  public let byItem: Rows
  public var userCount: Int { byUser.rowCount }
  public var itemCount: Int { byItem.rowCount }
  /// Stored (user, item) pairs: distinct pairs of the events.
  public var entryCount: Int { byUser.indices.count }

  public init(_ data: Interactions) {
    let csr = data.byUser
    var offsets = [Int](repeating: 0, count: data.userCount + 1)
    var idx = [Int32]()
    var val = [Float]()
    idx.reserveCapacity(csr.columns.count)
    val.reserveCapacity(csr.columns.count)
    for u in 0..<data.userCount {
      let start = idx.count
      for p in csr.offsets[u]..<csr.offsets[u + 1] {
        let w = Float(data.weight?[Int(csr.events[p])] ?? 1)
        // Columns are ascending, so a duplicate (u, i) is the previous entry of this row.
        if idx.count > start && idx[idx.count - 1] == csr.columns[p] {
          val[val.count - 1] += w
        } else {
          idx.append(csr.columns[p])
          val.append(w)
        }
      }
      offsets[u + 1] = idx.count
    }
    byUser = Rows(offsets: offsets, indices: idx, values: val)
    byItem = byUser.transposed(columnCount: data.itemCount)
  }

  /// A matrix from its by-user rows (the by-item rows are derived).
  public init(byUser: Rows, itemCount: Int) {
    self.byUser = byUser
    self.byItem = byUser.transposed(columnCount: itemCount)
  }
}
