import Foundation
import RecData
import TestSupport
import Testing

@testable import RecEval

/// The evaluator on hand-made scores, its properties, and its errors.
@Suite struct EvaluatorTests {
  /// Two users, five items. User 0: train {0}, test {3}. User 1: train {1, 2}, test {0, 4}.
  func split(explicit: Bool = false) throws -> Split {
    let train = Table(columns: [
      ("user", Column(ints: [0, 1, 1])), ("item", Column(ints: [0, 1, 2])),
      ("rating", Column(doubles: [4, 3, 5])),
    ])
    let test = Table(columns: [
      ("user", Column(ints: [0, 1, 1])), ("item", Column(ints: [3, 0, 4])),
      ("rating", Column(doubles: [2, 4, 1])),
    ])
    let roles = InteractionRoles(rating: explicit ? "rating" : nil)
    let p = try Interactions.build(tables: [("train", train), ("test", test)], roles: roles)
    return Split(name: "hand", method: .leaveOneOut, seed: 0, train: p[0], test: p[1])
  }

  //                        items:  0    1    2    3    4
  let scores: [Float] = [
    0.9, 0.8, 0.7, 0.6, 0.5,  // user 0: after dropping item 0 -> [1, 2, 3, 4]; test 3 at position 2
    0.1, 0.9, 0.9, 0.5, 0.5,  // user 1: after dropping 1, 2 -> [3, 4, 0] (3 before 4 by index); hits at 1, 2
  ]

  @Test func fullRankingOnHandMadeScores() throws {
    let s = try split()
    let r = try Evaluator.evaluate(
      MatrixScorer(items: 5, values: scores), on: s,
      options: EvaluationOptions(
        k: 2, metrics: [.hr, .precision, .recall, .ndcg, .mrr, .map, .auc, .coverage]))
    #expect(close(r.value(.hr), (0 + 1) / 2))
    #expect(close(r.value(.precision), (0 + 1.0 / 2) / 2))
    #expect(close(r.value(.recall), (0 + 1.0 / 2) / 2))
    let idcg1 = 1 / log2(2.0) + 1 / log2(3.0)
    #expect(abs(r.value(.ndcg)! - (0 + (1 / log2(3.0)) / idcg1) / 2) < 1e-12)
    #expect(close(r.value(.mrr), (0 + 1.0 / 2) / 2))
    #expect(close(r.value(.map), (0 + (1.0 / 2) / 2) / 2))
    // AUC user 0: test 0.6 vs negatives {0.8, 0.7, 0.5} -> 1/3; user 1: positives {0.1, 0.5}
    // vs negative {0.5} -> (0 + 0.5) / 2.
    #expect(abs(r.value(.auc)! - (1.0 / 3 + 0.25) / 2) < 1e-12)
    // Lists: user 0 [1, 2], user 1 [3, 4]: 4 of 5 items.
    #expect(close(r.value(.coverage), 4.0 / 5))
    #expect(r.users == 2)
  }

  @Test func sampledRankingCountsTiesAgainstTheModel() throws {
    let s = try split()
    // User 0: test 3 (0.6) vs negatives {1 (0.8), 4 (0.5)}: rank 1. User 1: tests 0 (0.1), 4 (0.5)
    // vs negative 3 (0.5): the tie puts 3 first -> [3, 4, 0]; hits at 1 and 2.
    let c = Candidates(negatives: [[1, 4], [3]], source: "hand")
    let r = try Evaluator.evaluate(
      MatrixScorer(items: 5, values: scores), on: s,
      options: EvaluationOptions(k: 2, metrics: [.hr, .ndcg], ranking: .sampled(c)))
    #expect(r.value(.hr) == 1)
    let idcg1 = 1 / log2(2.0) + 1 / log2(3.0)
    #expect(abs(r.value(.ndcg)! - ((1 / log2(3.0)) / 1 + (1 / log2(3.0)) / idcg1) / 2) < 1e-12)
    #expect(r.warnings.contains(.sampledMetricsOverstate(negatives: 2)))
  }

  @Test func ratingMetrics() throws {
    let s = try split(explicit: true)
    let r = try Evaluator.evaluate(
      MatrixScorer(items: 5, values: scores), on: s, options: EvaluationOptions(metrics: [.rmse, .mae]))
    // Errors: user 0 item 3: 0.6 - 2; user 1 item 0: 0.1 - 4, item 4: 0.5 - 1.
    let d = [Double(Float(0.6)) - 2, Double(Float(0.1)) - 4, Double(Float(0.5)) - 1]
    #expect(abs(r.value(.rmse)! - (d.map { $0 * $0 }.reduce(0, +) / 3).squareRoot()) < 1e-12)
    #expect(abs(r.value(.mae)! - d.map { abs($0) }.reduce(0, +) / 3) < 1e-12)
  }

  @Test func badInputIsATypedError() throws {
    let s = try split()
    let m = MatrixScorer(items: 5, values: scores)
    #expect(throws: EvalError.invalidK(0)) {
      try Evaluator.evaluate(m, on: s, options: EvaluationOptions(k: 0))
    }
    #expect(throws: EvalError.missingRole(role: "rating", neededBy: "RMSE and MAE")) {
      try Evaluator.evaluate(m, on: s, options: EvaluationOptions(metrics: [.rmse]))
    }
    #expect(throws: EvalError.invalidK(-1)) { try Candidates.sample(for: s, count: -1, seed: 1) }
  }

  @Test func metricsStayInRangeAndDoNotDependOnThreads() throws {
    for seed in UInt64(0)..<15 {
      let table = RandomTables.interactions(seed: seed, rows: 600, users: 80, items: 40)
      let d = try Interactions(table: table, roles: InteractionRoles())
      let s = try Splitter.split(d, method: .randomGlobal(ratio: 0.2), seed: seed)
      var g = SeededGenerator(seed: seed)
      let m = MatrixScorer(
        items: d.itemCount, values: (0..<(d.userCount * d.itemCount)).map { _ in Float(g.nextInt(below: 5)) })
      let all: [Metric] = [.hr, .precision, .recall, .ndcg, .map, .mrr, .auc, .coverage, .gini]
      let c = try Candidates.sample(for: s, count: 5, seed: seed)
      for ranking in [RankingProtocol.full, .sampled(c)] {
        let r1 = try Evaluator.evaluate(
          m, on: s, options: EvaluationOptions(k: 5, metrics: all, ranking: ranking, threads: 1))
        let r2 = try Evaluator.evaluate(
          m, on: s, options: EvaluationOptions(k: 5, metrics: all, ranking: ranking, threads: 2))
        #expect(r1.values == r2.values)
        for v in r1.values { #expect(v.value >= 0 && v.value <= 1, "\(v.label) = \(v.value)") }
      }
      // Novelty lies in [0, log2 |U|] (1 <= pop(i) <= |U|); AvgPop in [0, the
      // most train events an item has].
      let open = try Evaluator.evaluate(
        m, on: s, options: EvaluationOptions(k: 5, metrics: [.novelty, .avgpop], threads: 1))
      let history = s.history
      let trainUsers = Double(history.userCount)
      var eventsPerItem = [Int](repeating: 0, count: d.itemCount)
      for i in history.item { eventsPerItem[Int(i)] += 1 }
      let novelty = try #require(open.values.first { $0.metric == .novelty }?.value)
      let avgpop = try #require(open.values.first { $0.metric == .avgpop }?.value)
      #expect(novelty >= 0 && novelty <= log2(trainUsers) + 1e-9, "novelty \(novelty)")
      #expect(avgpop >= 0 && avgpop <= Double(eventsPerItem.max() ?? 0), "avgpop \(avgpop)")
    }
  }

  @Test func breakdownAndLeaderboard() throws {
    let s = try split()
    let m = MatrixScorer(items: 5, values: scores)
    let r = try Evaluator.evaluate(
      m, on: s,
      options: EvaluationOptions(k: 2, metrics: [.hr], buckets: ActivityBuckets(lightFrom: 2, heavyFrom: 3)))
    #expect(r.breakdown.map(\.users) == [1, 1, 0])
    #expect(r.breakdown[0].values[0].value == 0 && r.breakdown[1].values[0].value == 1)
    var better = r
    better.model = "better"
    better.values[0].value = 0.9
    let board = Leaderboard([r, better], by: .hr)
    #expect(board.rows.map(\.model) == ["better", "matrix"])
    #expect(board.warnings.isEmpty)
    // A report at another cut-off is not comparable: the board says so.
    let atThree = try Evaluator.evaluate(m, on: s, options: EvaluationOptions(k: 3, metrics: [.hr]))
    let mixed = Leaderboard([r, atThree], by: .hr)
    #expect(mixed.warnings.contains { if case .differentProtocols = $0 { true } else { false } })
    #expect(r.card.lines.contains { $0.hasPrefix("HR@2: HR@k = ") })
  }
}
