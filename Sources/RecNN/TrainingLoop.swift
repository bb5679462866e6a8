import RecData

/// The epoch loop every model uses: seeded shuffling, batching, a per-epoch report, a
/// cancellation check between batches (Ctrl-C), and early stopping on a validation metric
/// that restores the best weights.
///
/// The model supplies `step(batch, rng) -> loss` (forward, backward, optimizer step on the
/// examples whose indices are in `batch`) and optionally `validate() -> metric` (higher is
/// better). Shuffling and every draw in `step` come from one generator seeded from `seed`, so
/// a run is reproducible; timing only feeds the report.
public struct TrainingLoop {
  public var epochs: Int
  public var batchSize: Int
  public var seed: UInt64
  /// Epochs without improvement of the validation metric before stopping (nil: never stop early).
  public var patience: Int?

  public init(epochs: Int, batchSize: Int, seed: UInt64, patience: Int? = nil) {
    precondition(epochs >= 0 && batchSize > 0)
    self.epochs = epochs
    self.batchSize = batchSize
    self.seed = seed
    self.patience = patience
  }

  /// What the progress bar shows after each epoch.
  public struct EpochReport: Sendable, Equatable {
    public var epoch: Int
    /// Mean of the batch losses, weighted by batch size.
    public var loss: Double
    public var examplesPerSecond: Double
    public var validation: Double?
  }

  public enum Outcome: Sendable, Equatable {
    case completed
    case cancelled(afterEpoch: Int)
    case stoppedEarly(bestEpoch: Int)
  }

  /// The examples of each batch of one epoch: a seeded Fisher-Yates permutation cut into
  /// `batchSize` pieces (the last may be shorter).
  public static func shuffledBatches(count: Int, batchSize: Int, using rng: inout SeededGenerator) -> [[Int]]
  {
    var order = Array(0..<count)
    rng.shuffle(&order)
    return stride(from: 0, to: count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, count)]) }
  }

  /// Runs the loop over `examples` training examples, updating `parameters` through `step`.
  /// When `validate` is given, the best-scoring weights are restored at the end.
  public func run(
    examples: Int, parameters: [Parameter],
    step: ([Int], inout SeededGenerator) -> Float,
    validate: (() -> Double)? = nil,
    onEpoch: (EpochReport) -> Void = { _ in },
    isCancelled: () -> Bool = { false }
  ) -> Outcome {
    var rng = SeededGenerator(seed: seed, stream: 0x7472_6169_6E)
    var best = -Double.infinity
    var bestEpoch = 0
    var bestWeights: [Tensor] = []
    var outcome = Outcome.completed
    let clock = ContinuousClock()
    epochLoop: for epoch in 1...max(epochs, 1) where epochs > 0 {
      let start = clock.now
      var total = 0.0
      var seen = 0
      for batch in Self.shuffledBatches(count: examples, batchSize: batchSize, using: &rng) {
        if isCancelled() {
          outcome = .cancelled(afterEpoch: epoch - 1)
          break epochLoop
        }
        total += Double(step(batch, &rng)) * Double(batch.count)
        seen += batch.count
      }
      let d = clock.now - start
      let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
      let metric = validate?()
      onEpoch(
        EpochReport(
          epoch: epoch, loss: seen > 0 ? total / Double(seen) : 0,
          examplesPerSecond: seconds > 0 ? Double(seen) / seconds : 0, validation: metric))
      if let metric {
        if metric > best {
          best = metric
          bestEpoch = epoch
          bestWeights = parameters.map(\.value)
        } else if let patience, epoch - bestEpoch >= patience {
          outcome = .stoppedEarly(bestEpoch: bestEpoch)
          break
        }
      }
    }
    if validate != nil && !bestWeights.isEmpty {
      for (p, w) in zip(parameters, bestWeights) { p.value = w }
    }
    return outcome
  }
}
