import Foundation

/// The row-wise functions of expressions. Each takes arrays (or constants) and gives
/// an array, with missing in giving missing out unless said otherwise.
extension ExprEvaluator {
  /// Every function name with its allowed argument counts (row-wise and column-wide).
  static let functions: [String: ClosedRange<Int>] = [
    "log": 1...1, "log1p": 1...1, "exp": 1...1, "sqrt": 1...1, "abs": 1...1, "round": 1...2, "floor": 1...1,
    "ceil": 1...1, "min": 1...2, "max": 1...2, "year": 1...1, "month": 1...1, "day": 1...1, "weekday": 1...1,
    "hour": 1...1, "bucket": 2...2, "clip": 3...3, "missing": 1...1, "present": 1...1, "coalesce": 2...2,
    "lower": 1...1, "upper": 1...1, "trim": 1...1, "length": 1...1, "contains": 2...2, "startswith": 2...2,
    "matches": 2...2, "if": 3...3, "count": 1...1, "mean": 1...1, "sum": 1...1, "rank": 1...1,
  ]

  static func arity(_ r: ClosedRange<Int>) -> String {
    let plural = r.upperBound == 1 ? "argument" : "arguments"
    return r.count == 1 ? "\(r.lowerBound) \(plural)" : "\(r.lowerBound) or \(r.upperBound) \(plural)"
  }

  func call(_ name: String, _ args: [Expr], span: Range<Int>) throws(DataError) -> Vec {
    guard let arity = Self.functions[name] else {
      throw .unknownFunction(
        name: name, suggestions: Suggest.closest(to: name, in: Self.functions.keys.sorted()), span: span)
    }
    guard arity.contains(args.count) else {
      throw .badArguments(
        function: name, message: "expects \(Self.arity(arity)), got \(args.count)", span: span)
    }
    var v: [Vec] = []
    for a in args { v.append(try eval(a)) }
    let x = v[0]
    let xs = args[0].span
    let scalar = v.allSatisfy(isScalar)
    let n = scalar ? 1 : rowCount
    let m = Column.missingInt
    func number() throws(DataError) -> Num {
      try num(x, count: n, span: xs, "\(name) needs a number, not a string")
    }
    func doubles(_ f: (Double) -> Double) throws(DataError) -> Vec {
      fold(.double(try number().doubles.map(f)), scalar: scalar)
    }
    switch name {
    case "log": return try doubles { $0 > 0 ? Foundation.log($0) : .nan }
    case "log1p": return try doubles { $0 > -1 ? Foundation.log1p($0) : .nan }
    case "exp": return try doubles { Foundation.exp($0) }
    case "sqrt": return try doubles { $0 >= 0 ? $0.squareRoot() : .nan }
    case "abs", "floor", "ceil":
      switch try number() {
      case .int(let a):
        return fold(.int(name == "abs" ? a.map { $0 == m ? m : Swift.abs($0) } : a), scalar: scalar)
      case .double(let a):
        let rule: FloatingPointRoundingRule = name == "floor" ? .down : .up
        return fold(
          .double(name == "abs" ? a.map { Swift.abs($0) } : a.map { $0.rounded(rule) }), scalar: scalar)
      }
    case "round":
      var digits = 0
      if args.count == 2 {
        guard case .scalar(let d) = v[1], let dd = d.number, dd == dd.rounded(), (-18...18).contains(dd)
        else {
          throw .badArguments(
            function: name, message: "digits must be a whole number from -18 to 18", span: args[1].span)
        }
        digits = Int(dd)
      }
      return fold(Self.round(try number(), digits: digits), scalar: scalar)
    case "min", "max":
      if args.count == 1 {
        return try aggregate(name, x, span: xs, by: nil, groupSpan: span, frequency: false)
      }
      let a = try number()
      let b = try num(v[1], count: n, span: args[1].span, "\(name) needs a number, not a string")
      let isMin = name == "min"
      if case .int(let p) = a, case .int(let q) = b {
        return fold(
          .int(zip(p, q).map { $0 == m || $1 == m ? m : (isMin ? Swift.min($0, $1) : Swift.max($0, $1)) }),
          scalar: scalar)
      }
      return fold(
        .double(
          zip(a.doubles, b.doubles).map {
            $0.isNaN || $1.isNaN ? .nan : (isMin ? Swift.min($0, $1) : Swift.max($0, $1))
          }), scalar: scalar)
    case "year", "month", "day", "weekday", "hour":
      let seconds: [Int]
      switch try number() {
      case .int(let a): seconds = a
      case .double(let a):
        seconds = a.map { $0.isFinite && Swift.abs($0) < 1e17 ? Int($0.rounded(.down)) : m }
      }
      return fold(.int(seconds.map { $0 == m ? m : Self.datePart(name, $0) }), scalar: scalar)
    case "bucket":
      guard case .scalar(let w) = v[1], let width = w.number, width > 0, width.isFinite else {
        throw .badArguments(function: name, message: "width must be a positive number", span: args[1].span)
      }
      if case .int(let a) = try number(), case .scalar(.int(let iw)) = v[1] {
        return fold(
          .int(
            a.map { x in
              if x == m { return m }
              let q = x >= 0 ? x / iw : -((-(x + 1)) / iw) - 1  // floor division
              let r = q.multipliedReportingOverflow(by: iw)
              return r.overflow ? m : r.partialValue
            }), scalar: scalar)
      }
      return try doubles { ($0 / width).rounded(.down) * width }
    case "clip":
      guard case .scalar(let l) = v[1], let lo = l.number, case .scalar(let h) = v[2], let hi = h.number
      else {
        throw .badArguments(
          function: name, message: "the bounds must be number constants", span: args[1].span)
      }
      if lo > hi {
        throw .badArguments(
          function: name, message: "the lower bound \(l) is above the upper \(h)", span: span)
      }
      if case .int(let a) = try number(), case .int(let il) = l, case .int(let ih) = h {
        return fold(.int(a.map { $0 == m ? m : Swift.min(Swift.max($0, il), ih) }), scalar: scalar)
      }
      return try doubles { $0.isNaN ? $0 : Swift.min(Swift.max($0, lo), hi) }
    case "missing", "present":
      let want = name == "missing"
      let c = Self.column(x, count: n)
      return fold(.int((0..<n).map { c.isMissing($0) == want ? 1 : 0 }), scalar: scalar)
    case "coalesce":
      let pick = (0..<n).map { _ in Int8(0) }
      return try choose(
        pick, x, v[1], spans: (xs, args[1].span), function: name, missingFirst: true, count: n, scalar: scalar
      )
    case "if":
      let t = try truth(x, span: xs, what: "if", count: n)
      return try choose(
        t, v[1], v[2], spans: (args[1].span, args[2].span), function: name, missingFirst: false, count: n,
        scalar: scalar)
    case "lower", "upper", "trim":
      let (codes, dict) = try str(x, count: n, span: xs, "\(name) needs a string, not a number")
      let f: (String) -> String =
        switch name {
        case "lower": { $0.lowercased() }
        case "upper": { $0.uppercased() }
        default: { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
      let (c, d) = Self.mapDictionary(codes, dict, f)
      return fold(.string(codes: c, dictionary: d), scalar: scalar)
    case "length":
      let (codes, dict) = try str(x, count: n, span: xs, "length needs a string, not a number")
      let lengths = dict.map(\.count)
      return fold(.int(codes.map { $0 < 0 ? m : lengths[Int($0)] }), scalar: scalar)
    case "contains", "startswith", "matches":
      let (codes, dict) = try str(x, count: n, span: xs, "\(name) needs a string, not a number")
      guard case .scalar(.string(let pattern)) = v[1] else {
        throw .badArguments(
          function: name, message: "the second argument must be a string constant", span: args[1].span)
      }
      let test: (String) -> Bool
      switch name {
      case "contains": test = { $0.contains(pattern) }
      case "startswith": test = { $0.hasPrefix(pattern) }
      default:
        // Compiled once per call; run once per distinct string.
        let regex: NSRegularExpression
        do {
          regex = try NSRegularExpression(pattern: pattern)
        } catch {
          throw .badArguments(
            function: name, message: "invalid regular expression '\(pattern)'", span: args[1].span)
        }
        test = { s in regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
      }
      let result = dict.map { test($0) ? 1 : 0 }
      return fold(.int(codes.map { $0 < 0 ? m : result[Int($0)] }), scalar: scalar)
    default:  // count, mean, sum, rank: column-wide
      return try aggregate(name, x, span: xs, by: nil, groupSpan: span, frequency: name == "count")
    }
  }

  /// Per row, `a` where `pick` is 1 and `b` where it is 0 (missing where -1); with
  /// `missingFirst` (coalesce), `a` unless it is missing. Both sides must be numbers
  /// (int when both are) or both strings.
  func choose(
    _ pick: [Int8], _ a: Vec, _ b: Vec, spans: (Range<Int>, Range<Int>), function: String, missingFirst: Bool,
    count n: Int, scalar: Bool
  ) throws(DataError) -> Vec {
    let stringy = isString(a) || isString(b)
    let message = "\(function) needs two numbers or two strings, not a string and a number"
    if stringy {
      // The first value sets the type; the second is the one that does not match it.
      let bad = spans.1
      let (ca, da) = try str(a, count: n, span: bad, message)
      let (cb, db) = try str(b, count: n, span: bad, message)
      let (dict, remapB) = Self.merge(da, db)
      var out = [Int32](repeating: -1, count: n)
      for i in 0..<n {
        let useA = missingFirst ? ca[i] >= 0 : pick[i] == 1
        if missingFirst || pick[i] >= 0 { out[i] = useA ? ca[i] : (cb[i] < 0 ? -1 : remapB[Int(cb[i])]) }
      }
      return fold(.string(codes: out, dictionary: dict), scalar: scalar)
    }
    let x = try num(a, count: n, span: spans.1, message)
    let y = try num(b, count: n, span: spans.1, message)
    if case .int(let p) = x, case .int(let q) = y {
      let m = Column.missingInt
      return fold(
        .int(
          (0..<n).map { i in
            missingFirst ? (p[i] != m ? p[i] : q[i]) : (pick[i] < 0 ? m : (pick[i] == 1 ? p[i] : q[i]))
          }), scalar: scalar)
    }
    let p = x.doubles
    let q = y.doubles
    return fold(
      .double(
        (0..<n).map { i in
          missingFirst ? (!p[i].isNaN ? p[i] : q[i]) : (pick[i] < 0 ? .nan : (pick[i] == 1 ? p[i] : q[i]))
        }), scalar: scalar)
  }

  /// `a`'s dictionary extended with `b`'s new entries, and where each of `b`'s codes goes.
  static func merge(_ a: [String], _ b: [String]) -> ([String], [Int32]) {
    var dict = a
    var index: [String: Int32] = [:]
    for (i, s) in a.enumerated() { index[s] = Int32(i) }
    let remap = b.map { s -> Int32 in
      if let i = index[s] { return i }
      let i = Int32(dict.count)
      index[s] = i
      dict.append(s)
      return i
    }
    return (dict, remap)
  }

  /// A string column with `f` applied to each dictionary entry once; entries that
  /// become equal (`"A"` and `"a"` under lower) are merged so the dictionary stays distinct.
  static func mapDictionary(_ codes: [Int32], _ dict: [String], _ f: (String) -> String) -> (
    [Int32], [String]
  ) {
    let (out, remap) = merge([], dict.map(f))
    return (codes.map { $0 < 0 ? -1 : remap[Int($0)] }, out)
  }

  /// Rounding half away from zero (2.5 -> 3, -2.5 -> -3) to `digits` decimals; ints
  /// stay ints (negative digits round to tens, hundreds, ...).
  static func round(_ x: Num, digits: Int) -> Vec {
    let m = Column.missingInt
    switch x {
    case .int(let a):
      if digits >= 0 { return .int(a) }
      var p = 1
      for _ in 0 ..< -digits { p *= 10 }
      return .int(
        a.map { v in
          if v == m { return m }
          var q = v / p
          let rem = v % p
          if Swift.abs(rem) >= p - Swift.abs(rem) { q += v < 0 ? -1 : 1 }
          let r = q.multipliedReportingOverflow(by: p)
          return r.overflow ? m : r.partialValue
        })
    case .double(let a):
      if digits == 0 { return .double(a.map { $0.rounded() }) }
      let s = Foundation.pow(10.0, Double(digits))
      return .double(a.map { ($0 * s).rounded() / s })
    }
  }

  /// Calendar parts of a unix time in seconds, UTC (proleptic Gregorian calendar;
  /// Hinnant's days-to-civil algorithm). `weekday`: 0 = Monday ... 6 = Sunday (ISO
  /// order, from 0 as pandas' `dayofweek`).
  static func datePart(_ part: String, _ t: Int) -> Int {
    let days = t >= 0 ? t / 86400 : -((-(t + 1)) / 86400) - 1
    let secs = t - days * 86400
    switch part {
    case "hour": return secs / 3600
    case "weekday": return ((days + 3) % 7 + 7) % 7  // 1970-01-01 was a Thursday (3)
    default: break
    }
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    switch part {
    case "year": return year
    case "month": return month
    default: return d
    }
  }
}
