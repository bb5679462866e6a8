#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Recognises missing values and numbers in the raw bytes of one CSV field.
///
/// The reader never makes a `String` for a numeric field: these functions read
/// the bytes in place. The rules (documented for users in ``CSVReader``):
/// - missing: an empty field, or one of the unquoted tokens `NA`, `N/A`, `NaN`,
///   `nan`, `null`, `NULL` (so `nan` is missing, not a double); `?` is not missing;
/// - int: optional sign and 1 to 19 decimal digits that fit in `Int` (`Int.min`
///   is the missing sentinel, so it reads as a double); anything longer is a double;
/// - double: decimal notation `[+-](digits[.digits]|.digits)([eE][+-]digits)`, or
///   `inf`/`infinity` in any case with an optional sign; hexadecimal is not a number;
/// - numbers may have spaces around them (`" 5"` is 5); strings keep their spaces.
enum CSVField {
  /// Whether the unquoted field `p[0..<n]` is a missing-value token.
  @inline(__always)
  static func isMissingToken(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    switch n {
    case 0: return true
    case 2: return p[0] == 0x4E && p[1] == 0x41  // NA
    case 3:
      // NaN, nan, N/A
      return (p[0] == 0x4E && p[1] == 0x61 && p[2] == 0x4E) || (p[0] == 0x6E && p[1] == 0x61 && p[2] == 0x6E)
        || (p[0] == 0x4E && p[1] == 0x2F && p[2] == 0x41)
    case 4:
      let s = (p[0], p[1], p[2], p[3])
      return s == (0x6E, 0x75, 0x6C, 0x6C) || s == (0x4E, 0x55, 0x4C, 0x4C)  // null, NULL
    default: return false
    }
  }

  /// Whether `s` is a missing-value token (for the writer, which must quote such strings).
  static func isMissingToken(_ s: String) -> Bool {
    var s = s
    return s.withUTF8 { b in b.baseAddress.map { isMissingToken($0, b.count) } ?? true }
  }

  /// `p[0..<n]` without leading and trailing spaces and tabs.
  @inline(__always)
  static func trimmed(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UnsafePointer<UInt8>, Int) {
    var a = 0
    var b = n
    while a < b && (p[a] == 0x20 || p[a] == 0x09) { a += 1 }
    while b > a && (p[b - 1] == 0x20 || p[b - 1] == 0x09) { b -= 1 }
    return (p + a, b - a)
  }

  /// The integer in `p[0..<n]`, or `nil` if the field is not an integer that fits
  /// (`Int.min` included: it is the missing sentinel).
  static func parseInt(_ p0: UnsafePointer<UInt8>, _ n0: Int) -> Int? {
    let (p, n) = trimmed(p0, n0)
    var i = 0
    var negative = false
    if n > 0 && (p[0] == 0x2D || p[0] == 0x2B) {
      negative = p[0] == 0x2D
      i = 1
    }
    guard i < n, n - i <= 19 else { return nil }
    var v = 0
    while i < n {
      let d = p[i] &- 0x30
      guard d < 10 else { return nil }
      let (m, o1) = v.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(Int(d))
      guard !o1, !o2 else { return nil }
      v = s
      i += 1
    }
    return negative ? -v : v
  }

  /// Powers of ten that are exact doubles (10^0 ... 10^22), for the fast path.
  private static let exactPowers: [Double] = (0...22).map { e in
    var x = 1.0
    for _ in 0..<e { x *= 10 }
    return x
  }

  /// The double in `p[0..<n]` (decimal or `inf`), correctly rounded, or `nil`.
  ///
  /// Fast path (Clinger 1990): when the digits form an integer `w <= 2^53` and the
  /// decimal exponent `e` is within +-22, both `w` and `10^|e|` are exact doubles and
  /// one IEEE multiply or divide rounds `w * 10^e` correctly. Everything else goes
  /// to `strtod` (correctly rounded in glibc) on a NUL-terminated copy, after this
  /// function has checked the grammar (so `strtod`'s hex and `nan` forms never apply).
  static func parseDouble(_ p0: UnsafePointer<UInt8>, _ n0: Int) -> Double? {
    let (p, n) = trimmed(p0, n0)
    guard n > 0 else { return nil }
    var i = 0
    var negative = false
    if p[0] == 0x2D || p[0] == 0x2B {
      negative = p[0] == 0x2D
      i = 1
    }
    if i < n && (p[i] | 0x20) == 0x69 { return parseInfinity(p + i, n - i, negative: negative) }
    var mantissa: UInt64 = 0
    var significant = 0  // digits accumulated into `mantissa` (leading zeros excluded)
    var dropped = false  // a non-zero digit did not fit in `mantissa`
    var exponent = 0  // decimal exponent to apply to `mantissa`
    var digits = 0
    while i < n, case let d = p[i] &- 0x30, d < 10 {
      if significant < 19 {
        mantissa = mantissa &* 10 &+ UInt64(d)
        if mantissa != 0 { significant += 1 }
      } else {
        exponent += 1
        if d != 0 { dropped = true }
      }
      digits += 1
      i += 1
    }
    if i < n && p[i] == 0x2E {
      i += 1
      while i < n, case let d = p[i] &- 0x30, d < 10 {
        if significant < 19 {
          mantissa = mantissa &* 10 &+ UInt64(d)
          if mantissa != 0 { significant += 1 }
          exponent -= 1
        } else if d != 0 {
          dropped = true
        }
        digits += 1
        i += 1
      }
    }
    guard digits > 0 else { return nil }
    if i < n && (p[i] | 0x20) == 0x65 {
      i += 1
      var expNegative = false
      if i < n && (p[i] == 0x2D || p[i] == 0x2B) {
        expNegative = p[i] == 0x2D
        i += 1
      }
      var e = 0
      var expDigits = 0
      while i < n, case let d = p[i] &- 0x30, d < 10 {
        if e < 100_000 { e = e * 10 + Int(d) }
        expDigits += 1
        i += 1
      }
      guard expDigits > 0 else { return nil }
      exponent += expNegative ? -e : e
    }
    guard i == n else { return nil }
    if !dropped && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
      let w = Double(mantissa)
      let v = exponent < 0 ? w / exactPowers[-exponent] : w * exactPowers[exponent]
      return negative ? -v : v
    }
    return slowParse(p, n)
  }

  /// `inf` or `infinity` (any case) after the sign.
  private static func parseInfinity(_ p: UnsafePointer<UInt8>, _ n: Int, negative: Bool) -> Double? {
    let word = Array("infinity".utf8)
    guard n == 3 || n == 8 else { return nil }
    for k in 0..<n where p[k] | 0x20 != word[k] { return nil }
    return negative ? -.infinity : .infinity
  }

  /// `strtod` on a NUL-terminated copy (the field is not NUL-terminated in the file).
  private static func slowParse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Double? in
      guard let b = buf.baseAddress else { return nil }
      for k in 0..<n { b[k] = CChar(bitPattern: p[k]) }
      b[n] = 0
      var endp: UnsafeMutablePointer<CChar>? = nil
      let v = strtod(b, &endp)
      return endp == b ? nil : v
    }
  }
}
