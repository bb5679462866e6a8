import RecData
import RecEval
import RecNN
import Testing

@testable import RecModels

@Suite struct CaserModelTests {
  func small(epochs: Int = 60, seed: UInt64 = 7) -> CaserModel {
    CaserModel(
      length: 3, targets: 2, horizontal: 8, vertical: 2, dim: 16, dropout: 0.1, negatives: 3, epochs: epochs,
      learningRate: 0.01, batch: 32, seed: seed)
  }

  @Test func learnsThePlantedNextItem() throws {
    var m = small()
    let d = try ChainData.make()
    let r = try m.fit(d)
    #expect(r.outcome == .completed)
    // Each training user's next item: after a run ending at e, e + 1 (when there is one).
    var hits = 0
    var total = 0
    for u in 0..<d.userCount {
      let last = Int(d.item[u * 8])  // rows newest first
      guard last < 19 else { continue }
      total += 1
      if m.recommend(for: u, count: 1, excludingSeen: d).first?.item == last + 1 { hits += 1 }
    }
    #expect(total > 10 && Double(hits) >= 0.9 * Double(total), "\(hits) of \(total)")
  }

  @Test func windowsFollowTheReferenceCode() {
    // Long enough: every window of L + T = 4 items, newest first.
    let w = CaserModel.windows(user: 2, sequence: [10, 11, 12, 13, 14], length: 2, targets: 2, padding: 99)
    #expect(w.map(\.inputs) == [[11, 12], [10, 11]])
    #expect(w.map(\.targets) == [[13, 14], [12, 13]])
    #expect(w.allSatisfy { $0.user == 2 })
    // Short: one window padded on the left; a padded target position is no target.
    let s = CaserModel.windows(user: 0, sequence: [10, 11, 12], length: 2, targets: 2, padding: 99)
    #expect(s.map(\.inputs) == [[99, 10]] && s.map(\.targets) == [[11, 12]])
    let t = CaserModel.windows(user: 0, sequence: [10, 11], length: 3, targets: 2, padding: 99)
    #expect(t.map(\.inputs) == [[99, 99, 99]] && t.map(\.targets) == [[10, 11]])
    #expect(CaserModel.windows(user: 0, sequence: [10], length: 3, targets: 2, padding: 99).isEmpty)
  }

  @Test func scoresAnUnseenHistoryFromItsLastItemsAndAColdUser() throws {
    var m = small(epochs: 5)
    let d = try ChainData.make()
    try m.fit(d)
    var long = [Float](repeating: 0, count: 21)
    var last = long
    var shorter = long
    m.score(history: [1, 2, 7, 8, 9], into: &long)
    m.score(history: [7, 8, 9], into: &last)
    m.score(history: [8, 9], into: &shorter)  // padded on the left: another input
    #expect(long == last && last != shorter)
    #expect(last.prefix(20).allSatisfy { $0.isFinite } && last[20] == -.infinity)
    // A cold user reads the padding items and the mean user: the empty history.
    var cold = long
    var empty = long
    m.score(user: 1000, into: &cold)
    m.score(history: [], into: &empty)
    #expect(cold == empty && cold.prefix(20).allSatisfy { $0.isFinite })
  }

  @Test func needsATimeRole() throws {
    var m = small()
    let d = try ChainData.make(time: false)
    do {
      try m.fit(d)
      Issue.record("fit without a time role did not throw")
    } catch let e as ModelError {
      #expect(e.message.contains("caser needs a time role") && e.message.contains("time=COL"))
    }
  }

  @Test func lossDecreases() throws {
    var m = small(epochs: 20)
    let r = try m.fit(try ChainData.make())
    let first = try #require(r.epochs.first?.loss)
    let last = try #require(r.epochs.last?.loss)
    #expect(last < 0.5 * first, "loss \(first) -> \(last)")
  }

  @Test func batchedScoresEqualSingleUserScores() throws {
    let d = try ChainData.make(users: 12)
    var m = small(epochs: 2)
    try m.fit(d)
    var all = [Float](repeating: 0, count: 12 * 21)
    m.score(users: Array(0..<12), itemCount: 21, into: &all)
    var one = [Float](repeating: 0, count: 21)
    for u in 0..<12 {
      m.score(user: u, into: &one)
      for i in 0..<21 {
        #expect(all[u * 21 + i] == one[i] || abs(all[u * 21 + i] - one[i]) <= 1e-5 * max(1, abs(one[i])))
      }
    }
  }

  @Test func optionsBuildTheModel() throws {
    let spec = try #require(ModelCatalog.named("caser"))
    let m = try spec.make(ModelOptions(["length": .int(4), "l2": .double(0), "negatives": .int(5)], seed: 3))
    let c = try #require(m as? CaserModel)
    #expect(c.length == 4 && c.l2 == 0 && c.negatives == 5 && c.seed == 3 && c.dim == 50 && c.targets == 3)
  }
}

/// The whole Caser network's gradients against central finite differences (the layers are
/// checked one by one in RecNNTests; this checks how the model wires them).
@Suite struct CaserGradientTests {
  @Test func networkGradientsMatchFiniteDifferences() {
    let config = CaserModel(length: 3, targets: 2, horizontal: 2, vertical: 2, dim: 4, dropout: 0)
    var rng = SeededGenerator(seed: 5)
    let net = CaserModel.Network(config: config, items: 6, users: 3, weights: nil, using: &rng)
    // Larger weights than the initialisation, so that every path carries a visible gradient.
    for p in net.parameters {
      for i in 0..<p.value.count { p.value.scalars[i] = Float(rng.nextDouble() * 2 - 1) }
    }
    let drop = Dropout(p: 0, seed: 1)
    let windows = [
      CaserModel.Window(user: 0, inputs: [1, 2, 3], targets: [4, 5]),
      CaserModel.Window(user: 2, inputs: [6, 0, 1], targets: [2, -1]),
    ]
    let negatives = [[0, 1, 2, 3], [4, 5]]
    _ = net.step(windows, negatives: negatives, dropout: drop)
    let analytic = net.parameters.map(\.grad.scalars)
    let eps: Float = 1e-2
    var worst = 0.0
    for (k, p) in net.parameters.enumerated() {
      var num = [Double](repeating: 0, count: p.value.count)
      for i in 0..<p.value.count {
        let x = p.value.scalars[i]
        p.value.scalars[i] = x + eps
        let up = Double(net.step(windows, negatives: negatives, dropout: drop))
        p.value.scalars[i] = x - eps
        let down = Double(net.step(windows, negatives: negatives, dropout: drop))
        p.value.scalars[i] = x
        num[i] = (up - down) / (2 * Double(eps))
      }
      var diff = 0.0
      var norm = 0.0
      for (a, n) in zip(analytic[k], num) {
        diff += (Double(a) - n) * (Double(a) - n)
        norm += n * n
      }
      let rel = diff.squareRoot() / max(norm.squareRoot(), 1e-6)
      worst = max(worst, rel)
      #expect(rel <= 2e-2, "parameter \(k): relative error \(rel)")
    }
    #expect(worst <= 2e-2)
  }
}
