import RecData

/// Splits interaction data into train and test (and optionally validation), seeded.
///
/// Per-user methods emit each part grouped by user (ascending dense index, i.e. raw id),
/// each user's events by (time, item, row) when there is time and by (item, row) otherwise,
/// which is the order the shared protocol writes `loo_train.tsv`. Global methods keep the
/// data's row order. Every random choice draws from `SeededGenerator(seed:)`.
public enum Splitter {
  /// Splits `data` by `method`; if `validation` is given, it is carved out of train by that
  /// method (drawing from stream 1 of the seed), for early stopping and tuning.
  public static func split(
    _ data: Interactions, method: SplitMethod, seed: UInt64, validation: SplitMethod? = nil, name: String = ""
  ) throws(EvalError) -> Split {
    var g = SeededGenerator(seed: seed)
    let (trainRows, testRows) = try partition(data, method: method, generator: &g)
    var train = data.subset(trainRows)
    let test = data.subset(testRows)
    var valid: Interactions? = nil
    if let validation {
      var gv = SeededGenerator(seed: seed, stream: 1)
      let (t2, v) = try partition(train, method: validation, generator: &gv)
      valid = train.subset(v)
      train = train.subset(t2)
    }
    let label =
      name.isEmpty
      ? "\(method)" + (validation.map { ", validation \($0)" } ?? "") + ", seed \(seed)" : name
    return Split(name: label, method: method, seed: seed, train: train, test: test, validation: valid)
  }

  /// The event rows of train and of test under `method`.
  static func partition(_ d: Interactions, method: SplitMethod, generator g: inout SeededGenerator)
    throws(EvalError) -> (train: [Int], test: [Int])
  {
    switch method {
    case .leaveOneOut: return try leaveKOut(d, k: 1, label: "leave-one-out", generator: &g)
    case .leaveKOut(let k):
      guard k > 0 else { throw .invalidK(k) }
      return try leaveKOut(d, k: k, label: "leave-\(k)-out", generator: &g)
    case .temporal(let cut): return try temporal(d, cut: cut)
    case .randomPerUser(let ratio):
      try checkRatio(ratio)
      var train = [Int]()
      var test = [Int]()
      for u in 0..<d.userCount {
        var ev = ordered(d, user: u)
        let n = ev.count
        let t = min(Int((ratio * Double(n)).rounded(.down)), n - 1)
        guard t > 0 else {
          train.append(contentsOf: ev)
          continue
        }
        // Choose which events go to test, then keep each part in the user's order.
        var pick = Array(0..<n)
        partialShuffle(&pick, count: t, generator: &g)
        var isTest = [Bool](repeating: false, count: n)
        for p in pick.prefix(t) { isTest[p] = true }
        for (j, e) in ev.enumerated() { if isTest[j] { test.append(e) } else { train.append(e) } }
        ev.removeAll()
      }
      return (train, test)
    case .randomGlobal(let ratio):
      try checkRatio(ratio)
      let n = d.count
      let t = Int((ratio * Double(n)).rounded())
      var pick = Array(0..<n)
      partialShuffle(&pick, count: t, generator: &g)
      var isTest = [Bool](repeating: false, count: n)
      for p in pick.prefix(t) { isTest[p] = true }
      return ((0..<n).filter { !isTest[$0] }, (0..<n).filter { isTest[$0] })
    case .given:
      throw .invalidArgument("a given split is made from two tables (split NAME from TRAIN test=TEST)")
    }
  }

  private static func checkRatio(_ r: Double) throws(EvalError) {
    guard r > 0 && r < 1 else {
      throw .invalidArgument("ratio must be between 0 and 1 (exclusive), got \(r)")
    }
  }

  /// The first `count` entries become a uniform random sample (Fisher-Yates, front part only).
  private static func partialShuffle(_ a: inout [Int], count: Int, generator g: inout SeededGenerator) {
    for i in 0..<min(count, a.count) {
      let j = i + g.nextInt(below: a.count - i)
      if i != j { a.swapAt(i, j) }
    }
  }

  /// User `u`'s events, by (time, item, row) with time and by (item, row) without.
  static func ordered(_ d: Interactions, user u: Int) -> [Int] {
    let ev = d.byUser.events(ofRow: u).map(Int.init)  // already by (item, row)
    guard let time = d.time else { return ev }
    return ev.sorted { a, b in
      if time[a] != time[b] { return time[a] < time[b] }
      if d.item[a] != d.item[b] { return d.item[a] < d.item[b] }
      return a < b
    }
  }

  private static func leaveKOut(_ d: Interactions, k: Int, label: String, generator g: inout SeededGenerator)
    throws(EvalError) -> (train: [Int], test: [Int])
  {
    var train = [Int]()
    var test = [Int]()
    train.reserveCapacity(d.count)
    for u in 0..<d.userCount {
      let ev = ordered(d, user: u)
      if ev.isEmpty { continue }
      guard ev.count > k else {
        throw .userWithoutTrainingData(user: d.users.text(at: u), interactions: ev.count, split: label)
      }
      if d.time != nil {
        // Latest k: the tail of the (time, item, row) order, so ties go to the larger item.
        train.append(contentsOf: ev.dropLast(k))
        test.append(contentsOf: ev.suffix(k))
      } else {
        var pick = Array(0..<ev.count)
        partialShuffle(&pick, count: k, generator: &g)
        var isTest = [Bool](repeating: false, count: ev.count)
        for p in pick.prefix(k) { isTest[p] = true }
        for (j, e) in ev.enumerated() { if isTest[j] { test.append(e) } else { train.append(e) } }
      }
    }
    return (train, test)
  }

  private static func temporal(_ d: Interactions, cut: SplitMethod.TemporalCut) throws(EvalError) -> (
    train: [Int], test: [Int]
  ) {
    guard let time = d.time else { throw .missingRole(role: "time", neededBy: "a temporal split") }
    let at: Double
    switch cut {
    case .time(let t): at = t
    case .quantile(let q):
      guard q > 0 && q < 1 else {
        throw .invalidArgument("quantile must be between 0 and 1 (exclusive), got \(q)")
      }
      guard !time.isEmpty else { return ([], []) }
      let sorted = time.sorted()
      at = sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.down)))]
    }
    let n = d.count
    let train = (0..<n).filter { time[$0] < at }
    let test = (0..<n).filter { time[$0] >= at }
    if train.isEmpty || test.isEmpty {
      throw .invalidArgument(
        "the temporal cut at \(at) leaves \(train.isEmpty ? "train" : "test") empty"
          + " (times run from \(time.min() ?? 0) to \(time.max() ?? 0))")
    }
    return (train, test)
  }
}
