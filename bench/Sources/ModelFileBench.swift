import Foundation
import RecEval
import RecModels

/// `recbook-bench model-file [--users N] [--items N] [--dim D] [--reps R]`: saves and loads a
/// `FactorModel` of `(users + items) x dim` floats (default 5,000 + 5,000 x 100 = 1M floats,
/// 4 MB) through `BinaryStateEncoder` and `ModelFile`, and prints the file size and the best
/// time and MB/s of each step over `reps` repetitions. The write includes fsync.
enum ModelFileBench {
  static func run(_ args: [String]) -> Int32 {
    let users = Int(BenchSupport.option("users", in: args) ?? "") ?? 5_000
    let items = Int(BenchSupport.option("items", in: args) ?? "") ?? 5_000
    let dim = Int(BenchSupport.option("dim", in: args) ?? "") ?? 100
    let reps = Int(BenchSupport.option("reps", in: args) ?? "") ?? 5
    let model = FactorModel.random(users: users, items: items, dim: dim, seed: 1)
    let header = ModelFileHeader(
      recbookVersion: "bench", modelType: "factors", name: "f", created: Date(),
      users: IDMap(ints: Array(0..<users)), items: IDMap(ints: Array(0..<items)), fingerprint: "0")
    let seen = CSR(rows: [], columns: [], rowCount: users, columnCount: items)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("recbook-bench-\(getpid()).rbm")
      .path
    defer { try? FileManager.default.removeItem(atPath: path) }
    var best = [String: Double]()
    var cpu = [String: Double]()
    // Wall and CPU time: on a shared machine the wall time of fsync and page faults swings
    // widely, the CPU time much less.
    func time(_ name: String, _ body: () throws -> Void) rethrows {
      let (t0, c0) = (BenchSupport.now(), BenchSupport.cpuSeconds())
      try body()
      best[name] = min(best[name] ?? .infinity, BenchSupport.now() - t0)
      cpu[name] = min(cpu[name] ?? .infinity, BenchSupport.cpuSeconds() - c0)
    }
    do {
      var size = 0
      for _ in 0..<reps {
        var state = Data()
        try time("encode") { state = try BinaryStateEncoder().encode(model) }
        try time("write") { try ModelFile.write(header: header, state: state, seen: seen, to: path) }
        var file: ModelFile?
        try time("read") { file = try ModelFile.read(path) }
        var back: FactorModel?
        try time("decode") {
          back = try BinaryStateDecoder().decode(FactorModel.self, from: file?.state ?? Data())
        }
        guard back?.itemFactors == model.itemFactors, back?.userFactors == model.userFactors else {
          print("{\"error\": \"round trip differs\"}")
          return 1
        }
        size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      }
      let mb = Double(size) / 1e6
      best["save"] = (best["encode"] ?? 0) + (best["write"] ?? 0)
      best["load"] = (best["read"] ?? 0) + (best["decode"] ?? 0)
      cpu["save"] = (cpu["encode"] ?? 0) + (cpu["write"] ?? 0)
      cpu["load"] = (cpu["read"] ?? 0) + (cpu["decode"] ?? 0)
      for step in ["encode", "write", "save", "read", "decode", "load"] {
        let s = best[step] ?? 0
        print(
          "{\"bench\": \"model-file\", \"step\": \"\(step)\", \"floats\": \((users + items) * dim), "
            + "\"file_mb\": \(String(format: "%.3f", mb)), \"ms\": \(String(format: "%.2f", s * 1e3)), "
            + "\"mb_per_s\": \(String(format: "%.0f", mb / s)), \"cpu_ms\": \(String(format: "%.2f", (cpu[step] ?? 0) * 1e3))}"
        )
      }
      return 0
    } catch {
      print("{\"error\": \"\(error)\"}")
      return 1
    }
  }
}
