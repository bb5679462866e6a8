import Foundation
import RecData
import RecEval
import RecModels

/// `recbook-bench models --model TYPE [--set k=v,k=v] [--seeds 1,2,3] [--val] [--peers DIR]
/// [--data ml100k|synth-1m|shop] [--pretrain gmf:opts;mlp:opts]`: fits a model of the catalogue on
/// the shared protocol's prepared splits (../shared/bench/peers/splits) and prints one JSON line
/// per seed: P1 (full ranking, HR/NDCG@10), P2 (the shared 99 negatives), P3 (RMSE/MAE on the
/// explicit split, rating models only), fit seconds, top-10-for-all-users seconds, peak RSS.
///
/// `--val` trains on `val_train.tsv` and evaluates on `val_test.tsv` (hyper-parameter tuning;
/// never tune on the test files). `--data synth-1m` times the fit on an ML-1M-sized synthetic
/// set (6,040 x 3,706, 1M interactions) and skips quality.
enum ModelsBench {
  static func run(_ args: [String]) -> Int32 {
    guard let type = BenchSupport.option("model", in: args), let spec = ModelCatalog.named(type) else {
      print("models: --model TYPE needed, one of \(ModelCatalog.names.joined(separator: ", "))")
      return 2
    }
    let peers = BenchSupport.option("peers", in: args) ?? "../shared/bench/peers"
    let seeds = (BenchSupport.option("seeds", in: args) ?? "42").split(separator: ",").compactMap {
      UInt64($0)
    }
    let validation = args.contains("--val")
    let data = BenchSupport.option("data", in: args) ?? "ml100k"
    do {
      let values = try parse(BenchSupport.option("set", in: args) ?? "", spec)
      for seed in seeds {
        var pretrained: [String: any Recommender] = [:]
        let split: Split
        if data == "synth-1m" {
          split = try Splitter.split(synthetic(), method: .leaveOneOut, seed: 42)
        } else if data == "shop" {
          split = try shopSplit()
        } else {
          split = try looSplit(peers, validation: validation)
        }
        // `--pretrain gmf:factors=8;mlp:layers=64,32,16,8` fits these first and passes them as init=.
        if let p = BenchSupport.option("pretrain", in: args) {
          for part in p.split(separator: ";") {
            let kv = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard let pspec = ModelCatalog.named(kv[0]) else { throw ModelError("unknown model \(kv[0])") }
            var m = try pspec.make(ModelOptions(try parse(kv.count > 1 ? kv[1] : "", pspec), seed: seed))
            try m.fit(split.train, context: FitContext(seed: seed))
            pretrained[kv[0]] = m
          }
        }
        var vals = values
        if !pretrained.isEmpty { vals["init"] = .names(pretrained.keys.sorted()) }
        var model = try spec.make(ModelOptions(vals, seed: seed, models: pretrained))
        let t0 = BenchSupport.now()
        // Rating models fit only on the explicit split below (the loo split has no rating role).
        let report =
          spec.needs == .ratings ? FitReport() : try model.fit(split.train, context: FitContext(seed: seed))
        let fitSeconds = BenchSupport.now() - t0
        var fields: [(String, String)] = [
          ("model", "\"\(type)\""), ("set", "\"\(BenchSupport.option("set", in: args) ?? "")\""),
          ("seed", "\(seed)"), ("data", "\"\(data)\(validation ? "-val" : "")\""),
          ("fit_s", fmt(fitSeconds)), ("epochs", "\(report.epochs.count)"),
        ]
        if let last = report.epochs.last { fields.append(("last_loss", fmt(last.loss))) }
        if data != "synth-1m" && spec.needs == .interactions {
          let t1 = BenchSupport.now()
          let p1 = try Evaluator.evaluate(
            model, on: split, options: EvaluationOptions(k: 10, metrics: [.hr, .ndcg], threads: 2))
          fields.append(("top10_all_s", fmt(BenchSupport.now() - t1)))
          fields += [("p1_hr", fmt(p1.value(.hr))), ("p1_ndcg", fmt(p1.value(.ndcg)))]
          if !validation && data == "ml100k" {
            let c = try Candidates.read(path: peers + "/splits/loo_negatives.tsv", for: split)
            let p2 = try Evaluator.evaluate(
              model, on: split,
              options: EvaluationOptions(k: 10, metrics: [.hr, .ndcg], ranking: .sampled(c)))
            fields += [("p2_hr", fmt(p2.value(.hr))), ("p2_ndcg", fmt(p2.value(.ndcg)))]
          }
        }
        if spec.needs == .ratings && data != "synth-1m" {
          let e = try explicitSplit(peers)
          var m = try spec.make(ModelOptions(values, seed: seed))
          try m.fit(e.train, context: FitContext(seed: seed))
          let p3 = try Evaluator.evaluate(
            m, on: e, options: EvaluationOptions(k: 10, metrics: [.rmse, .mae]))
          fields += [("p3_rmse", fmt(p3.value(.rmse))), ("p3_mae", fmt(p3.value(.mae)))]
        }
        fields.append(("peak_mb", fmt(BenchSupport.peakRSSMegabytes())))
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
      }
      return 0
    } catch {
      print("models: \(error)")
      return 1
    }
  }

  static func fmt(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "null" }
    return String(format: "%.5g", v)
  }

  /// `factors=64,alpha=5,layers=64/32/16` (a `/` separates the values of a list option).
  static func parse(_ text: String, _ spec: ModelType) throws -> [String: ModelOptions.Value] {
    var values: [String: ModelOptions.Value] = [:]
    for part in text.split(separator: ",") where !part.isEmpty {
      let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.count == 2, let o = spec.options.first(where: { $0.name == kv[0] }) else {
        throw ModelError("bad --set entry '\(part)' for \(spec.name)")
      }
      switch o.kind {
      case .int: values[kv[0]] = .int(Int(kv[1]) ?? 0)
      case .double: values[kv[0]] = .double(Double(kv[1]) ?? 0)
      case .bool: values[kv[0]] = .bool(kv[1] == "true")
      case .choice: values[kv[0]] = .text(kv[1])
      case .ints: values[kv[0]] = .ints(kv[1].split(separator: "/").compactMap { Int($0) })
      case .models, .columns: values[kv[0]] = .names(kv[1].split(separator: "/").map(String.init))
      case .table: throw ModelError("--set cannot give a table (\(kv[0]))")
      }
    }
    return values
  }

  static func readTSV(_ path: String, columns: [String]) throws -> Table {
    var o = CSVOptions()
    o.header = false
    o.separator = UInt8(ascii: "\t")
    o.columnNames = columns
    o.quoting = false
    o.types = Dictionary(uniqueKeysWithValues: columns.map { ($0, ColumnType.int) })
    return try CSVReader.read(path: path, options: o).0
  }

  static let roles = InteractionRoles(user: "user", item: "item", rating: "rating", time: "timestamp")
  static let columns = ["user", "item", "rating", "timestamp"]

  /// The prepared leave-one-out split (or the validation one: val_train -> val_test).
  static func looSplit(_ dir: String, validation: Bool) throws -> Split {
    let (a, b) = validation ? ("val_train", "val_test") : ("loo_train", "loo_test")
    let train = try readTSV("\(dir)/splits/\(a).tsv", columns: columns)
    let test = try readTSV("\(dir)/splits/\(b).tsv", columns: columns)
    let parts = try Interactions.build(tables: [(a, train), (b, test)], roles: implicitRoles)
    return Split(name: a, method: .leaveOneOut, seed: 0, train: parts[0], test: parts[1])
  }
  /// Implicit models get no rating role: every row is a positive (the peers' protocol).
  static let implicitRoles = InteractionRoles(user: "user", item: "item", time: "timestamp")

  /// The notebook's next-item check on the shop sample (`load e from sample:shop`, `kcore e
  /// min-user=5 min-item=5`, `split s from e`): the sample at session seed 42, 5-cores, the
  /// latest event of each user held out (time role `ts`). P1 only.
  static func shopSplit() throws -> Split {
    var p = ShopSample.Parameters()
    p.seed = 42
    let events = try ShopSample.generate(p).table("events")
    let (core, _) = try events.kcore(user: "user", item: "item", minUser: 5, minItem: 5)
    let d = try Interactions(table: core, roles: InteractionRoles(time: "ts"))
    return try Splitter.split(d, method: .leaveOneOut, seed: 42, name: "shop")
  }

  /// P3: explicit_train -> explicit_test with ratings.
  static func explicitSplit(_ dir: String) throws -> Split {
    let train = try readTSV("\(dir)/splits/explicit_train.tsv", columns: columns)
    let test = try readTSV("\(dir)/splits/explicit_test.tsv", columns: columns)
    let parts = try Interactions.build(
      tables: [("explicit_train", train), ("explicit_test", test)], roles: roles)
    return Split(name: "explicit", method: .leaveOneOut, seed: 0, train: parts[0], test: parts[1])
  }
}
