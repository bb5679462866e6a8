import Foundation
import TestSupport
import Testing

@testable import Notebook

/// The evaluation cells as a user types them: leakage warnings that follow the split to every
/// evaluation, the cut-off written in a metric name, the weight role, the protocol card, and a
/// temporal cut given as a date.
@Suite struct EvaluationCellTests {
  /// Runs cells that must succeed; returns the last cell's output lines.
  @discardableResult
  static func run(_ runner: inout Runner, _ cells: [String]) -> [String] {
    var last: [String] = []
    for cell in cells {
      switch runner.run(cell) {
      case .success(let lines): last = lines.map(\.text)
      case .failure(let e): Issue.record("'\(cell)' failed: \(e.message)")
      case .empty: last = []
      }
    }
    return last
  }

  static let leak = "leakage:"
  /// A small shop sample every test starts from.
  static let shop = "load ev from sample:shop users=60 items=30 events=800"

  @Test func aFeatureFromAllRowsIsALeakAtSplitAndAtEveryEvaluation() {
    var r = Runner()
    let split = Self.run(
      &r,
      [
        Self.shop, "feature ev.activity = count(user)",
        "split s from ev",
      ])
    #expect(
      split.contains { $0.contains(Self.leak) && $0.contains("activity (in ev) was computed from all rows") })
    let evaluated = Self.run(&r, ["model p = pop", "fit p on s", "evaluate p on s"])
    #expect(evaluated.contains { $0.contains(Self.leak) }, "the warning is repeated by evaluate")
    let compared = Self.run(&r, ["compare p on s"])
    #expect(compared.contains { $0.contains(Self.leak) }, "and by compare")
  }

  @Test func rowLocalPreparationIsNotALeak() {
    var r = Runner()
    let out = Self.run(
      &r,
      [
        Self.shop, "feature ev.hour = hour(ts)",
        "normalize ev.rating method=log1p", "split s from ev", "model p = pop", "fit p on s",
        "evaluate p on s",
      ])
    #expect(!out.contains { $0.contains(Self.leak) })
    // A normalization with statistics over the column is one.
    let minmax = Self.run(&r, ["normalize ev.rating method=minmax", "split s2 from ev"])
    #expect(minmax.contains { $0.contains(Self.leak) && $0.contains("rating (minmax) (in ev) was computed") })
  }

  @Test func theCutOffInAMetricNameIsTheCutOffUsed() {
    var r = Runner()
    Self.run(
      &r,
      [
        Self.shop, "split s from ev", "model p = pop",
        "fit p on s",
      ])
    let at5 = Self.run(&r, ["evaluate p on s metrics=ndcg@5,hr@5"])
    #expect(at5.contains { $0.hasPrefix("NDCG@5") } && at5.contains { $0.hasPrefix("HR@5") })
    #expect(at5.contains { $0.contains("k: 5;") })
    let explicit = Self.run(&r, ["evaluate p on s metrics=ndcg@5 k=5"])
    #expect(explicit.contains { $0.hasPrefix("NDCG@5") })
    for cell in [
      "evaluate p on s metrics=ndcg@5 k=10", "evaluate p on s metrics=ndcg@5,hr@10",
      "compare p on s by=hr@3 k=10",
    ] {
      guard case .failure(let e) = r.run(cell) else {
        Issue.record("'\(cell)' should fail: two cut-offs")
        continue
      }
      #expect(e.message.contains("cut-off"), "\(e.message)")
      #expect(e.span != nil)
    }
    guard case .failure(let bad) = r.run("evaluate p on s metrics=ndcg@x") else {
      Issue.record("ndcg@x should fail")
      return
    }
    #expect(bad.message.contains("whole number"))
  }

  @Test func theProtocolCardNamesTheMethodSeedAndPreparation() {
    var r = Runner()
    let out = Self.run(
      &r,
      [
        Self.shop, "dedupe ev by=user,item",
        "kcore ev min-user=2 min-item=2", "split s from ev seed=7", "model p = pop", "fit p on s",
        "evaluate p on s",
      ])
    #expect(out.contains { $0.contains("split: s, leave-one-out, seed 7") })
    #expect(out.contains { $0.contains("filters: dedupe by=user,item; kcore 2/2") })
  }

  @Test func theWeightRoleWeighsPopularity() throws {
    let dir = TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // a is bought twice, b once with weight 5: by count a leads, by weight b does.
    try "user,item,w\nu1,a,1\nu2,a,1\nu3,b,5\nu4,c,1\n".write(
      to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
    try "user,item,w\nu4,a,1\n".write(
      to: dir.appendingPathComponent("x.csv"), atomically: true, encoding: .utf8)
    var r = Runner()
    Self.run(&r, ["load t from \(dir.path)/t.csv", "load x from \(dir.path)/x.csv", "model p = pop"])
    let weighted = Self.run(&r, ["split s from t test=x weight=w", "fit p on s", "recommend p user=u4 k=1"])
    #expect(weighted.last?.split(separator: " ", omittingEmptySubsequences: true) == ["1", "b", "5"])
    let counted = Self.run(&r, ["split s2 from t test=x", "fit p on s2", "recommend p user=u4 k=1"])
    #expect(counted.last?.split(separator: " ", omittingEmptySubsequences: true) == ["1", "a", "2"])
  }

  @Test func aTemporalCutGivenAsADateIsMidnightUTC() {
    var r = Runner()
    // 2026-02-01T00:00:00Z = 1,769,904,000 s.
    let out = Self.run(
      &r,
      [
        Self.shop,
        "split s from ev method=temporal cut=2026-02-01",
      ])
    #expect(out.first?.contains("temporal cut at 1769904000") == true, "\(out.first ?? "")")
  }
}
