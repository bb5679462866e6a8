import Foundation
import Testing

@testable import RecData

/// The parallel path gives exactly the single-thread table, wherever the cuts fall.
@Suite struct CSVParallelTests {
  /// ~200k rows: ints, doubles, strings with separators, quotes and newlines, missing values.
  static let mixed: [UInt8] = {
    var g = SeededGenerator(seed: 7)
    var s = "id,score,name,note,count\n"
    s.reserveCapacity(12 << 20)
    let words = ["alpha", "beta", "gamma, delta", "say \"\"hi\"\"", "two\nlines", "é ü", "NA"]
    for i in 0..<200_000 {
      s += String(i)
      s += ","
      s += g.nextInt(below: 20) == 0 ? "" : String(Double(g.nextInt(below: 10_000)) / 8)
      s += ","
      let w = words[g.nextInt(below: words.count)]
      s += w.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"\(w)\"" : w
      s += ",\"note \(g.nextInt(below: 50))\","
      s += g.nextInt(below: 30) == 0 ? "NA" : String(g.nextInt(below: 1000) - 500)
      s += "\n"
    }
    return Array(s.utf8)
  }()

  static func read(_ bytes: [UInt8], threads: Int, _ configure: (inout CSVOptions) -> Void = { _ in }) throws
    -> (Table, LoadReport)
  {
    var o = CSVOptions()
    o.threads = threads
    configure(&o)
    return try CSVReader.read(data: bytes, name: "p.csv", options: o)
  }

  @Test func mixedFileSameForEveryThreadCount() throws {
    let (one, r1) = try Self.read(Self.mixed, threads: 1)
    #expect(one.rowCount == 200_000)
    #expect(one.columns.map(\.type) == [.int, .double, .string, .string, .int])
    #expect(one.column("name")?[0] != nil)
    for threads in [2, 3, 5, 8] {
      let (many, r) = try Self.read(Self.mixed, threads: threads)
      #expect(many == one, "threads \(threads)")
      #expect(r == r1)
    }
  }

  /// A quoted field spanning the middle of the file: every cut lands inside it.
  @Test func cutInsideAQuotedField() throws {
    var s = "a,b\n"
    for i in 0..<1000 { s += "\(i),x\n" }
    s += "1000,\"" + String(repeating: "inside\n", count: 3000) + "\"\n"
    for i in 1001..<2000 { s += "\(i),y\n" }
    let bytes = Array(s.utf8)
    let (one, _) = try Self.read(bytes, threads: 1)
    #expect(one.rowCount == 2000)
    for threads in 2...4 {
      let (many, _) = try Self.read(bytes, threads: threads)
      #expect(many == one)
    }
  }

  /// Type promotions found in a later range apply to the earlier ones.
  @Test(arguments: [("1.5", ColumnType.double), ("text", ColumnType.string)])
  func promotionInTheLastRange(late: String, type: ColumnType) throws {
    var s = "a,b\n"
    for i in 0..<20_000 { s += "\(i),\(i % 7)\n" }
    s += "\(late),1\n"
    let bytes = Array(s.utf8)
    let (one, _) = try Self.read(bytes, threads: 1)
    let (two, _) = try Self.read(bytes, threads: 2)
    #expect(one == two)
    #expect(two.column("a")?.type == type)
    #expect(two.column("b")?.type == .int)
  }

  @Test func errorsAndSkipsAreTheSameInParallel() throws {
    var s = "a,b\n"
    for i in 0..<20_000 { s += i % 997 == 5 ? "\(i)\n" : "\(i),\(i)\n" }
    let bytes = Array(s.utf8)
    let e1 = CSVTest.error { () throws(DataError) in
      _ = try CSVReader.read(data: bytes, name: "p.csv", options: .init())
    }
    for threads in [1, 2, 4] {
      var o = CSVOptions()
      o.threads = threads
      let e = CSVTest.error { () throws(DataError) in
        _ = try CSVReader.read(data: bytes, name: "p.csv", options: o)
      }
      #expect(e == e1)
      #expect(e == .malformedRow(path: "p.csv", line: 7, field: nil, message: "expected 2 fields, found 1"))
    }
    let (one, r1) = try Self.read(bytes, threads: 1) { $0.onError = .skip }
    let (two, r2) = try Self.read(bytes, threads: 2) { $0.onError = .skip }
    #expect(one == two)
    #expect(r1 == r2)
    #expect(r1.skipped == (0..<20_000).filter { $0 % 997 == 5 }.count)
  }

  @Test func fileReaderMatchesMemoryReader() throws {
    let dir = try CSVTest.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/mixed.csv"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.mixed)))
    let (fromFile, report) = try CSVReader.read(path: path)
    let (fromMemory, _) = try Self.read(Self.mixed, threads: 1)
    #expect(fromFile == fromMemory)
    #expect(report.bytes == Self.mixed.count)
  }
}
