import RecData
import RecEval
import RecModels

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif

/// `recbook-bench eval [--reps N] [--threads T] [--dim D] [--data ml100k,synth]`: full-ranking
/// evaluation time (score every item for a user, drop the train items, top-10, HR/NDCG@10)
/// for every test user, with a random-factor `FactorModel` (the cost does not depend on the
/// factors' values).
///
/// Data: MovieLens 100K leave-one-out (if `../shared/data/ml-100k/u.data` exists) and an
/// ML-1M-sized synthetic set made here (6,040 users x 3,706 items, 1M distinct interactions,
/// Zipf-like item popularity, seeded). Prints one JSON line per data set: median and min wall
/// ms over the repetitions, and process CPU ms per repetition.
func runEvalBench(args: [String]) {
  func option(_ name: String, _ fallback: Int) -> Int {
    BenchSupport.option(name, in: args).flatMap { Int($0) } ?? fallback
  }
  let reps = option("reps", 9)
  let threads = option("threads", 2)
  let dim = option("dim", 64)
  let which = Set(
    (BenchSupport.option("data", in: args) ?? "ml100k,synth").split(separator: ",").map(String.init))

  var sets: [(String, Split)] = []
  if which.contains("ml100k") {
    let path = BenchSupport.option("ml100k", in: args) ?? "../shared/data/ml-100k/u.data"
    do {
      let table = try MovieLens.read(path: path).0
      let d = try Interactions(table: table, roles: InteractionRoles(time: "timestamp"))
      sets.append(("ml-100k", try Splitter.split(d, method: .leaveOneOut, seed: 42)))
    } catch {
      print("{\"bench\":\"eval\",\"data\":\"ml-100k\",\"skipped\":\"\(path) not readable\"}")
    }
  }
  if which.contains("synth") {
    do {
      sets.append(("synth-1M", try Splitter.split(synthetic(), method: .leaveOneOut, seed: 42)))
    } catch {
      print("{\"bench\":\"eval\",\"data\":\"synth-1M\",\"skipped\":\"\(error)\"}")
    }
  }
  for (name, split) in sets {
    let model = FactorModel.random(
      users: split.train.userCount, items: split.train.itemCount, dim: dim, seed: 1)
    let options = EvaluationOptions(k: 10, metrics: [.hr, .ndcg], threads: threads)
    var wall = [Double]()
    var cpu = [Double]()
    var hr = 0.0
    for _ in 0..<reps {
      let c0 = BenchSupport.cpuSeconds()
      let t0 = BenchSupport.now()
      let r = try? Evaluator.evaluate(model, on: split, options: options)
      wall.append((BenchSupport.now() - t0) * 1000)
      cpu.append((BenchSupport.cpuSeconds() - c0) * 1000)
      hr = r?.value(.hr) ?? -1
    }
    let sorted = wall.sorted()
    let median = sorted[sorted.count / 2]
    let cpuMedian = cpu.sorted()[cpu.count / 2]
    print(
      "{\"bench\":\"eval\",\"data\":\"\(name)\",\"users\":\(split.test.activeUserCount),"
        + "\"items\":\(split.train.itemCount),\"train\":\(split.train.count),\"dim\":\(dim),"
        + "\"threads\":\(threads),\"reps\":\(reps),\"ms_median\":\(fmt(median)),\"ms_min\":\(fmt(sorted[0])),"
        + "\"cpu_ms_median\":\(fmt(cpuMedian)),\"hr10\":\(fmt(hr))}")
  }
}

/// Three decimals, for JSON.
private func fmt(_ x: Double) -> String { "\((x * 1000).rounded() / 1000)" }

/// 6,040 users x 3,706 items, 1,000,000 distinct (user, item) pairs: user activity from a
/// log-normal-ish spread (at least 20), items drawn with probability falling as a power of
/// their rank (squared uniform draws, like `RandomTables`), seeded; time = draw order.
func synthetic() throws -> Interactions {
  let users = 6040
  let items = 3706
  let total = 1_000_000
  var g = SeededGenerator(seed: 7)
  var weights = (0..<users).map { _ in exp(g.nextGaussian()) }
  let sum = weights.reduce(0, +)
  weights = weights.map { $0 / sum * Double(total - 20 * users) }
  var counts = weights.map { min(items / 2, 20 + Int($0)) }
  var missing = total - counts.reduce(0, +)
  var u = 0
  while missing > 0 {
    if counts[u] < items / 2 {
      counts[u] += 1
      missing -= 1
    }
    u = (u + 1) % users
  }
  var us = [Int]()
  var its = [Int]()
  var ts = [Int]()
  us.reserveCapacity(total)
  its.reserveCapacity(total)
  ts.reserveCapacity(total)
  var taken = [Bool](repeating: false, count: items)
  for user in 0..<users {
    var picked = [Int]()
    while picked.count < counts[user] {
      let x = g.nextDouble()
      let i = min(items - 1, Int(x * x * Double(items)))
      if !taken[i] {
        taken[i] = true
        picked.append(i)
      }
    }
    for (j, i) in picked.enumerated() {
      us.append(user)
      its.append(i)
      ts.append(j)
      taken[i] = false
    }
  }
  let t = Table(columns: [
    ("user", Column(ints: us)), ("item", Column(ints: its)), ("time", Column(ints: ts)),
  ])
  return try Interactions(table: t, roles: InteractionRoles(time: "time"))
}
