import RecEval

/// The most-popular baseline: every user gets the same scores, the number of training
/// events of each item (weighted by the `weight` role if present), optionally counting
/// only events in a recent window (`time >= latest time - window`).
///
/// Codable by synthesis: its state is `window` and `counts` (one `[Float]` block in a model file).
public struct PopularityModel: Recommender, Codable {
  public var window: Double?
  /// Scores by dense item index, after `fit`.
  public private(set) var counts: [Float] = []

  public init(window: Double? = nil) { self.window = window }

  public var name: String { window.map { "pop (window \($0))" } ?? "pop" }
  public var itemCount: Int { counts.count }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    var c = [Float](repeating: 0, count: data.itemCount)
    var from = -Double.infinity
    if let window {
      guard let t = data.time else {
        throw EvalError.missingRole(role: "time", neededBy: "pop with a window")
      }
      guard window > 0 else { throw EvalError.invalidArgument("window must be positive, got \(window)") }
      from = (t.max() ?? 0) - window
    }
    for e in 0..<data.count {
      if let t = data.time, t[e] < from { continue }
      c[Int(data.item[e])] += Float(data.weight?[e] ?? 1)
    }
    counts = c
    context.onProgress(FitProgress(epoch: 1, epochs: 1, fraction: 1))
    return FitReport()
  }

  public func score(user: Int, into scores: inout [Float]) {
    for i in 0..<min(scores.count, counts.count) { scores[i] = counts[i] }
    // Items unknown at fit time (a larger catalogue) score lowest.
    if scores.count > counts.count { for i in counts.count..<scores.count { scores[i] = -.infinity } }
  }
}
