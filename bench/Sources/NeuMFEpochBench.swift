import RecData
import RecEval
import RecModels

/// `recbook-bench neumf-epoch [--epochs N] [--model neumf|gmf|mlp] [--peers DIR]`: seconds per
/// training epoch of the fused NCF step on the shared protocol's loo_train (99,057 positives,
/// 4 negatives each, batch 256: 1,935 steps, negative sampling and shuffling included), as ms
/// per step and s per epoch beside PyTorch's 9.9 s per epoch (../shared/bench/peers/RESULTS.md),
/// and the time to score all 943 users x 1,682 items. One JSON line per epoch, then a summary.
enum NeuMFEpochBench {
  static func run(_ args: [String]) -> Int32 {
    let epochs = BenchSupport.option("epochs", in: args).flatMap { Int($0) } ?? 3
    let type = BenchSupport.option("model", in: args) ?? "neumf"
    let peers = BenchSupport.option("peers", in: args) ?? "../shared/bench/peers"
    do {
      let split = try ModelsBench.looSplit(peers, validation: false)
      guard let spec = ModelCatalog.named(type) else { return 2 }
      var model = try spec.make(ModelOptions(["epochs": .int(epochs)], seed: 42))
      let c0 = BenchSupport.cpuSeconds()
      let report = try model.fit(
        split.train,
        context: FitContext(seed: 42))
      let cpu = BenchSupport.cpuSeconds() - c0
      let steps = (split.train.count * 5 + 255) / 256
      for e in report.epochs {
        print(
          "{\"bench\":\"neumf-epoch\",\"model\":\"\(type)\",\"epoch\":\(e.epoch),\"s\":\(f3(e.seconds)),"
            + "\"ms_per_step\":\(f3(e.seconds * 1000 / Double(steps))),\"loss\":\(f3(e.loss))}")
      }
      let mean = report.epochs.map(\.seconds).reduce(0, +) / Double(max(report.epochs.count, 1))
      var scores = [Float](repeating: 0, count: 32 * split.train.itemCount)
      let t0 = BenchSupport.now()
      var u = 0
      while u < split.train.userCount {
        let block = Array(u..<min(u + 32, split.train.userCount))
        model.score(users: block, itemCount: split.train.itemCount, into: &scores)
        u += 32
      }
      let scoreSeconds = BenchSupport.now() - t0
      print(
        "{\"bench\":\"neumf-epoch\",\"model\":\"\(type)\",\"steps_per_epoch\":\(steps),"
          + "\"s_per_epoch\":\(f3(mean)),\"ms_per_step\":\(f3(mean * 1000 / Double(steps))),"
          + "\"cpu_s_per_epoch\":\(f3(cpu / Double(max(epochs, 1)))),\"vs_pytorch_9.9s\":\(f3(mean / 9.9)),"
          + "\"score_all_users_s\":\(f3(scoreSeconds))}")
      return 0
    } catch {
      print("neumf-epoch: \(error)")
      return 1
    }
  }

  private static func f3(_ x: Double) -> String { "\((x * 1000).rounded() / 1000)" }
}
