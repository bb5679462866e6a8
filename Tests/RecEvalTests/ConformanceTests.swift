import Foundation
import RecData
import TestSupport
import Testing

@testable import RecEval

/// Recbook reproduces the shared protocol's numbers for every peer's ranked output
/// (../shared/bench/peers), to 1e-6.
@Suite(.enabled(if: Peers.has, Comment(rawValue: Peers.missing)))
struct ConformanceTests {
  static let p1Systems = [
    "popularity", "implicit_als", "implicit_bpr", "implicit_itemknn", "lightfm_warp", "surprise_svd_ranking",
    "torch_neumf", "torch_gru4rec",
  ]

  @Test(arguments: p1Systems)
  func fullRankingListsReproduceResults(system: String) throws {
    let split = try Peers.looSplit()
    let text = try String(contentsOfFile: Peers.dir + "/out/\(system)/p1_topk.tsv", encoding: .utf8)
    var lists = [Int: [Int32]]()
    for line in text.split(separator: "\n") {
      let f = line.split(separator: "\t")
      guard let u = split.test.users.index(ofText: f[0]) else { continue }
      lists[u] = f.dropFirst().map { Int32(split.test.items.index(ofText: $0) ?? -1) }
    }
    let r = try Evaluator.evaluate(
      rankedLists: lists, model: system, on: split, options: EvaluationOptions(k: 10, metrics: [.hr, .ndcg]))
    let hr = try #require(try Peers.result(system, "loo-full", "HR@10"))
    let ndcg = try #require(try Peers.result(system, "loo-full", "NDCG@10"))
    let hrSE = try #require(try Peers.result(system, "loo-full", "HR@10_se"))
    #expect(abs((r.value(.hr) ?? -1) - hr) < 1e-6)
    #expect(abs((r.value(.ndcg) ?? -1) - ndcg) < 1e-6)
    #expect(abs((r.standardError(.hr) ?? -1) - hrSE) < 1e-6)
    #expect(r.users == 943)
    #expect(r.listIssues == ListIssues(trainItemsInLists: 0, usersMissing: 0, shortLists: 0))
  }

  @Test(arguments: p1Systems)
  func sampledScoresReproduceResults(system: String) throws {
    let split = try Peers.looSplit()
    let candidates = try Candidates.read(path: Peers.dir + "/splits/loo_negatives.tsv", for: split)
    #expect(candidates.count == 99)
    let text = try String(contentsOfFile: Peers.dir + "/out/\(system)/p2_scores.tsv", encoding: .utf8)
    var scores = [Int: [(Int, Float)]]()
    for line in text.split(separator: "\n") {
      let f = line.split(separator: "\t")
      guard let u = split.test.users.index(ofText: f[0]), let i = split.test.items.index(ofText: f[1]),
        let s = Float(f[2])
      else { continue }
      scores[u, default: []].append((i, s))
    }
    let r = try Evaluator.evaluate(
      LookupScorer(name: system, scores: scores), on: split,
      options: EvaluationOptions(k: 10, metrics: [.hr, .ndcg], ranking: .sampled(candidates)))
    let hr = try #require(try Peers.result(system, "loo-sampled", "HR@10"))
    let ndcg = try #require(try Peers.result(system, "loo-sampled", "NDCG@10"))
    #expect(abs((r.value(.hr) ?? -1) - hr) < 1e-6)
    #expect(abs((r.value(.ndcg) ?? -1) - ndcg) < 1e-6)
    #expect(r.warnings.contains(.sampledMetricsOverstate(negatives: 99)))
  }

  @Test(.enabled(if: TestPaths.hasML100K, Comment(rawValue: TestPaths.ml100kMissing)))
  func ownLeaveOneOutEqualsTheSharedSplitRowForRow() throws {
    let data = try MovieLens.read(path: TestPaths.ml100k + "/u.data").0
    let all = try Interactions(table: data, roles: Peers.roles)
    let split = try Splitter.split(all, method: .leaveOneOut, seed: 42)
    let cols = ["user", "item", "rating", "timestamp"]
    for (part, file) in [(split.train, "loo_train.tsv"), (split.test, "loo_test.tsv")] {
      let expected = try Peers.readTSV(Peers.dir + "/splits/" + file, columns: cols)
      let got = part.table()
      #expect(got.rowCount == expected.rowCount)
      for c in cols {
        let a = try #require(got.column(c)?.doubles)
        let b = try #require(expected.column(c)?.doubles)
        #expect(a == b, "column \(c) of \(file)")
      }
    }
    #expect(split.summary.testItemsUnseen == 3)  // manifest.json: cold_test_items_p1
  }

  @Test func candidateFileThatDoesNotMatchTheSplitIsATypedError() throws {
    // The validation split's test items differ from loo_test's: line 1 names user 1 with item 102.
    let cols = ["user", "item", "rating", "timestamp"]
    let train = try Peers.readTSV(Peers.dir + "/splits/val_train.tsv", columns: cols)
    let test = try Peers.readTSV(Peers.dir + "/splits/val_test.tsv", columns: cols)
    let parts = try Interactions.build(
      tables: [("val_train", train), ("val_test", test)], roles: Peers.roles)
    let split = Split(name: "val", method: .leaveOneOut, seed: 0, train: parts[0], test: parts[1])
    let path = Peers.dir + "/splits/loo_negatives.tsv"
    #expect(
      throws: EvalError.candidateMismatch(
        path: path, line: 1, message: "item '102' is not a test item of user '1'")
    ) { try Candidates.read(path: path, for: split) }
  }
}
