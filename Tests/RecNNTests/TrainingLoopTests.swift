import RecData
import Testing

@testable import RecNN

@Suite struct TrainingLoopTests {
  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func negativesAreNeverPositives(seed: UInt64) {
    let positives: [Set<Int>] = [[0, 1, 2, 3, 4, 5, 6, 7, 8], [], [3]]
    for dist in [NegativeSampler.Distribution.uniform, .popularity(alpha: 0.75)] {
      let s = NegativeSampler(
        itemCount: 10, positives: positives, itemCounts: [5, 1, 1, 1, 1, 1, 1, 1, 1, 100], distribution: dist)
      var rng = SeededGenerator(seed: seed)
      for _ in 0..<200 {
        #expect(s.sample(for: 0, using: &rng) == 9)  // the only non-positive item
        let n = s.sample(for: 2, using: &rng)!
        #expect(n != 3 && (0..<10).contains(n))
      }
    }
    let full = NegativeSampler(itemCount: 2, positives: [[0, 1]])
    var rng = SeededGenerator(seed: seed)
    #expect(full.sample(for: 0, using: &rng) == nil)
  }

  /// Popularity^alpha: item 1 (count 4) is drawn about 4^1 / (1 + 4) = 80% of the time with alpha 1.
  @Test func popularityFollowsCountsToTheAlpha() {
    let s = NegativeSampler(
      itemCount: 3, positives: [[2]], itemCounts: [1, 4, 9], distribution: .popularity(alpha: 1))
    var rng = SeededGenerator(seed: 9)
    let draws = (0..<10_000).map { _ in s.sample(for: 0, using: &rng)! }
    let share = Double(draws.filter { $0 == 1 }.count) / 10_000
    #expect(abs(share - 0.8) < 0.02)
  }

  @Test func batchesPartitionTheExamples() {
    var rng = SeededGenerator(seed: 4)
    let batches = TrainingLoop.shuffledBatches(count: 103, batchSize: 10, using: &rng)
    #expect(batches.count == 11 && batches.last!.count == 3)
    #expect(batches.flatMap { $0 }.sorted() == Array(0..<103))
  }

  /// Validation peaks at epoch 2; with patience 2 the loop stops after epoch 4 and restores
  /// the weights of epoch 2. Cancellation stops before the first batch of the next epoch.
  @Test func earlyStoppingRestoresBestWeightsAndCancellationStops() {
    let p = Parameter(Tensor(shape: [1]))
    var reports: [TrainingLoop.EpochReport] = []
    let scores = [0.1, 0.5, 0.4, 0.3, 0.9]
    let loop = TrainingLoop(epochs: 5, batchSize: 4, seed: 1, patience: 2)
    let outcome = loop.run(
      examples: 8, parameters: [p],
      step: { _, _ in
        p.value.scalars[0] += 1
        return 0.5
      },
      validate: { scores[Int(p.value.scalars[0]) / 2 - 1] }, onEpoch: { reports.append($0) })
    #expect(outcome == .stoppedEarly(bestEpoch: 2))
    #expect(reports.count == 4 && reports[0].loss == 0.5)
    #expect(p.value.scalars[0] == 4)  // two steps per epoch: after epoch 2
    var calls = 0
    let cancelled = TrainingLoop(epochs: 3, batchSize: 4, seed: 1).run(
      examples: 8, parameters: [p], step: { _, _ in 0 },
      isCancelled: {
        calls += 1
        return calls > 3
      })
    #expect(cancelled == .cancelled(afterEpoch: 1))
  }
}
