/// `compare`: several reports side by side, best first by one metric.
public struct Leaderboard: Sendable {
  /// The column labels (metric labels of the first report, in its order).
  public var columns: [String]
  /// One row per model: its name and values (with standard errors) in column order.
  public var rows: [(model: String, values: [MetricValue?])]
  /// The metric the rows are sorted by (descending; ascending for RMSE and MAE).
  public var sortedBy: Metric?
  public var warnings: [EvalWarning]

  /// Ranks `reports` by `metric` (default: the first metric of the first report); ties keep
  /// the given order. Reports made under different protocols get a warning, since their
  /// numbers are not comparable.
  public init(_ reports: [EvaluationReport], by metric: Metric? = nil) {
    let first = reports.first
    let sortMetric = metric ?? first?.values.first?.metric
    columns = first?.values.map(\.label) ?? []
    let metrics = first?.values.map(\.metric) ?? []
    let lowerIsBetter = sortMetric == .rmse || sortMetric == .mae
    let indexed = reports.enumerated().map { ($0.offset, $0.element) }
    let sorted = indexed.sorted { a, b in
      let x = sortMetric.flatMap { a.1.value($0) } ?? -.infinity
      let y = sortMetric.flatMap { b.1.value($0) } ?? -.infinity
      if x != y { return lowerIsBetter ? x < y : x > y }
      return a.0 < b.0
    }
    rows = sorted.map { (_, r) in
      (r.model, metrics.map { m in r.values.first { $0.metric == m } })
    }
    sortedBy = sortMetric
    let keys = Set(reports.map(\.card.comparableKey))
    warnings = keys.count > 1 ? [.differentProtocols("split, candidates, k or tie rule differ")] : []
  }
}
