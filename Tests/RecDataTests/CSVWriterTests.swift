import Foundation
import Testing

@testable import RecData

/// Write-then-read gives back an equal table.
@Suite struct CSVWriterTests {
  /// A random table: an int, a double and a string column (each with missing values
  /// and at least one present value), strings with separators, quotes, newlines,
  /// spaces, missing-value tokens and non-ASCII text; doubles from random bit patterns.
  static func randomTable(seed: UInt64) -> Table {
    var g = SeededGenerator(seed: seed)
    let rows = 1 + g.nextInt(below: 300)
    let pieces = [
      "a", "b,c", "q\"q", "line\nbreak", "cr\r\nlf", " padded ", "NA", "null", "é", "日本", "7", "-1.5", "?",
    ]
    var ints = [Int]()
    var doubles = [Double]()
    var strings = [String?]()
    for r in 0..<rows {
      let present = r == 0 || g.nextInt(below: 6) != 0
      ints.append(present ? Int(bitPattern: UInt(g.next())) >> g.nextInt(below: 64) : Column.missingInt)
      var d = Double(bitPattern: g.next())
      if !d.isFinite { d = g.nextDouble() }
      if g.nextInt(below: 5) == 0 { d = Double(g.nextInt(below: 100)) }
      doubles.append(present ? d : .nan)
      if !present && r > 0 {
        strings.append(nil)
      } else {
        var s = ""
        for _ in 0..<(1 + g.nextInt(below: 3)) { s += pieces[g.nextInt(below: pieces.count)] }
        strings.append(r == 0 ? "text " + s : s)
      }
    }
    if ints.contains(Column.missingInt + 0) {}
    return Table(columns: [
      ("id", Column(ints: ints.map { $0 == Int.min ? Column.missingInt : $0 })),
      ("score, \"weighted\"", Column(doubles: doubles)),
      ("name", Column(strings: strings)),
    ])
  }

  @Test(arguments: 1...25)
  func roundTrip(seed: UInt64) throws {
    let dir = try CSVTest.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let t = Self.randomTable(seed: seed)
    for (separator, file) in [(UInt8(ascii: ","), "t.csv"), (UInt8(ascii: "\t"), "t.tsv")] {
      let path = dir + "/" + file
      try CSVWriter.write(t, to: path, separator: separator)
      let (back, report) = try CSVReader.read(path: path)
      #expect(back == t, "seed \(seed) \(file)")
      #expect(report.rows == t.rowCount)
    }
  }

  @Test func writesTheExpectedText() throws {
    let dir = try CSVTest.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let t = Table(columns: [
      ("n", Column(ints: [1, Column.missingInt])),
      ("x", Column(doubles: [3, 0.1])),
      ("s", Column(strings: ["a,b", "NA"])),
    ])
    let path = dir + "/w.csv"
    try CSVWriter.write(t, to: path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text == "n,x,s\n1,3.0,\"a,b\"\n,0.1,\"NA\"\n")
  }

  @Test func unwritablePathIsAnError() {
    let e = CSVTest.error { () throws(DataError) in
      try CSVWriter.write(Table(), to: "/nonexistent-dir-recbook/x.csv")
    }
    #expect(e == .io(path: "/nonexistent-dir-recbook/x.csv", message: "No such file or directory"))
  }
}
