import RecData
import RecEval

/// What `fit` is given besides the data: the seed, overrides from the `fit` cell, a
/// validation metric for early stopping, and callbacks for the progress bar, the per-epoch
/// log and Ctrl-C. Models that train in one pass (item-kNN, EASE, pop) use `seed`,
/// `isCancelled` and `onProgress`; iterative models run their epochs through
/// ``EpochTrainer``, which handles the rest.
public struct FitContext {
  /// Every random draw of the fit derives from this seed (initialisation, shuffling, negatives).
  public var seed: UInt64
  /// Overrides the model's own `epochs` option (`fit NAME on SPLIT epochs=N`).
  public var epochs: Int?
  /// Epochs without a better validation metric before stopping (only with `validate`).
  public var patience: Int?
  /// Scores the model as it is after an epoch on held-out data; higher is better.
  public var validate: ((any ItemScorer) -> Double)?
  /// Polled between batches; `true` stops the fit (the last completed epoch is kept).
  public var isCancelled: () -> Bool
  /// Progress within the fit, for the progress bar (throttled by the receiver).
  public var onProgress: (FitProgress) -> Void
  /// Called once after each completed epoch.
  public var onEpoch: (EpochLog) -> Void

  public init(
    seed: UInt64 = 42, epochs: Int? = nil, patience: Int? = nil,
    validate: ((any ItemScorer) -> Double)? = nil,
    isCancelled: @escaping () -> Bool = { false }, onProgress: @escaping (FitProgress) -> Void = { _ in },
    onEpoch: @escaping (EpochLog) -> Void = { _ in }
  ) {
    self.seed = seed
    self.epochs = epochs
    self.patience = patience
    self.validate = validate
    self.isCancelled = isCancelled
    self.onProgress = onProgress
    self.onEpoch = onEpoch
  }
}

/// Where a fit is: epoch `epoch` of `epochs` (both 1 for one-pass models), `fraction` of that
/// epoch done, the running mean loss of the epoch, examples per second.
public struct FitProgress: Sendable, Equatable {
  public var epoch: Int
  public var epochs: Int
  public var fraction: Double
  public var loss: Double?
  public var examplesPerSecond: Double?
  /// Examples done in this epoch, of `examplesPerEpoch` (0 of 0 for one-pass models).
  public var examplesDone: Int
  public var examplesPerEpoch: Int
  public init(
    epoch: Int, epochs: Int, fraction: Double, loss: Double? = nil, examplesPerSecond: Double? = nil,
    examplesDone: Int = 0, examplesPerEpoch: Int = 0
  ) {
    self.epoch = epoch
    self.epochs = epochs
    self.fraction = fraction
    self.loss = loss
    self.examplesPerSecond = examplesPerSecond
    self.examplesDone = examplesDone
    self.examplesPerEpoch = examplesPerEpoch
  }
}

/// One completed epoch.
public struct EpochLog: Sendable, Equatable {
  public var epoch: Int
  /// The mean training loss over the epoch's examples.
  public var loss: Double
  /// The validation metric after the epoch, when the fit validates.
  public var validation: Double?
  public var seconds: Double
  public var examplesPerSecond: Double
  public init(epoch: Int, loss: Double, validation: Double? = nil, seconds: Double, examplesPerSecond: Double)
  {
    self.epoch = epoch
    self.loss = loss
    self.validation = validation
    self.seconds = seconds
    self.examplesPerSecond = examplesPerSecond
  }
}

/// What a fit did.
public struct FitReport: Sendable, Equatable {
  public enum Outcome: Sendable, Equatable {
    case completed
    /// Ctrl-C: the weights are those after `afterEpoch` (0: nothing was kept).
    case cancelled(afterEpoch: Int)
    /// Early stopping: no better validation metric for `patience` epochs.
    case stoppedEarly(bestEpoch: Int)
    /// The loss became NaN or infinite in `epoch`; the weights are those of the epoch before.
    case diverged(epoch: Int)
  }
  public var outcome: Outcome = .completed
  /// One entry per completed epoch (empty for one-pass models).
  public var epochs: [EpochLog] = []
  /// The epoch whose weights the model holds (nil for one-pass models).
  public var keptEpoch: Int?
  public init(outcome: Outcome = .completed, epochs: [EpochLog] = [], keptEpoch: Int? = nil) {
    self.outcome = outcome
    self.epochs = epochs
    self.keptEpoch = keptEpoch
  }
}

/// Passed to an epoch's body: report examples done and the running loss; returns `false` when
/// the fit was cancelled, and the body should return at once (its partial epoch is discarded).
public struct BatchReporter {
  let epoch: Int
  let epochs: Int
  let examples: Int
  let start: ContinuousClock.Instant
  let context: FitContext

  /// `done` examples of the epoch so far, `loss` their mean loss.
  public func report(done: Int, loss: Double) -> Bool {
    if context.isCancelled() { return false }
    let s = Seconds.since(start)
    context.onProgress(
      FitProgress(
        epoch: epoch, epochs: epochs, fraction: examples > 0 ? Double(done) / Double(examples) : 1,
        loss: loss,
        examplesPerSecond: s > 0 ? Double(done) / s : nil, examplesDone: done, examplesPerEpoch: examples))
    return true
  }
}

enum Seconds {
  static func since(_ start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}

/// The epoch loop of every iterative model: runs `epochs` epochs of `body` on `model`,
/// keeps a copy of the model after each completed epoch, and
/// - on Ctrl-C (a `BatchReporter.report` returning false, or `isCancelled` between epochs)
///   restores the copy of the last completed epoch;
/// - on a NaN or infinite epoch loss restores the last good copy and stops (`diverged`);
/// - with `validate`, scores each epoch, keeps the best copy, stops after `patience` epochs
///   without improvement, and ends holding the best epoch's weights.
///
/// `body(&model, epoch, reporter)` trains one epoch and returns its mean loss, or `nil` when
/// the reporter said stop. Models are value types, so a copy is a snapshot (copy-on-write: an
/// epoch pays one copy of the weights it changes).
public enum EpochTrainer {
  public static func run<M>(
    _ model: inout M, epochs: Int, examplesPerEpoch: Int, context: FitContext,
    body: (inout M, Int, BatchReporter) throws -> Double?
  ) rethrows -> FitReport {
    var report = FitReport()
    var lastGood = model
    var best: (model: M, metric: Double, epoch: Int)?
    for epoch in 1...max(epochs, 1) where epochs > 0 {
      if context.isCancelled() {
        report.outcome = .cancelled(afterEpoch: epoch - 1)
        break
      }
      let start = ContinuousClock.now
      let reporter = BatchReporter(
        epoch: epoch, epochs: epochs, examples: examplesPerEpoch, start: start, context: context)
      guard let loss = try body(&model, epoch, reporter) else {
        model = lastGood
        report.outcome = .cancelled(afterEpoch: epoch - 1)
        break
      }
      guard loss.isFinite else {
        model = lastGood
        report.outcome = .diverged(epoch: epoch)
        break
      }
      let seconds = Seconds.since(start)
      var log = EpochLog(
        epoch: epoch, loss: loss, seconds: seconds,
        examplesPerSecond: seconds > 0 ? Double(examplesPerEpoch) / seconds : 0)
      if let validate = context.validate, let scorer = model as? any ItemScorer {
        let metric = validate(scorer)
        log.validation = metric
        if best == nil || metric > best!.metric { best = (model, metric, epoch) }
      }
      report.epochs.append(log)
      context.onEpoch(log)
      lastGood = model
      if let b = best, let patience = context.patience, epoch - b.epoch >= patience {
        report.outcome = .stoppedEarly(bestEpoch: b.epoch)
        break
      }
    }
    report.keptEpoch = report.epochs.last?.epoch ?? 0
    if let b = best {
      model = b.model
      report.keptEpoch = b.epoch
    }
    return report
  }
}
