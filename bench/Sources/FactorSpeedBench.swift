import Foundation
import RecData
import RecEval
import RecModels
import RecNN

/// `recbook-bench factor-speed --model als|bpr --tsv FILE [--set k=v,...] [--threads T]`: fits one
/// model of the catalogue on a headerless TSV whose first two columns are user and item ids
/// (every row a positive: `synth.py` output, the shared `loo_train.tsv`) and prints one JSON line
/// with the fit seconds, epochs and peak RSS. `bench/als_bpr_implicit.py` runs it beside implicit
/// on the same file.
enum FactorSpeedBench {
  static func run(_ args: [String]) -> Int32 {
    guard let type = BenchSupport.option("model", in: args), let spec = ModelCatalog.named(type),
      let path = BenchSupport.option("tsv", in: args)
    else {
      print("factor-speed: --model TYPE and --tsv FILE needed")
      return 2
    }
    Parallel.threads = Int(BenchSupport.option("threads", in: args) ?? "2") ?? 2
    do {
      let data = try load(path)
      let values = try ModelsBench.parse(BenchSupport.option("set", in: args) ?? "", spec)
      let seed = UInt64(BenchSupport.option("seed", in: args) ?? "42") ?? 42
      var model = try spec.make(ModelOptions(values, seed: seed))
      let t0 = BenchSupport.now()
      let c0 = BenchSupport.cpuSeconds()
      let report = try model.fit(data, context: FitContext(seed: seed))
      let fit = BenchSupport.now() - t0
      let cpu = BenchSupport.cpuSeconds() - c0
      let fields: [(String, String)] = [
        ("system", "\"recbook\""), ("model", "\"\(type)\""),
        ("set", "\"\(BenchSupport.option("set", in: args) ?? "")\""), ("tsv", "\"\(path)\""),
        ("users", "\(data.userCount)"), ("items", "\(data.itemCount)"), ("events", "\(data.count)"),
        ("threads", "\(Parallel.threads)"), ("fit_s", ModelsBench.fmt(fit)), ("cpu_s", ModelsBench.fmt(cpu)),
        ("epochs", "\(report.epochs.count)"), ("last_loss", ModelsBench.fmt(report.epochs.last?.loss)),
        ("peak_mb", ModelsBench.fmt(BenchSupport.peakRSSMegabytes())),
      ]
      print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
      return 0
    } catch {
      print("factor-speed: \(error)")
      return 1
    }
  }

  /// The first two tab-separated columns of `path` as implicit interactions.
  static func load(_ path: String) throws -> Interactions {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let fields = text.prefix { $0 != "\n" }.split(separator: "\t").count
    let names = (0..<fields).map { $0 == 0 ? "user" : $0 == 1 ? "item" : "c\($0)" }
    let table = try ModelsBench.readTSV(path, columns: names)
    return try Interactions(table: table, roles: InteractionRoles(user: "user", item: "item"))
  }
}
