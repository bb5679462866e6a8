import Foundation
import RecData

/// `recbook-bench ops [rows]`: times the data operations on a synthetic interaction
/// table (default 10,000,000 rows; 100k users x 20k items, Zipf-skewed ids, rating
/// 1-5, timestamp), one run each, and prints seconds per operation.
nonisolated func runOpsBench(args: [String]) {
  let rows = args.first.flatMap { Int($0) } ?? 10_000_000
  let clock = ContinuousClock()
  func seconds(_ d: Duration) -> String {
    let c = d.components
    return String(format: "%.3f", Double(c.seconds) + Double(c.attoseconds) * 1e-18)
  }
  let start = clock.now
  let table = syntheticInteractions(rows: rows, users: 100_000, items: 20_000, seed: 42)
  print("generated \(rows) rows in \(seconds(clock.now - start)) s")

  func time<T>(_ name: String, _ body: () throws -> T) -> T? {
    let t0 = clock.now
    do {
      let r = try body()
      print("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(seconds(clock.now - t0)) s")
      return r
    } catch {
      print("\(name): failed: \(error)")
      return nil
    }
  }
  if let (d, removed) = time(
    "dedupe by user,item keep=first", { try table.deduplicated(by: ["user", "item"]) })
  {
    print("  removed \(removed), \(d.rowCount) remain")
  }
  _ = time("dedupe by user,item keep=last", { try table.deduplicated(by: ["user", "item"], keep: .last) })
  if let (_, r) = time(
    "kcore user=5 item=5", { try table.kcore(user: "user", item: "item", minUser: 5, minItem: 5) })
  {
    print(
      "  users \(r.usersBefore) -> \(r.usersAfter), items \(r.itemsBefore) -> \(r.itemsAfter), "
        + "rows \(r.rowsBefore) -> \(r.rowsAfter), \(r.iterations) rounds")
  }
  _ = time("normalize rating minmax", { try table.normalized("rating", method: .minmax) })
  _ = time(
    "normalize rating user-mean by user", { try table.normalized("rating", method: .userMean, by: "user") })
  _ = time(
    "feature rating - mean(rating) by user",
    {
      try table.evaluate(
        .binary(
          .subtract, .column("rating", span: 0..<0),
          .grouped("mean", [.column("rating", span: 0..<0)], by: ["user"], span: 0..<0), span: 0..<0))
    })
  _ = time(
    "filter rating >= 4",
    {
      try table.filtered(
        where: .binary(
          .greaterEqual, .column("rating", span: 0..<0), .literal(.int(4), span: 0..<0), span: 0..<0))
    })
}

/// Ids drawn from a Zipf(1) law by inverse CDF (binary search in the cumulative
/// weights), so a few users and items hold most of the rows, as in real logs.
nonisolated func syntheticInteractions(rows: Int, users: Int, items: Int, seed: UInt64) -> Table {
  var g = SeededGenerator(seed: seed)
  func cdf(_ n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: n)
    var s = 0.0
    for k in 0..<n {
      s += 1 / Double(k + 1)
      c[k] = s
    }
    return c.map { $0 / s }
  }
  func draw(_ c: [Double], _ u: Double) -> Int {
    var lo = 0
    var hi = c.count - 1
    while lo < hi {
      let mid = (lo + hi) / 2
      if c[mid] < u { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
  let uc = cdf(users)
  let ic = cdf(items)
  var user = [Int](repeating: 0, count: rows)
  var item = [Int](repeating: 0, count: rows)
  var rating = [Int](repeating: 0, count: rows)
  var ts = [Int](repeating: 0, count: rows)
  for r in 0..<rows {
    user[r] = 1 + draw(uc, g.nextDouble())
    item[r] = 1 + draw(ic, g.nextDouble())
    rating[r] = 1 + g.nextInt(below: 5)
    ts[r] = 1_500_000_000 + g.nextInt(below: 100_000_000)
  }
  return Table(columns: [
    ("user", Column(ints: user)), ("item", Column(ints: item)), ("rating", Column(ints: rating)),
    ("timestamp", Column(ints: ts)),
  ])
}
