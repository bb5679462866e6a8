#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What ``Table/normalized(_:method:by:into:)`` did, with the parameters it used, so
/// they can be printed and applied again to new data (``transform(_:group:)``).
public struct NormalizeReport: Sendable, Equatable {
  /// Statistics of a set of values (the whole column, or one group).
  public struct Parameters: Sendable, Equatable {
    /// How many values were present.
    public var count: Int
    public var min: Double
    public var max: Double
    public var mean: Double
    /// Population standard deviation (divides by `count`).
    public var std: Double
    public var total: Double

    public init(count: Int, min: Double, max: Double, mean: Double, std: Double, total: Double) {
      self.count = count
      self.min = min
      self.max = max
      self.mean = mean
      self.std = std
      self.total = total
    }
  }

  public var column: String
  /// The column written (the input column unless `into` was given).
  public var output: String
  public var method: Table.NormalizeMethod
  public var group: String?
  /// The statistics of the whole input column (present values only).
  public var overall: Parameters
  /// Per group value, that group's statistics; empty without `by`.
  public var groups: [Value: Parameters]

  /// `x` normalized with these parameters (those of `group` when grouped; a group
  /// not seen gives `nil`).
  public func transform(_ x: Double, group: Value = .missing) -> Double? {
    let p: Parameters
    if self.group != nil {
      guard let g = groups[group] else { return nil }
      p = g
    } else {
      p = overall
    }
    return Table.normalize(x, method, p)
  }
}

extension Table {
  /// How ``normalized(_:method:by:into:)`` rescales a numeric column.
  public enum NormalizeMethod: String, Sendable, CaseIterable {
    /// `(x - min) / (max - min)`, into [0, 1]; a constant column (or group) becomes 0.
    case minmax
    /// `(x - mean) / std` with the population std; a constant column (or group) becomes 0.
    case zscore
    /// `log(1 + x)`; negative values are an error.
    case log1p
    /// `x / total`, the share of the column (or group) total; a zero total gives 0.
    case sum
    /// `x - mean` of the row's group (a user's mean rating); needs `by`.
    case userMean = "user-mean"
  }

  /// Normalizes a numeric column, over the whole column or, with `by`, within each
  /// group of that column's values (rows with a missing group value become missing).
  ///
  /// The result is a double column that replaces `column`, or is added as `into`.
  /// Missing values stay missing.
  /// - Complexity: O(rows), two passes (statistics, then the transform).
  public func normalized(
    _ column: String, method: NormalizeMethod, by group: String? = nil, into: String? = nil
  )
    throws(DataError) -> (Table, NormalizeReport)
  {
    let col = try requireColumn(column)
    let groupColumn: Column? = try group.map { (g: String) throws(DataError) -> Column in try requireColumn(g)
    }
    guard let x = col.doubles else {
      throw .typeMismatch(message: "cannot normalize string column '\(column)' (it needs numbers)", span: nil)
    }
    if method == .userMean && group == nil {
      throw .invalidArgument("normalize method=user-mean needs by=<group column> (for example by=user)")
    }
    if method == .log1p {
      if group != nil {
        throw .invalidArgument("normalize method=log1p works row by row; drop by=\(group ?? "")")
      }
      let negative = x.count { $0 < 0 }
      if negative > 0 {
        throw .invalidArgument(
          "log1p needs values >= 0, but column '\(column)' has \(negative) negative value\(negative == 1 ? "" : "s")"
        )
      }
    }
    let overall = Table.statistics(x, codes: nil, groupCount: 1)[0]
    var out = [Double](repeating: .nan, count: x.count)
    var groups: [Value: NormalizeReport.Parameters] = [:]
    if let groupColumn {
      let keys = KeyCodes(groupColumn)
      let stats = Table.statistics(x, codes: keys.codes, groupCount: keys.groupCount)
      for r in x.indices {
        let k = Int(keys.codes[r])
        if !keys.isMissing[k] { out[r] = Table.normalize(x[r], method, stats[k]) }
      }
      groups.reserveCapacity(keys.groupCount)
      for k in 0..<keys.groupCount where !keys.isMissing[k] {
        groups[groupColumn[keys.firstRows[k]]] = stats[k]
      }
    } else {
      for r in x.indices { out[r] = Table.normalize(x[r], method, overall) }
    }
    let name = into ?? column
    let report = NormalizeReport(
      column: column, output: name, method: method, group: group, overall: overall, groups: groups)
    return (setting(name, to: Column(doubles: out)), report)
  }

  /// One value normalized with the given parameters (NaN in, NaN out).
  @inline(__always)
  static func normalize(_ x: Double, _ method: NormalizeMethod, _ p: NormalizeReport.Parameters) -> Double {
    switch method {
    case .minmax:
      let range = p.max - p.min
      return range > 0 ? (x - p.min) / range : (x.isNaN ? x : 0)
    case .zscore:
      return p.std > 0 ? (x - p.mean) / p.std : (x.isNaN ? x : 0)
    case .log1p:
      return cLog1p(x)
    case .sum:
      return p.total != 0 ? x / p.total : (x.isNaN ? x : 0)
    case .userMean:
      return x - p.mean
    }
  }

  /// Per-group count, min, max, mean, population std and total of the present
  /// values; all groups in one pass for the sums, a second for the squared deviations
  /// (more accurate than the sum of squares on large counts).
  static func statistics(_ x: [Double], codes: [Int32]?, groupCount: Int) -> [NormalizeReport.Parameters] {
    let codes = codes ?? [Int32](repeating: 0, count: x.count)
    var count = [Int](repeating: 0, count: groupCount)
    var total = [Double](repeating: 0, count: groupCount)
    var lo = [Double](repeating: .infinity, count: groupCount)
    var hi = [Double](repeating: -.infinity, count: groupCount)
    for r in x.indices {
      let v = x[r]
      if v.isNaN { continue }
      let k = Int(codes[r])
      count[k] += 1
      total[k] += v
      if v < lo[k] { lo[k] = v }
      if v > hi[k] { hi[k] = v }
    }
    var mean = [Double](repeating: .nan, count: groupCount)
    for k in 0..<groupCount where count[k] > 0 { mean[k] = total[k] / Double(count[k]) }
    var squares = [Double](repeating: 0, count: groupCount)
    for r in x.indices {
      let v = x[r]
      if v.isNaN { continue }
      let k = Int(codes[r])
      let d = v - mean[k]
      squares[k] += d * d
    }
    return (0..<groupCount).map { k in
      NormalizeReport.Parameters(
        count: count[k], min: count[k] > 0 ? lo[k] : .nan, max: count[k] > 0 ? hi[k] : .nan, mean: mean[k],
        std: count[k] > 0 ? (squares[k] / Double(count[k])).squareRoot() : .nan, total: total[k])
    }
  }
}

@inline(__always) private func cLog1p(_ x: Double) -> Double { log1p(x) }
