/// The decimal digits of a finite `Double`, for rounding without `printf` or locales.
///
/// The value is `0.d₁d₂d₃… × 10^exponent` (with `negative` for the sign). The digits
/// come from Swift's shortest round-tripping `description`, so rounding works on
/// the digits a person would write: `1.005` rounds to `1.01` (half away from zero),
/// where `printf("%.2f")` gives `1.00` because the binary value is 1.00499….
/// This is locale-free and identical on every platform.
struct DecimalDigits: Equatable {
  /// Significant digits, no leading or trailing zeros; empty for zero.
  var digits: [UInt8]
  /// Position of the decimal point relative to the first digit.
  var exponent: Int
  var negative: Bool

  /// The digits of a finite value; `nil` for NaN and infinities.
  init?(_ value: Double) {
    guard value.isFinite else { return nil }
    negative = value < 0
    digits = []
    exponent = 0
    if value == 0 { return }
    // description is "123.45", "1e-05", "1.2345e+16" or "5e-324".
    let text = String(value.magnitude.description)
    var mantissa = Substring(text)
    var exp = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      exp = Int(text[text.index(after: e)...]) ?? 0
    }
    var intDigits = 0
    var seenPoint = false
    for ch in mantissa {
      if ch == "." {
        seenPoint = true
      } else if let d = ch.wholeNumberValue {
        digits.append(UInt8(d))
        if !seenPoint { intDigits += 1 }
      }
    }
    exponent = intDigits + exp
    while let first = digits.first, first == 0 {
      digits.removeFirst()
      exponent -= 1
    }
    while let last = digits.last, last == 0 { digits.removeLast() }
  }

  var isZero: Bool { digits.isEmpty }

  /// Rounds half away from zero so that `keep` digits remain (`keep` may be ≤ 0).
  mutating func round(keepingDigits keep: Int) {
    guard keep < digits.count else { return }
    if keep < 0 {
      digits = []
      return
    }
    let roundUp = digits[keep] >= 5
    digits.removeSubrange(keep...)
    if roundUp {
      var i = digits.count - 1
      var carry = true
      while carry && i >= 0 {
        if digits[i] == 9 {
          digits[i] = 0
          i -= 1
        } else {
          digits[i] += 1
          carry = false
        }
      }
      if carry {
        digits.insert(1, at: 0)
        exponent += 1
      }
    }
    while let last = digits.last, last == 0 { digits.removeLast() }
  }

  /// Rounds to `places` digits after the decimal point.
  mutating func round(fractionDigits places: Int) {
    round(keepingDigits: exponent + places)
  }

  /// Rounds to `count` significant digits.
  mutating func round(significantDigits count: Int) {
    round(keepingDigits: max(1, count))
  }

  /// The digit at decimal position `i`: 0 is the first digit left of the point,
  /// -1 the first right of it.
  private func digit(atPower power: Int) -> UInt8 {
    let index = exponent - 1 - power
    return index >= 0 && index < digits.count ? digits[index] : 0
  }

  /// Fixed-point text with exactly `places` fraction digits, thousands grouped
  /// with `,` when `grouping`. No minus sign when the rounded value is zero.
  func fixed(places: Int, grouping: Bool) -> String {
    var intPart = ""
    if exponent <= 0 {
      intPart = "0"
    } else {
      for power in stride(from: exponent - 1, through: 0, by: -1) {
        intPart.append(Character(String(digit(atPower: power))))
        if grouping && power > 0 && power % 3 == 0 { intPart.append(",") }
      }
    }
    var text = (negative && !isZero ? "-" : "") + intPart
    if places > 0 {
      text.append(".")
      for power in stride(from: -1, through: -places, by: -1) {
        text.append(Character(String(digit(atPower: power))))
      }
    }
    return text
  }
}
