import RecTerm
import Testing

/// Exact outputs of every formatter, including signs, rounding edges, NaN and infinities.
struct NumberFormatTests {
  @Test(arguments: [
    (0, "0"), (7, "7"), (999, "999"), (1000, "1,000"), (-1000, "-1,000"), (1_234_567, "1,234,567"),
    (-987_654_321, "-987,654,321"), (Int.max, "9,223,372,036,854,775,807"),
    (Int.min, "-9,223,372,036,854,775,808"),
  ])
  func integer(_ value: Int, _ expected: String) {
    #expect(NumberFormat.integer(value) == expected)
  }

  @Test(arguments: [
    (0.123456, 4, "0.1235"), (0.12345, 4, "0.1235"), (1.005, 2, "1.01"), (2.5, 0, "3"), (-2.5, 0, "-3"),
    (1234.5, 2, "1,234.50"), (-0.00001, 4, "0.0000"), (-0.0, 2, "0.00"), (9.9999, 3, "10.000"),
    (0.5, 0, "1"), (1e-7, 3, "0.000"), (123_456_789.987, 1, "123,456,790.0"), (3, 4, "3.0000"),
    (.nan, 2, "nan"), (.infinity, 2, "inf"), (-.infinity, 2, "-inf"),
    (1e20, 0, "100,000,000,000,000,000,000"),
  ])
  func decimal(_ value: Double, _ digits: Int, _ expected: String) {
    #expect(NumberFormat.decimal(value, digits: digits) == expected)
  }

  @Test func decimalWithoutGrouping() {
    #expect(NumberFormat.decimal(1234567.891, digits: 2, grouping: false) == "1234567.89")
  }

  @Test(arguments: [
    (0.4512, 1, "45.1%"), (1.0, 1, "100.0%"), (0.0, 0, "0%"), (-0.25, 0, "-25%"), (0.99996, 2, "100.00%"),
    (0.000004, 1, "0.0%"), (.nan, 1, "nan"), (.infinity, 1, "inf"),
  ])
  func percent(_ value: Double, _ digits: Int, _ expected: String) {
    #expect(NumberFormat.percent(value, digits: digits) == expected)
  }

  @Test(arguments: [
    (0.0, "0"), (0.42, "0.42"), (3.25, "3.25"), (3.2, "3.2"), (12.5, "12.5"), (999.0, "999"),
    (999.6, "1.0k"), (1000.0, "1.0k"), (1234.0, "1.2k"), (12_345.0, "12.3k"), (123_456.0, "123k"),
    (999_950.0, "1.0M"), (3_400_000.0, "3.4M"), (-3_400_000.0, "-3.4M"), (1e9, "1.0B"), (1e12, "1.0T"),
    (2.5e15, "2,500T"), (-0.001, "0"), (.nan, "nan"), (-.infinity, "-inf"),
  ])
  func compact(_ value: Double, _ expected: String) {
    #expect(NumberFormat.compact(value) == expected)
  }

  @Test(arguments: [
    (0.0, "0 s"), (0.0004, "0.4 ms"), (0.042, "0.042 s"), (0.9996, "1.0 s"), (8.4, "8.4 s"),
    (59.96, "1.0 min"), (78.0, "1.3 min"), (3600.0, "1.0 h"), (7560.0, "2.1 h"), (302_400.0, "3.5 d"),
    (-8.4, "-8.4 s"), (.nan, "nan"), (.infinity, "inf"),
  ])
  func duration(_ seconds: Double, _ expected: String) {
    #expect(NumberFormat.duration(seconds: seconds) == expected)
  }

  @Test(arguments: [
    (0.0, "0:00"), (4.2, "0:04"), (59.6, "1:00"), (750.0, "12:30"), (3723.0, "1:02:03"), (-5.0, "-0:05"),
    (.nan, "nan"), (.infinity, "inf"),
  ])
  func clock(_ seconds: Double, _ expected: String) {
    #expect(NumberFormat.clock(seconds: seconds) == expected)
  }

  @Test(arguments: [
    (0.0, "0 B"), (512.0, "512 B"), (1500.0, "1.5 kB"), (12_345_678.0, "12.3 MB"), (999_960.0, "1.0 MB"),
    (4e9, "4.0 GB"), (-2048.0, "-2.0 kB"), (.nan, "nan"),
  ])
  func bytes(_ value: Double, _ expected: String) {
    #expect(NumberFormat.bytes(value) == expected)
  }

  @Test(arguments: [
    (0.0, "0"), (25_000.0, "25,000"), (0.3412, "0.3412"), (0.34125, "0.3413"), (12.3456, "12.35"),
    (1234.56, "1,234.6"), (123_456.7, "123,456.7"), (2.0, "2"), (-0.82, "-0.82"), (0.000123, "0.000123"),
    (3e-7, "3.0e-07"), (1.2e18, "1.2e+18"), (.nan, "nan"), (.infinity, "inf"),
  ])
  func general(_ value: Double, _ expected: String) {
    #expect(NumberFormat.general(value) == expected)
  }

  @Test(arguments: [
    (nil as Double?, NumberFormat.Kind.integer, "—", "—"), (nil, .decimal(digits: 2), "", ""),
    (1234.0, .integer, "", "1,234"), (0.5, .percent(digits: 0), "", "50%"),
    (0.25, .decimal(digits: 2), "", "0.25"),
    (2048.0, .bytes, "", "2.0 kB"), (90.0, .duration, "", "1.5 min"), (1500.0, .compact, "", "1.5k"),
    (0.5, .general, "", "0.5"),
  ])
  func optional(_ value: Double?, _ kind: NumberFormat.Kind, _ missing: String, _ expected: String) {
    #expect(NumberFormat.format(value, as: kind, missing: missing) == expected)
  }
}
