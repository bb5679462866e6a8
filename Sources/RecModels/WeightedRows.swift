import RecEval

/// Interaction data as a sparse matrix of summed weights: for each row (a user, or an item) its
/// distinct columns in ascending order and the sum of the weights of the events at each
/// (row, column), so duplicate rows of the data add up.
///
/// Built from one of `Interactions`' CSRs, whose columns are already ascending with duplicates
/// adjacent. Row `r` spans `offsets[r]..<offsets[r + 1]`.
/// - Complexity: O(events) to build.
struct WeightedRows: Sendable, Codable {
  var offsets: [Int]
  var columns: [Int32]
  var values: [Float]

  /// `weights[e]` is event `e`'s weight (`nil`: every event weighs 1).
  init(_ csr: CSR, weights: [Double]?) {
    var offsets = [Int](repeating: 0, count: csr.rowCount + 1)
    var columns = [Int32]()
    var values = [Float]()
    columns.reserveCapacity(csr.columns.count)
    values.reserveCapacity(csr.columns.count)
    for r in 0..<csr.rowCount {
      var last: Int32 = -1
      for k in csr.offsets[r]..<csr.offsets[r + 1] {
        let c = csr.columns[k]
        let w = Float(weights?[Int(csr.events[k])] ?? 1)
        if c == last {
          values[values.count - 1] += w
        } else {
          columns.append(c)
          values.append(w)
          last = c
        }
      }
      offsets[r + 1] = columns.count
    }
    self.offsets = offsets
    self.columns = columns
    self.values = values
  }

  var rowCount: Int { offsets.count - 1 }
  /// Distinct (row, column) pairs.
  var count: Int { columns.count }

  /// Whether row `r` holds column `c` (binary search).
  @inline(__always)
  func contains(row r: Int, column c: Int32) -> Bool {
    var lo = offsets[r]
    var hi = offsets[r + 1]
    while lo < hi {
      let mid = (lo &+ hi) >> 1
      if columns[mid] < c { lo = mid &+ 1 } else { hi = mid }
    }
    return lo < offsets[r + 1] && columns[lo] == c
  }
}

extension Interactions {
  /// Throws when a weight is negative, NaN or infinite, naming `model` and the first such event
  /// (1-based): confidence-weighted models (ALS, BPR) cannot use it.
  func requireNonNegativeWeights(model: String) throws(ModelError) {
    guard let w = weight, let bad = w.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) else { return }
    throw ModelError("\(model) needs non-negative weights: event \(bad + 1) has weight \(w[bad])")
  }
}
