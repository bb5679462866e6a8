import Notebook
import RecData

/// `recbook-bench repl`: Tab completion latency on a session holding a 10M-row table.
///
/// Completion reads only names (tables, columns, options), never rows, so its
/// cost must not grow with the data; this measures that it does not.
func runREPLBench(args: [String]) {
  let rows = Int(BenchSupport.option("rows", in: args) ?? "") ?? 10_000_000
  var ids = [Int](repeating: 0, count: rows)
  for i in 0..<rows { ids[i] = i % 100_003 }
  let big = Table(columns: [
    ("user", Column(ints: ids)), ("item", Column(ints: ids)), ("rating", Column(ints: ids)),
    ("timestamp", Column(ints: ids)),
  ])
  var session = Session()
  session.setTable("ratings", TableEntry(table: big, lineage: ["bench"]))
  let completer = Completer()
  for line in ["normalize ratings.ra", "dedupe ratings by=user,it", "show rat", "de", "load x from bench/"] {
    var times: [Double] = []
    var count = 0
    for _ in 0..<200 {
      let t0 = BenchSupport.now()
      count = completer.complete(line: line, session: session).count
      times.append(BenchSupport.now() - t0)
    }
    times.sort()
    let median = times[times.count / 2] * 1000
    let p99 = times[times.count * 99 / 100] * 1000
    print(
      "{\"bench\":\"repl-complete\",\"rows\":\(rows),\"line\":\"\(line)\",\"candidates\":\(count),"
        + "\"median_ms\":\(rounded(median)),\"p99_ms\":\(rounded(p99))}")
  }
}

private func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
