import Foundation
import RecData
import Testing

@testable import RecEval

/// Metrics on hand-made rankings, expected values written as formulas.
@Suite struct MetricTests {
  func dcg(_ positions: [Int]) -> Double { positions.reduce(0) { $0 + 1 / log2(Double($1) + 2) } }

  @Test func oneRelevantItemAtThirdPlace() {
    let hits = [2]
    #expect(RankingMetrics.hitRate(hits: hits, k: 10) == 1)
    #expect(RankingMetrics.hitRate(hits: hits, k: 2) == 0)
    #expect(close(RankingMetrics.precision(hits: hits, k: 5), 1.0 / 5))
    #expect(RankingMetrics.recall(hits: hits, relevant: 1, k: 5) == 1)
    #expect(
      abs(RankingMetrics.ndcg(hits: hits, relevant: 1, k: 5) - (1 / log2(4.0)) / (1 / log2(2.0))) < 1e-12)
    #expect(close(RankingMetrics.averagePrecision(hits: hits, relevant: 1, k: 5), (1.0 / 3) / 1))
    #expect(close(RankingMetrics.reciprocalRank(hits: hits, k: 5), 1.0 / 3))
  }

  @Test func severalRelevantItems() {
    // Relevant at positions 0 and 2 of a top-4 list; 3 relevant items in all.
    let hits = [0, 2]
    let k = 4
    #expect(close(RankingMetrics.precision(hits: hits, k: k), 2.0 / 4))
    #expect(close(RankingMetrics.recall(hits: hits, relevant: 3, k: k), 2.0 / 3))
    let idcg = 1 / log2(2.0) + 1 / log2(3.0) + 1 / log2(4.0)
    #expect(
      abs(RankingMetrics.ndcg(hits: hits, relevant: 3, k: k) - (1 / log2(2.0) + 1 / log2(4.0)) / idcg) < 1e-12
    )
    #expect(
      abs(RankingMetrics.averagePrecision(hits: hits, relevant: 3, k: k) - (1.0 / 1 + 2.0 / 3) / 3) < 1e-12)
    #expect(RankingMetrics.reciprocalRank(hits: hits, k: k) == 1)
  }

  @Test func noRelevantItemInTheList() {
    for k in [1, 5, 10] {
      #expect(RankingMetrics.hitRate(hits: [], k: k) == 0)
      #expect(RankingMetrics.precision(hits: [], k: k) == 0)
      #expect(RankingMetrics.recall(hits: [], relevant: 2, k: k) == 0)
      #expect(RankingMetrics.ndcg(hits: [], relevant: 2, k: k) == 0)
      #expect(RankingMetrics.averagePrecision(hits: [], relevant: 2, k: k) == 0)
      #expect(RankingMetrics.reciprocalRank(hits: [], k: k) == 0)
    }
  }

  @Test func kLargerThanTheList() {
    // A 3-item list (only 3 candidates left), relevant at 1; k = 10: precision keeps k.
    let hits = [1]
    #expect(close(RankingMetrics.precision(hits: hits, k: 10), 1.0 / 10))
    // IDCG uses min(|R|, k) = 2 ideal positions.
    let v = RankingMetrics.ndcg(hits: hits, relevant: 2, k: 10)
    #expect(abs(v - (1 / log2(3.0)) / (1 / log2(2.0) + 1 / log2(3.0))) < 1e-12)
    // MAP normalises by min(|R|, k) = 2.
    #expect(close(RankingMetrics.averagePrecision(hits: hits, relevant: 2, k: 10), (1.0 / 2) / 2))
  }

  @Test func moreRelevantThanK() {
    // 5 relevant, k = 2, both top positions hit: everything is perfect except recall.
    let hits = [0, 1]
    #expect(RankingMetrics.ndcg(hits: hits, relevant: 5, k: 2) == 1)
    #expect(RankingMetrics.averagePrecision(hits: hits, relevant: 5, k: 2) == 1)
    #expect(close(RankingMetrics.recall(hits: hits, relevant: 5, k: 2), 2.0 / 5))
  }

  @Test func aucWithTies() {
    // Positive 0.5 against negatives [0.1, 0.5, 0.9]: beats one, ties one, loses one.
    #expect(close(RankingMetrics.auc(positives: [0.5], sortedNegatives: [0.1, 0.5, 0.9]), (1 + 0.5) / 3))
    // Two positives: 0.95 beats all three; 0.0 beats none.
    #expect(
      close(RankingMetrics.auc(positives: [0.95, 0.0], sortedNegatives: [0.1, 0.5, 0.9]), (3.0 + 0) / 6))
    #expect(RankingMetrics.auc(positives: [], sortedNegatives: [1]) == nil)
  }

  @Test func catalogueMetrics() {
    let lists: [[Int32]] = [[0, 1], [0, 2]]
    #expect(close(CatalogueMetrics.coverage(lists: lists, itemCount: 4), 3.0 / 4))
    // Exposure (2, 1, 1, 0) sorted (0, 1, 1, 2): Σ(2j - n - 1) e_(j) = -3*0 - 1*1 + 1*1 + 3*2 = 6.
    #expect(abs(CatalogueMetrics.gini(lists: lists, itemCount: 4) - 6.0 / (4 * 4)) < 1e-12)
    #expect(CatalogueMetrics.gini([5, 5, 5]) == 0)
    #expect(abs(CatalogueMetrics.gini([0, 0, 0, 9]) - (3.0 * 9) / (4 * 9)) < 1e-12)
    // Item users (2, 1, 0) of 4 train users; item 2 never in train counts as 1 user.
    let nov = CatalogueMetrics.novelty(lists: lists, itemUsers: [2, 1, 0], users: 4)
    #expect(abs(nov - (-log2(2.0 / 4) * 2 - log2(1.0 / 4) - log2(1.0 / 4)) / 4) < 1e-12)
    #expect(
      close(CatalogueMetrics.averagePopularity(lists: lists, itemEvents: [6, 3, 0]), (6.0 + 3 + 6 + 0) / 4))
  }

  @Test func topKBreaksTiesTowardSmallerIndexAndSkipsExcluded() {
    let s: [Float] = [1, 3, 3, .nan, 2, 3, 0]
    #expect(TopK.select(s, k: 3) == [1, 2, 5])
    #expect(TopK.select(s, k: 3, excluding: [2]) == [1, 5, 4])
    #expect(TopK.select(s, k: 10, excluding: [0, 1]) == [2, 5, 4, 6, 3])
    #expect(TopK.select(s, k: 0).isEmpty)
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
  func topKMatchesAFullSort(seed: Int) {
    var g = SeededGenerator(seed: UInt64(seed))
    let n = 50 + g.nextInt(below: 200)
    // Few distinct values so ties are common.
    let s = (0..<n).map { _ in Float(g.nextInt(below: 7)) }
    let excluded = (0..<n).filter { _ in g.nextInt(below: 4) == 0 }.map { Int32($0) }
    let k = 1 + g.nextInt(below: 20)
    let kept: [Int] = (0..<n).filter { !excluded.contains(Int32($0)) }
    let sorted: [Int] = kept.sorted { (a: Int, b: Int) -> Bool in s[a] != s[b] ? s[a] > s[b] : a < b }
    let expected: [Int32] = sorted.prefix(k).map { Int32($0) }
    #expect(TopK.select(s, k: k, excluding: excluded[...]) == expected)
  }

  @Test func metricNamesAndFormulas() throws {
    #expect(try Metric.named("NDCG@10") == .ndcg)
    #expect(try Metric.named("hitrate") == .hr)
    #expect(throws: EvalError.unknownMetric(name: "ndgc", suggestions: ["ndcg"])) { try Metric.named("ndgc") }
    for m in Metric.allCases { #expect(m.formula.count > 20) }
  }
}
