import Dispatch
import Foundation

/// `evaluate`: scores every test user, ranks, and computes the metrics with standard errors.
///
/// Users are split into fixed chunks spread over the worker threads; each user's result goes
/// to its own slot and the reduction runs in user order, so the numbers do not depend on the
/// thread count.
public enum Evaluator {
  /// One user's outcome, the input of every metric.
  struct UserResult: Sendable {
    var user: Int
    /// The top-k list (dense item indices; -1 for an id the split does not know).
    var list: [Int32]
    /// 0-based positions of hits in `list`.
    var hits: [Int]
    var relevant: Int
    var auc: Double?
    var squaredError = 0.0
    var absoluteError = 0.0
    var ratings = 0
  }

  /// Evaluates `scorer` on `split` under `options`.
  /// - Complexity: one `score` call, an O(items) top-k scan and per-user metric work per test user.
  public static func evaluate(
    _ scorer: some ItemScorer, on split: Split, options: EvaluationOptions = .init()
  )
    throws(EvalError) -> EvaluationReport
  {
    let (history, target) = try parts(split, options)
    let users = (0..<target.userCount).filter { target.byUser.count(ofRow: $0) > 0 }
    let wantAUC = options.metrics.contains(.auc)
    let wantRatings = options.metrics.contains { $0.isRatingMetric }
    if wantRatings && target.rating == nil { throw .missingRole(role: "rating", neededBy: "RMSE and MAE") }
    if case .sampled(let c) = options.ranking, c.negatives.count != target.userCount {
      throw .candidateMismatch(
        path: c.source, line: 0, message: "the candidates were made for a split with another user map")
    }
    let k = options.k
    let itemCount = target.itemCount
    // 32 users x 3,706 items of Float is 474 KB: the block stays in L2 while it is ranked.
    let blockSize = 32
    var results = [UserResult?](repeating: nil, count: users.count)
    results.withUnsafeMutableBufferPointer { out in
      let slots = Slots(out)
      forEachChunk(count: users.count, threads: options.threads) { range in
        var scores = [Float](repeating: 0, count: itemCount)
        var list = [Int32]()
        // Score blocks of users in one call (one matrix product for factor models).
        var block = [Float]()
        var blockStart = range.lowerBound
        for j in range {
          let u = users[j]
          if j == blockStart || j - blockStart >= blockSize {
            blockStart = j
            let b = Array(users[j..<min(range.upperBound, j + blockSize)])
            if block.count < b.count * itemCount { block = [Float](repeating: 0, count: b.count * itemCount) }
            scorer.score(users: b, itemCount: itemCount, into: &block)
          }
          let off = (j - blockStart) * itemCount
          for i in 0..<itemCount { scores[i] = block[off + i] }
          let relevantItems = Array(Set(target.byUser.columns(ofRow: u))).sorted()
          var r: UserResult
          switch options.ranking {
          case .full:
            let seen = history.byUser.columns(ofRow: u)
            scores.withUnsafeBufferPointer { TopK.select($0, k: k, excluding: seen, into: &list) }
            r = UserResult(user: u, list: list, hits: [], relevant: 0)
            // A test item the user also has in train can never be recommended; it still counts
            // as relevant (as protocol.py does).
            r.relevant = relevantItems.count
            r.hits = list.indices.filter { relevantItems.contains(list[$0]) }
            if wantAUC {
              var pos = [Float]()
              var neg = [Float]()
              var si = seen.startIndex
              for i in 0..<itemCount {
                while si < seen.endIndex && Int(seen[si]) < i { si += 1 }
                if si < seen.endIndex && Int(seen[si]) == i { continue }
                let s = scores[i].isNaN ? -Float.infinity : scores[i]
                if relevantItems.contains(Int32(i)) { pos.append(s) } else { neg.append(s) }
              }
              neg.sort()
              r.auc = RankingMetrics.auc(positives: pos, sortedNegatives: neg)
            }
          case .sampled(let c):
            // Candidates: (score, isNegative, item); best first, a negative before a test
            // item of equal score (pessimistic ties), then the smaller item.
            var cand = [(Float, Bool, Int32)]()
            for i in relevantItems {
              cand.append((scores[Int(i)].isNaN ? -.infinity : scores[Int(i)], false, i))
            }
            for i in c.negatives[u] {
              cand.append((scores[Int(i)].isNaN ? -.infinity : scores[Int(i)], true, i))
            }
            cand.sort { a, b in
              if a.0 != b.0 { return a.0 > b.0 }
              if a.1 != b.1 { return a.1 }
              return a.2 < b.2
            }
            let top = cand.prefix(k)
            r = UserResult(
              user: u, list: top.map(\.2), hits: top.indices.filter { !cand[$0].1 },
              relevant: relevantItems.count)
            if wantAUC {
              let pos = cand.filter { !$0.1 }.map(\.0)
              let neg = cand.filter { $0.1 }.map(\.0).sorted()
              r.auc = RankingMetrics.auc(positives: pos, sortedNegatives: neg)
            }
          }
          if wantRatings, let ratings = target.rating {
            for e in target.byUser.events(ofRow: u) {
              let d = Double(scores[Int(target.item[Int(e)])]) - ratings[Int(e)]
              r.squaredError += d * d
              r.absoluteError += abs(d)
              r.ratings += 1
            }
          }
          slots.set(j, r)
        }
      }
    }
    var report = aggregate(
      results.compactMap { $0 }, model: scorer.name, split: split, history: history, options: options)
    if case .sampled(let c) = options.ranking {
      report.warnings.append(.sampledMetricsOverstate(negatives: c.count))
    }
    return report
  }

  /// Evaluates ranked lists made elsewhere (dense user -> dense items, best first; -1 for an
  /// item the split does not know), exactly as the shared protocol's `eval_topk`: drop the
  /// user's train items, drop repeats, cut at k; a missing user is a miss.
  public static func evaluate(
    rankedLists: [Int: [Int32]], model: String, on split: Split, options: EvaluationOptions = .init()
  ) throws(EvalError) -> EvaluationReport {
    let (history, target) = try parts(split, options)
    let k = options.k
    var issues = ListIssues(trainItemsInLists: 0, usersMissing: 0, shortLists: 0)
    var results = [UserResult]()
    for u in 0..<target.userCount where target.byUser.count(ofRow: u) > 0 {
      let relevantItems = Array(Set(target.byUser.columns(ofRow: u))).sorted()
      var clean = [Int32]()
      if let l = rankedLists[u] {
        for i in l {
          if i >= 0 && history.byUser.contains(row: u, column: i) {
            issues.trainItemsInLists += 1
            continue
          }
          if clean.contains(i) { continue }
          clean.append(i)
          if clean.count == k { break }
        }
        if clean.count < k { issues.shortLists += 1 }
      } else {
        issues.usersMissing += 1
      }
      let hits = clean.indices.filter { relevantItems.contains(clean[$0]) }
      results.append(
        UserResult(user: u, list: clean.filter { $0 >= 0 }, hits: hits, relevant: relevantItems.count))
    }
    var report = aggregate(results, model: model, split: split, history: history, options: options)
    report.listIssues = issues
    report.card.candidates = "ranked lists supplied by the model (train items removed, repeats dropped)"
    return report
  }

  /// The history (items to exclude) and the held-out part for `options.target`.
  static func parts(_ split: Split, _ options: EvaluationOptions) throws(EvalError) -> (
    Interactions, Interactions
  ) {
    guard options.k > 0 else { throw .invalidK(options.k) }
    switch options.target {
    case .test: return (split.history, split.test)
    case .validation:
      guard let v = split.validation else {
        throw .invalidArgument(
          "split '\(split.name)' has no validation part; split again with validation=...")
      }
      return (split.train, v)
    }
  }

  static func aggregate(
    _ results: [UserResult], model: String, split: Split, history: Interactions, options: EvaluationOptions
  ) -> EvaluationReport {
    let k = options.k
    let itemCount = history.itemCount
    let itemEvents = (0..<itemCount).map { history.byItem.count(ofRow: $0) }
    var itemUsers = [Int](repeating: 0, count: itemCount)
    for i in 0..<itemCount { itemUsers[i] = Set(history.byItem.columns(ofRow: i)).count }
    let trainUsers = history.activeUserCount

    func values(_ rs: [UserResult]) -> [MetricValue] {
      options.metrics.map { m in
        let label = m.label(k: k)
        func perUser(_ f: (UserResult) -> Double?) -> MetricValue {
          let (v, se) = meanAndStandardError(rs.compactMap(f))
          return MetricValue(metric: m, label: label, value: v, standardError: se)
        }
        switch m {
        case .hr: return perUser { RankingMetrics.hitRate(hits: $0.hits, k: k) }
        case .precision: return perUser { RankingMetrics.precision(hits: $0.hits, k: k) }
        case .recall: return perUser { RankingMetrics.recall(hits: $0.hits, relevant: $0.relevant, k: k) }
        case .ndcg: return perUser { RankingMetrics.ndcg(hits: $0.hits, relevant: $0.relevant, k: k) }
        case .map:
          return perUser { RankingMetrics.averagePrecision(hits: $0.hits, relevant: $0.relevant, k: k) }
        case .mrr: return perUser { RankingMetrics.reciprocalRank(hits: $0.hits, k: k) }
        case .auc: return perUser { $0.auc }
        case .coverage:
          return MetricValue(
            metric: m, label: label,
            value: CatalogueMetrics.coverage(lists: rs.map(\.list), itemCount: itemCount),
            standardError: nil)
        case .novelty:
          return MetricValue(
            metric: m, label: label,
            value: CatalogueMetrics.novelty(lists: rs.map(\.list), itemUsers: itemUsers, users: trainUsers),
            standardError: nil)
        case .avgpop:
          return MetricValue(
            metric: m, label: label,
            value: CatalogueMetrics.averagePopularity(lists: rs.map(\.list), itemEvents: itemEvents),
            standardError: nil)
        case .gini:
          return MetricValue(
            metric: m, label: label,
            value: CatalogueMetrics.gini(lists: rs.map(\.list), itemCount: itemCount),
            standardError: nil)
        case .rmse, .mae:
          let n = rs.reduce(0) { $0 + $1.ratings }
          let s = rs.reduce(0.0) { $0 + (m == .rmse ? $1.squaredError : $1.absoluteError) }
          let v = n > 0 ? (m == .rmse ? sqrt(s / Double(n)) : s / Double(n)) : .nan
          return MetricValue(metric: m, label: label, value: v, standardError: nil)
        }
      }
    }

    var breakdown = [BucketReport]()
    if let b = options.buckets {
      for (bi, name) in b.names.enumerated() {
        let rs = results.filter { b.bucket(history.byUser.count(ofRow: $0.user)) == bi }
        breakdown.append(BucketReport(name: name, users: rs.count, values: values(rs)))
      }
    }
    let candidates: String
    let tieRule: String
    switch options.ranking {
    case .full:
      candidates = "full ranking: all \(itemCount) items minus the user's train items"
      tieRule = "equal scores rank the smaller item id first"
    case .sampled(let c):
      candidates = "sampled: test items against \(c.count) negatives (\(c.source))"
      tieRule = "a negative with the test item's score ranks above it (pessimistic)"
    }
    var card = ProtocolCard(
      split: split.name, sizes: split.summary, target: options.target,
      filters: "\(results.count) users with at least one \(options.target.rawValue) item",
      candidates: candidates,
      k: k, tieRule: tieRule, formulas: options.metrics.map { "\($0.label(k: k)): \($0.formula)" })
    card.method = split.methodDescription
    card.dataFilters = split.dataFilters
    return EvaluationReport(
      model: model, values: values(results), card: card, users: results.count, breakdown: breakdown,
      warnings: split.warnings, listIssues: nil)
  }

  /// Runs `body` over fixed chunks of `0..<count` on up to `threads` workers.
  static func forEachChunk(count: Int, threads: Int, _ body: (Range<Int>) -> Void) {
    // 8 chunks whatever the thread count: balances uneven users over 2 workers.
    let chunks = count >= 64 ? 8 : 1
    let workers = max(1, min(threads, chunks))
    @Sendable func range(_ c: Int) -> Range<Int> { (count * c / chunks)..<(count * (c + 1) / chunks) }
    if workers == 1 {
      for c in 0..<chunks { body(range(c)) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = SendableBox(body)
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        var c = w
        while c < chunks {
          box.value(range(c))
          c += workers
        }
      }
    }
  }
}

/// Disjoint result slots written by concurrent workers (each user index by one worker only).
struct Slots<T>: @unchecked Sendable {
  let base: UnsafeMutableBufferPointer<T?>
  init(_ base: UnsafeMutableBufferPointer<T?>) { self.base = base }
  func set(_ i: Int, _ v: T) { base[i] = v }
}

/// Carries a closure into concurrent workers; safe because the chunks touch disjoint memory.
struct SendableBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
