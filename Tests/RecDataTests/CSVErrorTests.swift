import Foundation
import Testing

@testable import RecData

/// Every way a CSV file can be wrong gives a DataError with the line, never a crash.
@Suite struct CSVErrorTests {
  @Test(
    arguments: [
      ("a,b\n1,2\n3,4,5\n", 3, nil, "expected 2 fields, found 3"),
      ("a,b\n1,2\n3\n", 3, nil, "expected 2 fields, found 1"),
      // The physical line counts the newline inside the quoted field of line 2.
      ("a,b\n\"x\ny\",1\n2\n", 4, nil, "expected 2 fields, found 1"),
      ("a,b\r\n1,2\r\n3,4,\r\n", 3, nil, "expected 2 fields, found 3"),
      ("a,b\n\"x\"y,1\n", 2, 1, "unexpected 'y' after the closing quote of field 1"),
      ("a,b\n1,2\n3,\"abc\n4,5\n", 3, nil, CSVReader.unterminatedMessage),
      ("\"a,b\n1,2\n", 1, 1, CSVReader.unterminatedMessage),
    ] as [(String, Int, Int?, String)])
  func malformedRows(text: String, line: Int, field: Int?, message: String) {
    let e = CSVTest.error { () throws(DataError) in _ = try CSVTest.load(text) }
    #expect(e == .malformedRow(path: "t.csv", line: line, field: field, message: message))
  }

  @Test func invalidUTF8SaysLineAndSuggestsLatin1() {
    let bytes: [UInt8] = Array("name,n\nok,1\nCaf".utf8) + [0xE9] + Array(",2\n".utf8)
    let e = CSVTest.error { () throws(DataError) in _ = try CSVTest.load(bytes: bytes) }
    #expect(e == .malformedRow(path: "t.csv", line: 3, field: nil, message: CSVReader.utf8Message))
    #expect(e?.message.contains("encoding=latin1") == true)
  }

  @Test func binaryFile() {
    let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]
    let e = CSVTest.error { () throws(DataError) in _ = try CSVTest.load(bytes: bytes) }
    #expect(
      e == .io(path: "t.csv", message: "looks like a binary file (a NUL byte at offset 8), not CSV text"))
  }

  @Test(arguments: ["", "\n\n\r\n"])
  func emptyFileIsAnError(text: String) {
    let e = CSVTest.error { () throws(DataError) in _ = try CSVTest.load(text) }
    guard case .io(let path, let message) = e else {
      Issue.record("expected an io error, got \(String(describing: e))")
      return
    }
    #expect(path == "t.csv")
    #expect(message.contains("empty") || message.contains("no data"))
  }

  @Test func filesThatAreNotThere() throws {
    let dir = try CSVTest.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let missing = dir + "/nope.csv"
    #expect(
      CSVTest.error { () throws(DataError) in _ = try CSVReader.read(path: missing) }
        == .io(path: missing, message: "no such file or directory"))
    #expect(
      CSVTest.error { () throws(DataError) in _ = try CSVReader.read(path: dir) }
        == .io(path: dir, message: "is a directory, not a file"))
    let empty = dir + "/empty.csv"
    #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
    #expect(
      CSVTest.error { () throws(DataError) in _ = try CSVReader.read(path: empty) }
        == .io(path: empty, message: "the file is empty (0 bytes)"))
  }

  @Test func forcedTypeThatDoesNotFit() {
    let text = "user,rating\n1,4\n2,4.5\n"
    let e = CSVTest.error { () throws(DataError) in _ = try CSVTest.load(text) { $0.types = ["rating": .int] }
    }
    #expect(e == .badValue(path: "t.csv", line: 3, column: "rating", text: "4.5", expected: .int))
    let d = CSVTest.error { () throws(DataError) in
      _ = try CSVTest.load("a,b\n1,x\n") { $0.types = ["b": .double] }
    }
    #expect(d == .badValue(path: "t.csv", line: 2, column: "b", text: "x", expected: .double))
  }

  @Test func forcedTypeOfAnUnknownColumn() {
    let e = CSVTest.error { () throws(DataError) in
      _ = try CSVTest.load("rating,b\n1,2\n") { $0.types = ["ratng": .int] }
    }
    #expect(e == .unknownColumn(name: "ratng", table: "t.csv", suggestions: ["rating"], span: nil))
  }

  @Test func skipCountsAndKeepsTheFirstFiveProblems() throws {
    var text = "a,b\n"
    var expectedSamples: [String] = []
    var good = 0
    for i in 0..<20 {
      if i % 3 == 1 {
        text += "\(i),\(i),\(i)\n"
        if expectedSamples.count < 5 { expectedSamples.append("line \(i + 2): expected 2 fields, found 3") }
      } else {
        text += "\(i),x\(i)\n"
        good += 1
      }
    }
    let (t, report) = try CSVTest.load(text) { $0.onError = .skip }
    #expect(report.skipped == 7)  // i = 1, 4, 7, 10, 13, 16, 19
    #expect(report.skippedSamples == expectedSamples)
    #expect(report.rows == good)
    #expect(t.rowCount == 20 - 7)
    #expect(t.column("a")?.type == .int)
    #expect(t.row(1) == [.int(2), .string("x2")])
  }

  @Test func skippedRowsDoNotChangeTypes() throws {
    let (t, report) = try CSVTest.load("a,b\n1,2\nx,y,z\n\"q\"w,1\n3,4\n") { $0.onError = .skip }
    #expect(report.skipped == 2)
    #expect(
      report.skippedSamples == [
        "line 3: expected 2 fields, found 3", "line 4: unexpected 'w' after the closing quote of field 1",
      ])
    #expect(CSVTest.rows(t) == [[.int(1), .int(2)], [.int(3), .int(4)]])
  }

  @Test func errorMessagesReadWell() {
    let e = DataError.malformedRow(path: "r.csv", line: 3, field: nil, message: "expected 4 fields, found 5")
    #expect(e.message == "r.csv:3: expected 4 fields, found 5")
  }
}
