import Foundation
import Testing

@testable import RecData

/// Number recognition on raw bytes: exact doubles, the int grammar, missing tokens.
@Suite struct CSVFieldTests {
  static func double(_ s: String) -> Double? {
    let b = Array(s.utf8)
    return b.withUnsafeBufferPointer { CSVField.parseDouble($0.baseAddress!, $0.count) }
  }

  static func int(_ s: String) -> Int? {
    let b = Array(s.utf8)
    return b.withUnsafeBufferPointer { CSVField.parseInt($0.baseAddress!, $0.count) }
  }

  @Test(arguments: [
    "0.1", "0.3", "4.5", "-.5", "1e5", "1E-5", "2.2250738585072011e-308", "4.9e-324",
    "1.7976931348623157e308",
    "9007199254740993", "9007199254740992.5", "1e23", "8.98846567431158e307",
    "123456789012345678901234567890",
    "0.000000000000000000000000000001", "3.14159265358979323846264338327950288",
  ])
  func knownHardCases(text: String) {
    #expect(Self.double(text) == Double(text))
  }

  @Test(arguments: ["", ".", "-", "e5", "1e", "1e+", "0x10", "1.2.3", "nan", "1,5", "--1", "1 2"])
  func notDoubles(text: String) {
    #expect(Self.double(text) == nil)
  }

  /// The fast path (mantissa <= 2^53, |exponent| <= 22) and the strtod path agree
  /// with Swift's correctly rounded parser on random decimals.
  @Test(arguments: 1...8)
  func randomDecimalsAreCorrectlyRounded(seed: UInt64) {
    var g = SeededGenerator(seed: seed)
    for _ in 0..<5000 {
      let digits = 1 + g.nextInt(below: 20)
      var s = g.nextInt(below: 2) == 0 ? "" : "-"
      var body = ""
      for _ in 0..<digits { body += String(g.nextInt(below: 10)) }
      let point = g.nextInt(below: digits + 1)
      body.insert(".", at: body.index(body.startIndex, offsetBy: point))
      if body.hasSuffix(".") && body.count == 1 { body = "0" }
      s += body
      if g.nextInt(below: 3) == 0 { s += "e\(g.nextInt(below: 60) - 30)" }
      #expect(Self.double(s) == Double(s), "\(s)")
    }
  }

  @Test func randomDoublesRoundTripThroughTheirShortestText() {
    var g = SeededGenerator(seed: 99)
    for _ in 0..<20000 {
      let v = Double(bitPattern: g.next())
      guard v.isFinite else { continue }
      let text = CSVWriter.formatDouble(v)
      #expect(Self.double(text) == v, "\(text)")
    }
  }

  /// The 8-bytes-at-a-time digit reader agrees with a byte loop, for digits
  /// followed by every kind of byte (below '0', above '9', high-bit bytes).
  @Test(arguments: 1...4)
  func swarDigitsMatchesAByteLoop(seed: UInt64) {
    var g = SeededGenerator(seed: seed)
    let others: [UInt8] = [0x00, 0x0A, 0x0D, 0x2C, 0x2D, 0x2E, 0x2F, 0x3A, 0x41, 0x7F, 0x80, 0xC3, 0xFF]
    for _ in 0..<20_000 {
      var bytes = [UInt8]()
      for _ in 0..<8 {
        bytes.append(
          g.nextInt(below: 3) == 0
            ? others[g.nextInt(below: others.count)] : 0x30 + UInt8(g.nextInt(below: 10)))
      }
      var count = 0
      var value: UInt64 = 0
      while count < 8, bytes[count] >= 0x30, bytes[count] <= 0x39 {
        value = value * 10 + UInt64(bytes[count] - 0x30)
        count += 1
      }
      let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
      let (k, v) = CSVChunkParser.swarDigits(word)
      #expect(k == count, "\(bytes)")
      #expect(v == value, "\(bytes)")
    }
  }

  @Test(arguments: [
    ("0", 0), ("-0", 0), ("+12", 12), ("007", 7), (" 42 ", 42), ("9223372036854775807", Int.max),
    ("-9223372036854775807", -Int.max),
  ])
  func ints(text: String, value: Int) {
    #expect(Self.int(text) == value)
  }

  @Test(arguments: ["", "-", "1.0", "1e3", "9223372036854775808", "-9223372036854775808", "12a", "٣"])
  func notInts(text: String) {
    #expect(Self.int(text) == nil)
  }

  @Test(arguments: [
    ("", true), ("NA", true), ("N/A", true), ("NaN", true), ("nan", true), ("null", true), ("NULL", true),
    ("?", false), ("na", false), ("None", false), (" ", false), ("NAN", false),
  ])
  func missingTokens(text: String, missing: Bool) {
    #expect(CSVField.isMissingToken(text) == missing)
  }
}
