import RecData

/// The metrics `evaluate` can report, each with the exact formula `help metric NAME` prints.
///
/// Ranking metrics are per user and averaged over evaluated users (users with at least one
/// test item); `hits` are the 0-based positions `p` in the user's top-k list `L` (after
/// removing train items) that hold a test item, `R` is the user's set of test items.
public enum Metric: String, CaseIterable, Sendable, Equatable {
  case hr, precision, recall, ndcg, map, mrr, auc
  case coverage, novelty, avgpop, gini
  case rmse, mae

  /// The default set for a ranking evaluation.
  public static let defaultRanking: [Metric] = [.hr, .precision, .recall, .ndcg, .map, .mrr]

  /// The name shown in a table header (`NDCG@10`).
  public func label(k: Int) -> String {
    switch self {
    case .hr: return "HR@\(k)"
    case .precision: return "Precision@\(k)"
    case .recall: return "Recall@\(k)"
    case .ndcg: return "NDCG@\(k)"
    case .map: return "MAP@\(k)"
    case .mrr: return "MRR@\(k)"
    case .auc: return "AUC"
    case .coverage: return "Coverage@\(k)"
    case .novelty: return "Novelty@\(k)"
    case .avgpop: return "AvgPop@\(k)"
    case .gini: return "Gini@\(k)"
    case .rmse: return "RMSE"
    case .mae: return "MAE"
    }
  }

  /// Whether the metric is a per-user mean (and so has a standard error).
  public var isPerUser: Bool {
    switch self {
    case .hr, .precision, .recall, .ndcg, .map, .mrr, .auc: return true
    case .coverage, .novelty, .avgpop, .gini, .rmse, .mae: return false
    }
  }

  /// Whether the metric needs predicted ratings (explicit data).
  public var isRatingMetric: Bool { self == .rmse || self == .mae }

  /// The exact formula and denominators, as `help metric NAME` prints them.
  public var formula: String {
    switch self {
    case .hr:
      return "HR@k = mean over users of [ |L ∩ R| > 0 ]   (1 if any test item is in the top k, else 0)"
    case .precision:
      return
        "Precision@k = mean over users of |L ∩ R| / k   (denominator k even when fewer than k items remain)"
    case .recall:
      return "Recall@k = mean over users of |L ∩ R| / |R|"
    case .ndcg:
      return
        "NDCG@k = mean over users of DCG / IDCG, DCG = Σ_{p in hits} 1/log2(p + 2) (p 0-based),"
        + " IDCG = Σ_{p=0}^{min(|R|,k)-1} 1/log2(p + 2)"
    case .map:
      return
        "MAP@k = mean over users of (1 / min(|R|, k)) Σ_{p in hits} (hits at or above p) / (p + 1)   (p 0-based)"
    case .mrr:
      return
        "MRR@k = mean over users of 1 / (p₁ + 1), p₁ the first hit (0-based); 0 when no test item is in the top k"
    case .auc:
      return
        "AUC = mean over users of (1/(|R| |N|)) Σ_{i in R} Σ_{j in N} ([s_i > s_j] + ½[s_i = s_j]),"
        + " N the candidates that are not test items (all items outside train under full ranking)"
    case .coverage:
      return "Coverage@k = |∪ over users of L| / |I|   (I the catalogue: every item of the data)"
    case .novelty:
      return
        "Novelty@k = mean over all recommended (user, item) of -log2(pop(i) / |U_train|),"
        + " pop(i) = train users of item i (train plus validation when the split has one), with pop(i) = 1 for items never in train"
    case .avgpop:
      return
        "AvgPop@k = mean over all recommended (user, item) of pop(i), pop(i) = train events of item i (train plus validation when the split has one)"
    case .gini:
      return
        "Gini@k = Σ_{j=1}^{|I|} (2j - |I| - 1) e_(j) / (|I| Σ e), e_(j) the exposure counts (times in a top-k list)"
        + " of all catalogue items sorted ascending; 0 = equal exposure, (|I| - 1) / |I| = one item takes all"
    case .rmse: return "RMSE = sqrt( mean over test events of (ŝ(u,i) - r(u,i))² )   (ŝ the model's score)"
    case .mae: return "MAE = mean over test events of |ŝ(u,i) - r(u,i)|   (ŝ the model's score)"
    }
  }

  /// The metric called `name` (case-insensitive; `hit`, `hitrate`, `p`, `r` accepted), or
  /// ``EvalError/unknownMetric(name:suggestions:)`` with the closest names.
  public static func named(_ name: String) throws(EvalError) -> Metric {
    let n = name.lowercased()
    // `ndcg@10` names the cut-off too; the metric is the part before `@`.
    let base = n.split(separator: "@", maxSplits: 1).first.map(String.init) ?? n
    if let m = Metric(rawValue: base) { return m }
    let aliases: [String: Metric] = [
      "hit": .hr, "hitrate": .hr, "hit_rate": .hr, "p": .precision, "r": .recall, "ap": .map,
      "popularity": .avgpop, "averagepopularity": .avgpop,
    ]
    if let m = aliases[base] { return m }
    throw .unknownMetric(name: name, suggestions: Suggest.closest(to: base, in: allCases.map(\.rawValue)))
  }
}
