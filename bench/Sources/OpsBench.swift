import Foundation
import RecData

/// `recbook-bench ops [rows]`: times the data operations on a synthetic interaction
/// table (default 10,000,000 rows; 100k users x 20k items, Zipf-skewed ids, rating
/// 1-5, timestamp), one run each, and prints one JSON line per operation, e.g.
///
///     {"bench":"ops","op":"kcore user=5 item=5","rows":10000000,"seconds":1.43,"rows_after":...}
///
/// (`op` first and `seconds` early, so the lines read well as they are.)
nonisolated func runOpsBench(args: [String]) {
  let rows = args.first.flatMap { Int($0) } ?? 10_000_000
  let clock = ContinuousClock()
  func seconds(_ d: Duration) -> String {
    let c = d.components
    return String(format: "%.3f", Double(c.seconds) + Double(c.attoseconds) * 1e-18)
  }
  /// One JSON line: the operation, its time and `extra` fields (already JSON values).
  func emit(_ op: String, _ time: String, _ extra: [(String, String)] = []) {
    let fields = [("bench", "\"ops\""), ("op", "\"\(op)\""), ("rows", "\(rows)"), ("seconds", time)] + extra
    print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
  }
  let start = clock.now
  let table = syntheticInteractions(rows: rows, users: 100_000, items: 20_000, seed: 42)
  emit("generate", seconds(clock.now - start))

  func time<T>(_ name: String, _ body: () throws -> T, extra: (T) -> [(String, String)] = { _ in [] }) {
    let t0 = clock.now
    do {
      let r = try body()
      emit(name, seconds(clock.now - t0), extra(r))
    } catch {
      emit(
        name, "null",
        [("error", "\"\(String(describing: error).replacingOccurrences(of: "\"", with: "'"))\"")])
    }
  }
  time("dedupe by user,item keep=first", { try table.deduplicated(by: ["user", "item"]) }) { r in
    [("removed", "\(r.1)"), ("remain", "\(r.0.rowCount)")]
  }
  time("dedupe by user,item keep=last", { try table.deduplicated(by: ["user", "item"], keep: .last) }) { r in
    [("removed", "\(r.1)"), ("remain", "\(r.0.rowCount)")]
  }
  time("kcore user=5 item=5", { try table.kcore(user: "user", item: "item", minUser: 5, minItem: 5) }) {
    let r = $0.1
    return [
      ("users_before", "\(r.usersBefore)"), ("users_after", "\(r.usersAfter)"),
      ("items_before", "\(r.itemsBefore)"), ("items_after", "\(r.itemsAfter)"),
      ("rows_after", "\(r.rowsAfter)"), ("rounds", "\(r.iterations)"),
    ]
  }
  time("normalize rating minmax", { try table.normalized("rating", method: .minmax) })
  time(
    "normalize rating user-mean by user", { try table.normalized("rating", method: .userMean, by: "user") })
  time(
    "feature rating - mean(rating) by user",
    {
      try table.evaluate(
        .binary(
          .subtract, .column("rating", span: 0..<0),
          .grouped("mean", [.column("rating", span: 0..<0)], by: ["user"], span: 0..<0), span: 0..<0))
    })
  time(
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
