import RecEval
import Testing

@testable import RecModels

/// `EpochTrainer`: what is kept on Ctrl-C, on a NaN loss and with early stopping.
@Suite struct EpochTrainerTests {
  /// A "model" whose weight is the number of epochs trained; its score is a scripted
  /// validation curve, so tests control which epoch is best.
  struct Counter: ItemScorer {
    var name = "counter"
    var weight = 0
    var curve: [Double] = []
    func score(user: Int, into scores: inout [Float]) {
      for i in scores.indices { scores[i] = Float(curve.isEmpty ? 0 : curve[min(weight, curve.count) - 1]) }
    }
  }

  func run(
    epochs: Int, losses: [Double] = [], curve: [Double] = [], patience: Int? = nil,
    cancelAt: (Int, Int)? = nil
  ) -> (Counter, FitReport, [EpochLog]) {
    var m = Counter(curve: curve)
    var logs: [EpochLog] = []
    var context = FitContext(patience: patience, onEpoch: { logs.append($0) })
    if !curve.isEmpty {
      context.validate = { s in Double((s as? Counter).map { $0.curve[$0.weight - 1] } ?? 0) }
    }
    let report = EpochTrainer.run(&m, epochs: epochs, examplesPerEpoch: 10, context: context) {
      m, epoch, rep in
      for batch in 1...5 {
        m.weight = epoch  // a partial epoch changes the weights...
        if let (e, b) = cancelAt, e == epoch, b == batch { return nil }  // ...and is then abandoned
        _ = rep.report(done: batch * 2, loss: 1)
      }
      return losses.isEmpty ? 1 / Double(epoch) : losses[epoch - 1]
    }
    return (m, report, logs)
  }

  @Test func completedRunKeepsTheLastEpoch() {
    let (m, r, logs) = run(epochs: 4)
    #expect(m.weight == 4)
    #expect(r.outcome == .completed)
    #expect(r.keptEpoch == 4)
    #expect(logs.map(\.epoch) == [1, 2, 3, 4])
    #expect(logs.map(\.loss) == [1, 0.5, 1.0 / 3, 0.25])
  }

  @Test func cancelInTheMiddleOfAnEpochKeepsTheLastCompletedOne() {
    let (m, r, _) = run(epochs: 5, cancelAt: (3, 2))
    #expect(m.weight == 2)
    #expect(r.outcome == .cancelled(afterEpoch: 2))
    #expect(r.epochs.count == 2)
    #expect(r.keptEpoch == 2)
  }

  @Test func nanLossStopsAndKeepsTheEpochBefore() {
    let (m, r, _) = run(epochs: 5, losses: [0.9, 0.5, .nan, 0.1, 0.1])
    #expect(m.weight == 2)
    #expect(r.outcome == .diverged(epoch: 3))
    #expect(r.keptEpoch == 2)
    let (m1, r1, _) = run(epochs: 5, losses: [.infinity, 1, 1, 1, 1])
    #expect(m1.weight == 0)
    #expect(r1.outcome == .diverged(epoch: 1))
  }

  @Test func validationKeepsTheBestEpochAndPatienceStops() {
    // Best at epoch 2; with patience 2 the run stops after epoch 4 holding epoch 2's weights.
    let curve = [0.1, 0.5, 0.4, 0.3, 0.9, 0.9]
    let (m, r, logs) = run(epochs: 6, curve: curve, patience: 2)
    #expect(r.outcome == .stoppedEarly(bestEpoch: 2))
    #expect(m.weight == 2)
    #expect(r.keptEpoch == 2)
    #expect(logs.compactMap(\.validation) == [0.1, 0.5, 0.4, 0.3])
    // Without patience it runs to the end and keeps the best (epoch 5; ties keep the first).
    let (m2, r2, _) = run(epochs: 6, curve: curve)
    #expect(r2.outcome == .completed)
    #expect(m2.weight == 5)
    #expect(r2.keptEpoch == 5)
  }

  @Test func progressReportsFractionsOfTheEpoch() {
    var seen: [FitProgress] = []
    var m = Counter()
    _ = EpochTrainer.run(
      &m, epochs: 2, examplesPerEpoch: 10, context: FitContext(onProgress: { seen.append($0) })
    ) { _, _, rep in
      for b in 1...5 { _ = rep.report(done: b * 2, loss: 0.5) }
      return 0.5
    }
    #expect(seen.count == 10)
    #expect(seen.map(\.fraction).prefix(5) == [0.2, 0.4, 0.6, 0.8, 1.0])
    #expect(seen.last?.epoch == 2 && seen.last?.epochs == 2)
  }
}
