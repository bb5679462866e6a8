import Foundation

/// One metric's value, with its standard error over users when it is a per-user mean.
public struct MetricValue: Sendable, Equatable {
  public var metric: Metric
  public var label: String
  public var value: Double
  /// `std(ddof=1) / sqrt(n)` over users; `nil` for aggregate metrics or fewer than 2 users.
  public var standardError: Double?

  public init(metric: Metric, label: String, value: Double, standardError: Double?) {
    self.metric = metric
    self.label = label
    self.value = value
    self.standardError = standardError
  }
}

/// What was evaluated and how: printed under every metrics table so numbers can be compared.
public struct ProtocolCard: Sendable, Equatable {
  public var split: String
  /// How the split was made (`leave-one-out, seed 42`).
  public var method: String = ""
  /// The filters applied to the data before the split, when known.
  public var dataFilters: [String] = []
  public var sizes: SplitSummary
  public var target: EvaluationTarget
  public var filters: String
  public var candidates: String
  public var k: Int
  public var tieRule: String
  /// `(label, formula)` of each reported metric.
  public var formulas: [String]

  /// The card as text lines.
  public var lines: [String] {
    var l = [
      "split: \(split)" + (method.isEmpty || method == split ? "" : ", \(method)")
        + " (train \(sizes.trainRows) rows, test \(sizes.testRows) rows"
        + (sizes.validationRows.map { ", validation \($0) rows" } ?? "") + ")"
    ]
    if !dataFilters.isEmpty { l.append("filters: " + dataFilters.joined(separator: "; ")) }
    l += [
      "evaluated on: \(target.rawValue); users: \(filters)",
      "candidates: \(candidates)",
      "k: \(k); ties: \(tieRule)",
    ]
    l.append(contentsOf: formulas)
    return l
  }

  /// The parts that must agree for two reports to be comparable.
  var comparableKey: String { "\(split)|\(target)|\(candidates)|\(k)|\(tieRule)" }
}

/// Counts from evaluating ranked lists produced outside Recbook (protocol.py's checks).
public struct ListIssues: Sendable, Equatable {
  /// List entries that were train items of the user (removed before cutting at k).
  public var trainItemsInLists: Int
  /// Test users without a list (counted as misses).
  public var usersMissing: Int
  /// Users whose cleaned list is shorter than k.
  public var shortLists: Int
}

/// Metrics for one model under one protocol, for one group of users.
public struct BucketReport: Sendable, Equatable {
  public var name: String
  public var users: Int
  public var values: [MetricValue]
}

/// The result of `evaluate`: a table of metrics with standard errors and the protocol card.
public struct EvaluationReport: Sendable {
  public var model: String
  public var values: [MetricValue]
  public var card: ProtocolCard
  /// Users evaluated (with at least one test item).
  public var users: Int
  public var breakdown: [BucketReport]
  public var warnings: [EvalWarning]
  public var listIssues: ListIssues?

  /// The value of `metric`, if it was computed.
  public func value(_ metric: Metric) -> Double? { values.first { $0.metric == metric }?.value }
  /// The standard error of `metric`, if it has one.
  public func standardError(_ metric: Metric) -> Double? {
    values.first { $0.metric == metric }?.standardError
  }
}

/// Mean and standard error (`ddof = 1`) of per-user values.
func meanAndStandardError(_ x: [Double]) -> (Double, Double?) {
  let n = Double(x.count)
  guard !x.isEmpty else { return (0, nil) }
  let mean = x.reduce(0, +) / n
  guard x.count > 1 else { return (mean, nil) }
  let v = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
  return (mean, sqrt(v) / sqrt(n))
}
