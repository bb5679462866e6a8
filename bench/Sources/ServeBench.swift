import Foundation
import Logging
import RecData
import RecModels
import RecServe
import Synchronization

/// `serve`: HTTP throughput and latency of `RecServer` under load from `wrk` (a second
/// process on loopback), for a fixed time.
///
/// The model is a stand-in whose `recommend` does the work a trained factor model does for
/// MovieLens-100k: one user's 64-dim factors dotted with 1,682 item factors, then the top k by
/// a partial selection — about what `FactorModel` costs per request — so the numbers measure
/// HTTP + JSON + one realistic scoring, not an empty handler. Factors come from
/// `SeededGenerator`, so every run scores the same numbers.
///
///     recbook-bench serve [--seconds 10] [--connections 16] [--threads 2] [--items 1682]
///                         [--dim 64] [--k 10] [--path /v1/recommend?user=u7&k=10]
///                         [--model als] [--cache N] [--executor nio|pool]
///
/// Prints one JSON line: requests/s, p50/p90/p99 latency in ms (wrk's `--latency`), non-2xx
/// count, socket errors. Needs `wrk` (Debian package; bench/serve_load.sh installs it).
enum ServeBench {
  static func run(_ arguments: [String]) -> Int32 {
    let seconds = BenchSupport.option("seconds", in: arguments).flatMap { Int($0) } ?? 10
    let connections = BenchSupport.option("connections", in: arguments).flatMap { Int($0) } ?? 16
    // wrk needs at least one connection per thread.
    let threads = min(BenchSupport.option("threads", in: arguments).flatMap { Int($0) } ?? 2, connections)
    let items = BenchSupport.option("items", in: arguments).flatMap { Int($0) } ?? 1682
    let dim = BenchSupport.option("dim", in: arguments).flatMap { Int($0) } ?? 64
    let k = BenchSupport.option("k", in: arguments).flatMap { Int($0) } ?? 10
    let path = BenchSupport.option("path", in: arguments) ?? "/v1/recommend?user=u7&k=\(k)"
    // `--executor pool` keeps the concurrency runtime's own threads (what the REPL's `serve`
    // cell runs on); the default runs tasks on NIO's event loops, as `recbook serve FILE` does.
    let executor = BenchSupport.option("executor", in: arguments) ?? "nio"
    let onEventLoops = executor == "nio" && RecServer.runTasksOnEventLoops()
    guard let wrk = findWrk() else {
      print("serve: wrk not found; install it with `apt-get install -y wrk` or run bench/serve_load.sh")
      return 1
    }
    // `--model als` (or any catalogue type): a real `TrainedModel` fitted on the ML-1M-sized
    // synthetic set (6,040 users x 3,706 items, 1M events), `dim` factors, few iterations
    // (serving cost does not depend on how well it was trained).
    let service: any RecommendationService
    if let type = BenchSupport.option("model", in: arguments) {
      do {
        service = try trainedModel(type: type, dim: dim)
      } catch {
        print("serve: \(error)")
        return 1
      }
    } else {
      service = FactorStandIn(users: 943, items: items, dim: dim)
    }
    var logger = Logger(label: "recbook.bench.serve")
    logger.logLevel = .warning  // one log line per request would measure the terminal
    // `--cache 0`: every request scores the catalogue (the model's cost under load).
    let cacheEntries =
      BenchSupport.option("cache", in: arguments).flatMap { Int($0) } ?? RecServer.defaultCacheEntries
    let server = RecServer(
      service: service, host: "127.0.0.1", port: 0, logger: logger, cacheEntries: cacheEntries)
    // The model's own cost per request, without HTTP, to tell it apart from the server's.
    let calls = 2000
    let modelStart = BenchSupport.now()
    var checksum = 0.0  // used below, so the optimizer cannot drop the calls
    for c in 0..<calls {
      checksum +=
        (try? service.recommend(user: userID(c), k: k, excludeSeen: true))?.items.first?.score ?? 0
    }
    let modelMicroseconds = (BenchSupport.now() - modelStart) / Double(calls) * 1e6

    // With a real model and no --path, every request asks for another user (a wrk Lua script
    // cycling through all of them), so the numbers are not one user's cached answer.
    var script: String?
    if let trained = service as? TrainedModel, BenchSupport.option("path", in: arguments) == nil {
      let ids = (0..<trained.users.count).map { "\"\(trained.users.value(at: $0).description)\"" }
      let lua = """
        local ids = {\(ids.joined(separator: ","))}
        local n = 0
        request = function()
          n = n + 1
          return wrk.format("GET", "/v1/recommend?user=" .. ids[(n % #ids) + 1] .. "&k=\(k)")
        end
        """
      let file = NSTemporaryDirectory() + "recbook-serve-bench.lua"
      do { try lua.write(toFile: file, atomically: true, encoding: .utf8) } catch {
        print("serve: cannot write \(file): \(error)")
        return 1
      }
      script = file
    }
    // The server runs in tasks; wrk runs here, on the main thread, so the load generator never
    // occupies a thread the server's tasks may need (with `--executor nio` those are the two
    // event loops).
    let port: Int
    switch blocking({ try await server.start() }) {
    case .success(let p): port = p
    case .failure(let error):
      print("serve: \(error)")
      return 1
    }
    let url = "http://127.0.0.1:\(port)\(path)"
    let ran = Result {
      try runProcess(
        wrk,
        ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "5s", "--latency"]
          + (script.map { ["-s", $0] } ?? []) + [url])
    }
    _ = blocking { await server.stop() }
    let text: String
    switch ran {
    case .success(let t): text = t
    case .failure(let error):
      print("serve: \(error)")
      return 1
    }
    let report = WrkReport(text)
    let status = server.status
    print(
      "{\"bench\":\"serve\",\"path\":\"\(script == nil ? path : "/v1/recommend?user=(all users in turn)&k=\(k)")\",\"seconds\":\(seconds),\"connections\":\(connections),"
        + "\"wrk_threads\":\(threads),\"cache\":\(cacheEntries),\"executor\":\"\(onEventLoops ? "nio" : "pool")\",\"model\":\"\(service.info.type)\",\"items\":\(service.info.items),"
        + "\"dim\":\(dim),\"peak_mb\":\(CSVLoadBench.rounded(BenchSupport.peakRSSMegabytes(), 1)),"
        + "\"model_us_per_call\":\(CSVLoadBench.rounded(modelMicroseconds, 1)),"
        + "\"requests_per_s\":\(report.requestsPerSecond.map { String($0) } ?? "null"),"
        + "\"p50_ms\":\(json(report.percentile("50%"))),\"p90_ms\":\(json(report.percentile("90%"))),"
        + "\"p99_ms\":\(json(report.percentile("99%"))),\"non_2xx\":\(report.non2xx),"
        + "\"socket_errors\":\(report.socketErrors ?? "null"),\"served\":\(status.requests),"
        + "\"server_errors\":\(status.errors),\"checksum\":\(CSVLoadBench.rounded(checksum, 3))}")
    return 0
  }

  /// The user of call `c` in the model-only timing: the stand-in's `u1...u943`, or the real
  /// model's first 943 users.
  nonisolated(unsafe) static var userID: (Int) -> String = { "u\($0 % 943 + 1)" }

  /// A catalogue model of `type` fitted on the synthetic ML-1M-sized set, wrapped for serving.
  static func trainedModel(type: String, dim: Int) throws -> TrainedModel {
    guard let spec = ModelCatalog.named(type) else { throw ModelError("unknown model \(type)") }
    let data = try synthetic()
    var options: [String: ModelOptions.Value] = [:]
    if spec.options.contains(where: { $0.name == "factors" }) { options["factors"] = .int(dim) }
    if spec.options.contains(where: { $0.name == "iterations" }) { options["iterations"] = .int(2) }
    if spec.options.contains(where: { $0.name == "epochs" }) { options["epochs"] = .int(1) }
    var model = try spec.make(ModelOptions(options, seed: 42))
    let t0 = BenchSupport.now()
    try model.fit(data, context: FitContext(seed: 42))
    print(
      "{\"bench\":\"serve\",\"model\":\"\(type)\",\"users\":\(data.userCount),\"items\":\(data.itemCount),"
        + "\"events\":\(data.count),\"fit_s\":\(CSVLoadBench.rounded(BenchSupport.now() - t0, 2))}")
    let trained = TrainedModel(name: type, type: type, model: model, train: data, trainedOn: "synth-1m")
    let users = data.users
    userID = { users.value(at: $0 % 943).description }
    return trained
  }

  /// Runs `work` in a task and waits for it on the calling (main) thread.
  static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> Result<T, any Error>
  {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
      do {
        let value = try await work()
        outcome.result.withLock { $0 = .success(value) }
      } catch {
        outcome.result.withLock { $0 = .failure(error) }
      }
      done.signal()
    }
    done.wait()
    return outcome.result.withLock { $0 } ?? .failure(ModelError("the task ended without a result"))
  }

  /// How a task ended (a class: a `Mutex` cannot be captured by a closure).
  final class Outcome<T: Sendable>: Sendable {
    let result = Mutex<Result<T, any Error>?>(nil)
  }

  static func json(_ x: Double?) -> String { x.map { String(CSVLoadBench.rounded($0, 3)) } ?? "null" }

  static func findWrk() -> String? {
    ["/usr/bin/wrk", "/usr/local/bin/wrk"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// Runs a program to completion and returns its standard output.
  static func runProcess(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}

/// The numbers in wrk's text report.
struct WrkReport {
  var requestsPerSecond: Double?
  /// `50%` -> milliseconds, from the `Latency Distribution` block.
  var percentiles: [String: Double] = [:]
  var non2xx = 0
  var socketErrors: String?

  init(_ text: String) {
    for raw in text.split(separator: "\n") {
      let fields = raw.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      guard let first = fields.first else { continue }
      if first == "Requests/sec:", fields.count > 1 { requestsPerSecond = Double(fields[1]) }
      if first.hasSuffix("%"), fields.count == 2, let ms = Self.milliseconds(fields[1]) {
        percentiles[first] = ms
      }
      if raw.contains("Non-2xx or 3xx responses:"), let n = fields.last.flatMap({ Int($0) }) { non2xx = n }
      if first == "Socket" { socketErrors = "\"" + fields.dropFirst(2).joined(separator: " ") + "\"" }
    }
  }

  func percentile(_ p: String) -> Double? { percentiles[p] }

  /// wrk prints `812.00us`, `1.23ms`, `2.01s`.
  static func milliseconds(_ s: String) -> Double? {
    for (suffix, scale) in [("us", 1e-3), ("ms", 1.0), ("s", 1e3)] where s.hasSuffix(suffix) {
      return Double(s.dropLast(suffix.count)).map { $0 * scale }
    }
    return nil
  }
}

/// A model stand-in with a trained factor model's per-request cost: user and item factors
/// `(users, dim)`, `(items, dim)`, scores by dot products, top k by selection.
struct FactorStandIn: RecommendationService {
  let userFactors: [Float]
  let itemFactors: [Float]
  let users: Int
  let items: Int
  let dim: Int

  init(users: Int, items: Int, dim: Int) {
    var rng = SeededGenerator(seed: 42)
    self.users = users
    self.items = items
    self.dim = dim
    userFactors = (0..<users * dim).map { _ in rng.nextFloat() - 0.5 }
    itemFactors = (0..<items * dim).map { _ in rng.nextFloat() - 0.5 }
  }

  var info: ModelInfo {
    ModelInfo(
      name: "standin", type: "mf", users: users, items: items, trainedOn: "synthetic", fingerprint: "0")
  }

  /// Top `k` of `scores` by a bounded insertion list: O(items x k) worst case, O(items) typical.
  func top(_ scores: [Float], k: Int, excluding excluded: Set<Int>) -> [Recommendation] {
    var best: [(Int, Float)] = []
    best.reserveCapacity(k + 1)
    for (i, s) in scores.enumerated() where !excluded.contains(i) {
      if best.count == k, let last = best.last, s <= last.1 { continue }
      let at = best.firstIndex { s > $0.1 } ?? best.count
      best.insert((i, s), at: at)
      if best.count > k { best.removeLast() }
    }
    return best.enumerated().map { r, e in
      Recommendation(
        item: "\(e.0 + 1)", rank: r + 1, score: Double(e.1), metadata: ["title": "Movie \(e.0 + 1)"])
    }
  }

  func scores(for vector: ArraySlice<Float>) -> [Float] {
    var out = [Float](repeating: 0, count: items)
    itemFactors.withUnsafeBufferPointer { f in
      for i in 0..<items {
        var s: Float = 0
        let base = i * dim
        for (d, u) in vector.enumerated() { s += f[base + d] * u }
        out[i] = s
      }
    }
    return out
  }

  func recommend(user: String, k: Int, excludeSeen: Bool) throws(ServiceError) -> RecommendationList {
    guard let u = Int(user.drop { !$0.isNumber }), u >= 1, u <= users else {
      return RecommendationList(
        items: top(scores(for: itemFactors[0..<dim]), k: k, excluding: []), coldStart: true, source: "pop")
    }
    let vector = userFactors[(u - 1) * dim..<u * dim]
    return RecommendationList(items: top(scores(for: vector), k: k, excluding: []), source: "standin")
  }

  func recommend(history: [String], k: Int) throws(ServiceError) -> RecommendationList {
    try recommend(user: "u1", k: k, excludeSeen: false)
  }

  func similar(item: String, k: Int) throws(ServiceError) -> RecommendationList {
    guard let i = Int(item), i >= 1, i <= items else { throw .unknownItem(item) }
    let vector = itemFactors[(i - 1) * dim..<i * dim]
    return RecommendationList(items: top(scores(for: vector), k: k, excluding: [i - 1]), source: "standin")
  }

  func explain(user: String, item: String) throws(ServiceError) -> Explanation {
    throw .unsupported("standin cannot explain")
  }
}
