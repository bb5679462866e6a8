import Foundation
import Testing

@testable import RecData

/// The all-int fast load gives the general path's table (and the values written),
/// for any thread count, field width, line ending and cut position.
@Suite struct CSVIntLoaderTests {
  /// A random all-int file and its expected columns: 1 to 18 digits (so both the
  /// 32-byte window and the fallback record reader run), negatives, optional
  /// blank lines, CRLF endings and a missing final newline.
  static func file(seed: UInt64, rows: Int, ncols: Int, blankLines: Bool, crlf: Bool, finalNewline: Bool)
    -> (bytes: [UInt8], columns: [[Int]])
  {
    var g = SeededGenerator(seed: seed)
    var s = (1...ncols).map { "c\($0)" }.joined(separator: ",") + "\n"
    var columns = [[Int]](repeating: [], count: ncols)
    for r in 0..<rows {
      if blankLines && g.nextInt(below: 50) == 0 { s += crlf ? "\r\n" : "\n" }
      var fields: [String] = []
      for c in 0..<ncols {
        let digits = g.nextInt(below: 10) == 0 ? 1 + g.nextInt(below: 18) : 1 + g.nextInt(below: 10)
        var v = 0
        for _ in 0..<digits { v = v * 10 + g.nextInt(below: 10) }
        if g.nextInt(below: 8) == 0 { v = -v }
        columns[c].append(v)
        fields.append(String(v))
      }
      s += fields.joined(separator: ",")
      if r < rows - 1 || finalNewline { s += crlf ? "\r\n" : "\n" }
    }
    return (Array(s.utf8), columns)
  }

  static func read(_ bytes: [UInt8], threads: Int, fast: Bool) throws -> Table {
    var o = CSVOptions()
    o.threads = threads
    return try CSVReader.read(data: bytes, name: "f.csv", options: o, intFastPath: fast).0
  }

  @Test(arguments: [
    (1, false, false, true), (2, true, false, true), (3, false, true, false), (4, true, true, false),
    (5, false, false, false), (7, true, false, true),
  ])
  func fastEqualsGeneralAndTheValues(ncols: Int, blankLines: Bool, crlf: Bool, finalNewline: Bool) throws {
    for seed in UInt64(1)...4 {
      let rows = 1 + Int(seed) * 997 % 3001
      let (bytes, columns) = Self.file(
        seed: seed, rows: rows, ncols: ncols, blankLines: blankLines, crlf: crlf, finalNewline: finalNewline)
      let general = try Self.read(bytes, threads: 1, fast: false)
      #expect(general.columns.map(\.type) == [ColumnType](repeating: .int, count: ncols))
      #expect(general.columns == columns.map { Column(ints: $0) })
      for threads in [1, 2, 3, 5, 8] {
        let fast = try Self.read(bytes, threads: threads, fast: true)
        #expect(fast == general, "seed \(seed) threads \(threads)")
      }
    }
  }

  /// A record the fast path does not take (a decimal, a missing value, a quote,
  /// a wrong field count) anywhere in the file: the general path's table or error.
  @Test(arguments: ["1.5", "NA", "", "\"7\"", "3,4", "+5", "99999999999999999999"])
  func oddRecordFallsBackToTheGeneralPath(odd: String) throws {
    for at in [0, 1, 500, 1998, 1999] {
      var s = "a,b\n"
      for i in 0..<2000 { s += i == at ? "\(odd),\(i)\n" : "\(i),\(i * 7 - 3000)\n" }
      let bytes = Array(s.utf8)
      for threads in [1, 2, 3] {
        var o = CSVOptions()
        o.threads = threads
        let fast = Result { try CSVReader.read(data: bytes, name: "f.csv", options: o, intFastPath: true).0 }
        let general = Result {
          try CSVReader.read(data: bytes, name: "f.csv", options: o, intFastPath: false).0
        }
        switch (fast, general) {
        case (.success(let f), .success(let g)): #expect(f == g, "\(odd) at \(at), threads \(threads)")
        case (.failure(let f), .failure(let g)): #expect("\(f)" == "\(g)")
        default: Issue.record("fast and general disagree for \(odd) at \(at): \(fast) vs \(general)")
        }
      }
    }
  }

  /// A mapped file over 8 MB: several 4 MB steps per range, each released to the
  /// kernel after counting and after parsing, and column pages mapped ahead.
  @Test func mappedFileEqualsTheGeneralPath() throws {
    let (bytes, columns) = Self.file(
      seed: 11, rows: 400_003, ncols: 4, blankLines: true, crlf: false, finalNewline: true)
    #expect(bytes.count > 8 << 20)
    let dir = try CSVTest.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/ints.csv"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    for threads in [1, 2, 3] {
      var o = CSVOptions()
      o.threads = threads
      let (t, report) = try CSVReader.read(path: path, options: o)
      #expect(report.rows == 400_003)
      #expect(t.columns == columns.map { Column(ints: $0) }, "threads \(threads)")
    }
  }

  /// Records around the 32-byte window: the LF at offset 30, 31, 32 and 33, fields
  /// of 16 and 17 digits, a `-` at the window's last byte.
  @Test func recordsAroundTheWindowEdge() throws {
    var s = "a,b\n"
    var expected: [[Int]] = [[], []]
    for w in 14...16 {
      for v in [
        (String(repeating: "9", count: w), "1234567890123456"), ("1", "-" + String(repeating: "7", count: w)),
      ] {
        for _ in 0..<3 {
          s += "\(v.0),\(v.1)\n"
          expected[0].append(Int(v.0) ?? 0)
          expected[1].append(Int(v.1) ?? 0)
        }
      }
    }
    s += "12345678901234567,-12345678901234\n"
    expected[0].append(12_345_678_901_234_567)
    expected[1].append(-12_345_678_901_234)
    s += String(repeating: "1,2\n", count: 20)
    expected[0] += [Int](repeating: 1, count: 20)
    expected[1] += [Int](repeating: 2, count: 20)
    let bytes = Array(s.utf8)
    for threads in [1, 2] {
      let t = try Self.read(bytes, threads: threads, fast: true)
      #expect(t.columns == expected.map { Column(ints: $0) })
    }
  }

  /// Wider than the fast load takes (one nested call per column): the general path, same values.
  @Test func wideFileTakesTheGeneralPath() throws {
    let ncols = CSVIntLoader.maxColumns + 1
    let (bytes, columns) = Self.file(
      seed: 5, rows: 50, ncols: ncols, blankLines: false, crlf: false, finalNewline: true)
    let t = try Self.read(bytes, threads: 2, fast: true)
    #expect(t.columns == columns.map { Column(ints: $0) })
  }

  @Test func countNewlinesMatchesAByteLoop() {
    var g = SeededGenerator(seed: 3)
    let bytes = (0..<5000).map { _ in g.nextInt(below: 4) == 0 ? UInt8(0x0A) : UInt8(g.nextInt(below: 256)) }
    bytes.withUnsafeBufferPointer { b in
      guard let p = b.baseAddress else { return }
      for (start, n) in [(0, 0), (0, 7), (1, 8), (3, 9), (5, 2047), (0, 5000), (13, 4100)] {
        let expected = b[start..<start + n].filter { $0 == 0x0A }.count
        #expect(CSVIntLoader.countNewlines(p + start, n) == expected, "start \(start) n \(n)")
      }
    }
    // More than 255 words of newlines only: the byte counters are flushed before they wrap.
    let all = [UInt8](repeating: 0x0A, count: 8 * 600 + 3)
    all.withUnsafeBufferPointer { b in
      if let p = b.baseAddress { #expect(CSVIntLoader.countNewlines(p, b.count) == 8 * 600 + 3) }
    }
  }

  @Test func nonDigitBitsFlagsExactlyTheNonDigits() {
    for byte in 0...255 {
      for position in 0..<8 {
        // The other bytes are digits or 0xFF/0x00 neighbours, which must not disturb the flag.
        for filler: UInt8 in [0x35, 0x00, 0xFF, 0x2F, 0x3A] {
          var bytes = [UInt8](repeating: filler, count: 8)
          bytes[position] = UInt8(byte)
          let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
          let expected = (0..<8).reduce(UInt64(0)) { m, i in
            bytes[i] >= 0x30 && bytes[i] <= 0x39 ? m : m | (1 << UInt64(i))
          }
          #expect(CSVIntLoader.nonDigitBits(w) == expected)
        }
      }
    }
  }

  @Test(arguments: 1...8) func digitsValueReadsTheFirstNDigits(n: Int) {
    let text = Array("9876543210".utf8)
    let w = text.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    let expected = text.prefix(n).reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) }
    #expect(CSVIntLoader.digitsValue(w, n) == expected)
  }
}
