import RecData
import RecEval
import RecModels

/// `recbook-bench cold-items [--models content,deepfm,pop] [--epochs N] [--seed S]`: new items on
/// the shop sample. 10% of the items (seeded) are held out entirely: all their events go to test,
/// the rest to train. For every user with training events and at least one held-out item, the
/// models rank (a) the full catalogue minus the user's train items and (b) the held-out items
/// only; HR@10 and NDCG@10 count the user's held-out items as relevant. Prints one JSON line per
/// model, with fit seconds, epoch seconds and examples/s for iterative models, and peak RSS.
enum ColdItemsBench {
  static func run(_ args: [String]) -> Int32 {
    let models = (BenchSupport.option("--models", in: args) ?? "pop,content,deepfm").split(separator: ",")
    let epochs = Int(BenchSupport.option("--epochs", in: args) ?? "") ?? 10
    let seed = UInt64(BenchSupport.option("--seed", in: args) ?? "") ?? 1
    do {
      let shop = try ShopSample.generate(ShopSample.Parameters())
      let all = try Interactions(table: shop.events, roles: InteractionRoles())
      var g = SeededGenerator(seed: seed)
      var order = Array(0..<all.itemCount)
      g.shuffle(&order)
      var held = [Bool](repeating: false, count: all.itemCount)
      for i in order.prefix(all.itemCount / 10) { held[i] = true }
      let trainRows = (0..<all.count).filter { !held[Int(all.item[$0])] }
      let testRows = (0..<all.count).filter { held[Int(all.item[$0])] }
      let train = all.subset(trainRows)
      let test = all.subset(testRows)
      let heldItems = (0..<all.itemCount).filter { held[$0] }
      let users = (0..<all.userCount).filter {
        train.byUser.count(ofRow: $0) > 0 && test.byUser.count(ofRow: $0) > 0
      }
      for name in models {
        var o = ModelOptions(seed: seed)
        o.tables["items"] = shop.items
        switch name {
        case "content":
          o.values = ["features": .names(["category", "brand", "tags", "price"]), "text": .names(["title"])]
        case "deepfm":
          o.values = ["features": .names(["category", "brand", "tags", "price"]), "epochs": .int(epochs)]
        default: o.tables = [:]
        }
        guard let spec = ModelCatalog.named(String(name)) else {
          print("unknown model \(name)")
          return 2
        }
        var m = try spec.make(o)
        let start = BenchSupport.now()
        let report = try m.fit(train, context: FitContext(seed: seed))
        let fitSeconds = BenchSupport.now() - start
        var full = (hr: 0.0, ndcg: 0.0)
        var new = (hr: 0.0, ndcg: 0.0)
        var scores = [Float](repeating: 0, count: all.itemCount)
        for u in users {
          m.score(user: u, into: &scores)
          let relevant = Set(test.byUser.columns(ofRow: u).map(Int.init))
          let topFull = TopK.select(scores, k: 10, excluding: train.byUser.columns(ofRow: u)).map(Int.init)
          let heldScores = heldItems.map { scores[$0] }
          let topNew = TopK.select(heldScores, k: 10).map { heldItems[Int($0)] }
          for (top, acc) in [(topFull, 0), (topNew, 1)] {
            var dcg = 0.0
            for (p, i) in top.enumerated() where relevant.contains(i) { dcg += 1 / log2(Double(p + 2)) }
            let idcg = (0..<min(relevant.count, 10)).reduce(0.0) { $0 + 1 / log2(Double($1 + 2)) }
            let hit = top.contains { relevant.contains($0) } ? 1.0 : 0.0
            if acc == 0 {
              full.hr += hit
              full.ndcg += dcg / idcg
            } else {
              new.hr += hit
              new.ndcg += dcg / idcg
            }
          }
        }
        let n = Double(max(users.count, 1))
        let epochSeconds = report.epochs.map(\.seconds).reduce(0, +) / Double(max(report.epochs.count, 1))
        let rate = report.epochs.map(\.examplesPerSecond).reduce(0, +) / Double(max(report.epochs.count, 1))
        print(
          """
          {"bench":"cold-items","model":"\(name)","users":\(users.count),"held_items":\(heldItems.count),\
          "full_hr10":\(full.hr / n),"full_ndcg10":\(full.ndcg / n),"new_hr10":\(new.hr / n),\
          "new_ndcg10":\(new.ndcg / n),"fit_s":\(fitSeconds),"epoch_s":\(epochSeconds),\
          "examples_per_s":\(rate),"peak_rss_mb":\(BenchSupport.peakRSSMegabytes())}
          """)
      }
      return 0
    } catch {
      print("cold-items: \(error)")
      return 1
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
