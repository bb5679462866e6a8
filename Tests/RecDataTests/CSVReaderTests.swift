import Foundation
import Testing

@testable import RecData

/// RFC 4180 parsing, separators, headers and type inference.
@Suite struct CSVReaderTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let label: String
    let text: String
    let names: [String]
    let rows: [[Value]]
    var testDescription: String { label }
  }

  static let rfcCases: [Case] = [
    Case(
      label: "plain", text: "a,b\n1,2\n3,4\n", names: ["a", "b"],
      rows: [[.int(1), .int(2)], [.int(3), .int(4)]]),
    Case(
      label: "quoted separator", text: "name,n\n\"x,y\",1\nz,2\n", names: ["name", "n"],
      rows: [[.string("x,y"), .int(1)], [.string("z"), .int(2)]]),
    Case(
      label: "escaped quotes", text: "s,n\n\"he said \"\"hi\"\"\",1\n\"\"\"\",2\n", names: ["s", "n"],
      rows: [[.string("he said \"hi\""), .int(1)], [.string("\""), .int(2)]]),
    Case(
      label: "newline in quotes", text: "a,b\n\"line1\nline2\",2\n\"x\r\ny\",3\n", names: ["a", "b"],
      rows: [[.string("line1\nline2"), .int(2)], [.string("x\r\ny"), .int(3)]]),
    Case(
      label: "CRLF", text: "a,b\r\n1,x\r\n2,\"y\"\r\n", names: ["a", "b"],
      rows: [[.int(1), .string("x")], [.int(2), .string("y")]]),
    Case(label: "BOM", text: "\u{FEFF}a,b\n1,2\n", names: ["a", "b"], rows: [[.int(1), .int(2)]]),
    Case(
      label: "no trailing newline", text: "a,b\n1,2\n3,4", names: ["a", "b"],
      rows: [[.int(1), .int(2)], [.int(3), .int(4)]]),
    Case(
      label: "empty fields", text: "a,b,c\n1,,x\n,2,\n", names: ["a", "b", "c"],
      rows: [[.int(1), .missing, .string("x")], [.missing, .int(2), .missing]]),
    Case(
      label: "missing tokens; quoted tokens are values", text: "a,b\nNA,\"NA\"\nnull,x\n\"\",N/A\n",
      names: ["a", "b"],
      rows: [[.missing, .string("NA")], [.missing, .string("x")], [.missing, .missing]]),
    Case(
      label: "blank lines skipped", text: "a,b\n\n1,2\r\n\r\n3,4\n\n", names: ["a", "b"],
      rows: [[.int(1), .int(2)], [.int(3), .int(4)]]),
    Case(
      label: "trailing separator is an empty last field", text: "a,b\n1,\n", names: ["a", "b"],
      rows: [[.int(1), .missing]]),
    Case(
      label: "quote inside an unquoted field is data", text: "a,b\nsay \"hi\",1\n", names: ["a", "b"],
      rows: [[.string("say \"hi\""), .int(1)]]),
    Case(label: "header only", text: "a,b\n", names: ["a", "b"], rows: []),
  ]

  @Test(arguments: rfcCases)
  func rfc4180(_ c: Case) throws {
    let (t, report) = try CSVTest.load(c.text)
    #expect(t.columnNames == c.names)
    #expect(CSVTest.rows(t) == c.rows)
    #expect(report.rows == c.rows.count)
    #expect(report.bytes == c.text.utf8.count)
    #expect(report.skipped == 0)
  }

  @Test(arguments: [
    ("a;b\n1;2\n", "t.csv", ["a", "b"]),
    ("a\tb\n1\t2\n", "t.txt", ["a", "b"]),
    ("a|b\n1|2\n", "t.txt", ["a", "b"]),
    ("a,b;c\n1,2;3\n", "t.txt", ["a", "b;c"]),  // a tie goes to comma
    ("\"x;y\",b\n1,2\n", "t.txt", ["x;y", "b"]),  // separators inside quotes do not count
    ("a,b\tc\n1,2\t3\n", "t.tsv", ["a,b", "c"]),  // the extension wins
  ])
  func separatorInference(text: String, name: String, names: [String]) throws {
    let (t, _) = try CSVTest.load(text, name: name)
    #expect(t.columnNames == names)
    #expect(t.rowCount == 1)
  }

  @Test func explicitSeparatorAndFormat() throws {
    let (t1, _) = try CSVTest.load("a;b\n1;2\n") { $0.format = .csv }
    #expect(t1.columnNames == ["a;b"])
    let (t2, _) = try CSVTest.load("a|b\n1|2\n") { $0.separator = UInt8(ascii: "|") }
    #expect(t2.columnNames == ["a", "b"])
  }

  @Test(
    arguments: [
      ("1,2\n3,4\n", nil, ["column1", "column2"], 2),
      ("x,y\n1,2\n", nil, ["x", "y"], 1),
      ("a,b\nc,d\n", nil, ["a", "b"], 1),  // text only: a header, as pandas
      ("x,\n1,2\n", nil, ["column1", "column2"], 2),  // an empty field is no header name
      ("x,2.5\n1,2\n", nil, ["column1", "column2"], 2),
      ("x,y\n1,2\n", false, ["column1", "column2"], 2),
      ("1,2\n3,4\n", true, ["1", "2"], 1),
    ] as [(String, Bool?, [String], Int)])
  func headerDetection(text: String, header: Bool?, names: [String], rows: Int) throws {
    let (t, _) = try CSVTest.load(text) { $0.header = header }
    #expect(t.columnNames == names)
    #expect(t.rowCount == rows)
  }

  @Test func columnNamesReplaceOrName() throws {
    let (t1, _) = try CSVTest.load("x,y\n1,2\n") { $0.columnNames = ["u", "v"] }
    #expect(t1.columnNames == ["u", "v"])
    #expect(t1.rowCount == 1)
    let (t2, _) = try CSVTest.load("1,2\n") { $0.columnNames = ["u", "v"] }
    #expect(t2.columnNames == ["u", "v"])
    #expect(CSVTest.rows(t2) == [[.int(1), .int(2)]])
    let e = CSVTest.error { () throws(DataError) in _ = try CSVTest.load("1,2\n") { $0.columnNames = ["u"] } }
    #expect(e == .invalidArgument("t.csv: 1 column name given for 2 columns"))
  }

  @Test(arguments: [
    (["a", "a", "", "b", "a"], ["a", "a_2", "column3", "b", "a_3"]),
    (["a", "a", "a_2"], ["a", "a_3", "a_2"]),
    (["", ""], ["column1", "column2"]),
  ])
  func uniqueNames(names: [String], expected: [String]) {
    #expect(CSVReader.uniqueNames(names) == expected)
  }

  @Test func duplicateHeaderNamesInAFile() throws {
    let (t, _) = try CSVTest.load("col,col,\"\"\nx,y,z\n") { $0.header = true }
    #expect(t.columnNames == ["col", "col_2", "column3"])
  }

  struct Inference: Sendable, CustomTestStringConvertible {
    let values: [String]
    let type: ColumnType
    let expected: [Value]
    var testDescription: String { values.joined(separator: " ") }
  }

  static let inferenceCases: [Inference] = [
    Inference(values: ["1", "-2", "+3"], type: .int, expected: [.int(1), .int(-2), .int(3)]),
    Inference(values: ["007", " 5 "], type: .int, expected: [.int(7), .int(5)]),
    Inference(values: ["1", "2.5"], type: .double, expected: [.double(1), .double(2.5)]),
    Inference(
      values: ["1e5", "-.5", "5."], type: .double, expected: [.double(100_000), .double(-0.5), .double(5)]),
    Inference(
      values: ["inf", "-Infinity"], type: .double, expected: [.double(.infinity), .double(-.infinity)]),
    Inference(
      values: ["9223372036854775807", "-9223372036854775807"], type: .int,
      expected: [.int(Int.max), .int(-Int.max)]),
    // Int overflow (and Int.min, the missing sentinel) become doubles.
    Inference(
      values: ["99999999999999999999", "1"], type: .double, expected: [.double(1e20), .double(1)]),
    Inference(
      values: ["-9223372036854775808", "1"], type: .double,
      expected: [.double(-9_223_372_036_854_775_808), .double(1)]),
    Inference(values: ["1", "x"], type: .string, expected: [.string("1"), .string("x")]),
    Inference(values: ["1", "?"], type: .string, expected: [.string("1"), .string("?")]),
    Inference(values: ["0x10", "1"], type: .string, expected: [.string("0x10"), .string("1")]),
    Inference(values: ["1.5", "1e"], type: .string, expected: [.string("1.5"), .string("1e")]),
    Inference(values: ["nan", "1"], type: .int, expected: [.missing, .int(1)]),
    Inference(values: ["NaN", "2.5", "NULL"], type: .double, expected: [.missing, .double(2.5), .missing]),
    Inference(values: ["NA", "null"], type: .string, expected: [.missing, .missing]),  // all missing: string
  ]

  @Test(arguments: inferenceCases)
  func typeInference(_ c: Inference) throws {
    let text = "v\n" + c.values.map { $0 + "\n" }.joined()
    let (t, _) = try CSVTest.load(text) { $0.header = true }
    let column = try #require(t.column("v"))
    #expect(column.type == c.type)
    #expect((0..<column.count).map { column[$0] } == c.expected)
  }

  @Test func forcedTypes() throws {
    let (t, _) = try CSVTest.load("zip,n\n01234,1\n98765,2\n") { $0.types = ["zip": .string, "n": .double] }
    #expect(CSVTest.rows(t) == [[.string("01234"), .double(1)], [.string("98765"), .double(2)]])
  }

  @Test func latin1() throws {
    let bytes: [UInt8] = Array("name,n\nCaf".utf8) + [0xE9] + Array(",1\n".utf8)
    let (t, _) = try CSVTest.load(bytes: bytes) { $0.encoding = .latin1 }
    #expect(t.row(0) == [.string("Café"), .int(1)])
    let utf8 = Array("name,n\nCafé,1\n".utf8)
    let (u, _) = try CSVTest.load(bytes: utf8)
    #expect(u.row(0) == [.string("Café"), .int(1)])
  }

  @Test func typeChangeInTheMiddleOfAColumn() throws {
    // int rows, then a double, then text: the final column is string with the original texts.
    var text = "a,b\n"
    for i in 0..<3000 { text += "\(i),\(i)\n" }
    text += "1.5,x\n"
    let (t, _) = try CSVTest.load(text)
    #expect(t.column("a")?.type == .double)
    #expect(t.column("a")?[2999] == .double(2999))
    #expect(t.column("a")?[3000] == .double(1.5))
    #expect(t.column("b")?.type == .string)
    #expect(t.column("b")?[7] == .string("7"))
    #expect(t.column("b")?[3000] == .string("x"))
  }

  /// The all-int fast path gives up part way through a record without leaving values behind.
  @Test(arguments: [
    ("a,b,c\n1,2,3\n4,5,x\n", [[Value.int(1), .int(2), .string("3")], [.int(4), .int(5), .string("x")]]),
    ("a,b,c\n1,2,3\n4,5,\n", [[.int(1), .int(2), .int(3)], [.int(4), .int(5), .missing]]),
    ("a,b,c\n1,2,3\n4,-5,6\r\n", [[.int(1), .int(2), .int(3)], [.int(4), .int(-5), .int(6)]]),
    ("a,b,c\n1,2,3\n4,+5,6", [[.int(1), .int(2), .int(3)], [.int(4), .int(5), .int(6)]]),
    (
      "a,b,c\n1,2,3\n4,5,1234567890123456789\n",
      [[.int(1), .int(2), .int(3)], [.int(4), .int(5), .int(1_234_567_890_123_456_789)]]
    ),
  ])
  func intFastPathFallsBack(text: String, rows: [[Value]]) throws {
    let (t, _) = try CSVTest.load(text)
    #expect(CSVTest.rows(t) == rows)
  }

  @Test func progressReachesOneAndCancelStops() throws {
    let seen = Recorder()
    let text = "a,b\n" + (0..<1000).map { "\($0),\($0 * 2)\n" }.joined()
    let (t, _) = try CSVReader.read(data: Array(text.utf8), name: "p.csv", options: .init()) { f in
      seen.append(f)
      return true
    }
    #expect(t.rowCount == 1000)
    #expect(seen.values.last == 1.0)
    #expect(seen.values.allSatisfy { $0 >= 0 && $0 <= 1 })
    let e = CSVTest.error { () throws(DataError) in
      _ = try CSVReader.read(data: Array(text.utf8), name: "p.csv", options: .init()) { _ in false }
    }
    #expect(e == .cancelled)
  }
}

/// Collects progress fractions from any thread.
final class Recorder: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [Double] = []
  func append(_ x: Double) {
    lock.lock()
    stored.append(x)
    lock.unlock()
  }
  var values: [Double] {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
}
