extension Table {
  /// The column an expression computes, one value per row.
  ///
  /// See ``ExprEvaluator`` for the types, missing-value and error rules.
  /// - Parameter tableName: used in error messages (`unknown column 'x' in table 'events'`).
  public func evaluate(_ e: Expr, tableName: String = "") throws(DataError) -> Column {
    try ExprEvaluator(table: self, tableName: tableName).column(e)
  }

  /// The rows where the condition `e` holds: a number that is present and not zero
  /// (comparisons give 1 or 0). A missing condition drops the row.
  /// - Throws: ``DataError/typeMismatch`` when the condition is a string.
  /// - Returns: the table and how many rows were removed.
  public func filtered(where e: Expr, tableName: String = "") throws(DataError) -> (Table, removed: Int) {
    let c = try evaluate(e, tableName: tableName)
    let keep: [Bool]
    switch c.storage {
    case .int(let v): keep = v.map { $0 != Column.missingInt && $0 != 0 }
    case .double(let v): keep = v.map { !$0.isNaN && $0 != 0 }
    case .string:
      throw .typeMismatch(
        message: "a filter condition must be true or false (a comparison such as x > 3), not a string",
        span: e.span)
    }
    let removed = keep.count { !$0 }
    return (removed == 0 ? self : filtering(keep), removed)
  }
}

/// Evaluates an ``Expr`` column-at-a-time: each node produces a whole typed array
/// (or a constant), so the per-row work is a tight loop over `[Int]` or `[Double]`
/// with no `Value` boxing; string functions run once per dictionary entry, not per row.
///
/// Types and rules:
/// - int `+ - * %` int gives int; an overflowing result is missing (a bulk operation
///   should not fail on one extreme row, and missing is visible in `describe`); `%`
///   truncates like Swift and C (`-7 % 3 == -1`). `/` always gives double. Mixed
///   int and double give double.
/// - Division (or `%`) by zero gives missing, as does any missing operand.
/// - Comparisons give int 1/0: numbers with numbers, strings with strings (`==`, `!=`,
///   and lexicographic `< <= > >=`); a string against a number is a type error.
/// - `and`, `or`, `not` take numbers (non-zero is true) and use three-valued logic:
///   `0 and missing == 0`, `1 or missing == 1`, otherwise missing propagates.
/// - Errors carry the span of the offending node: a string operand of arithmetic,
///   a mismatched comparison, an unknown column or function, a bad argument.
///
/// Functions are listed in ``ExprEvaluator/functions``; see ExprFunctions.swift and,
/// for column-wide ones (`count`, `mean`, `sum`, `min`, `max`, `rank`, also `... by g`),
/// ExprAggregates.swift.
struct ExprEvaluator {
  let table: Table
  let tableName: String
  var rowCount: Int { table.rowCount }

  /// An intermediate result: a typed array of `rowCount` values, or a constant not yet
  /// broadcast (literals, and expressions of literals only).
  enum Vec {
    case int([Int])
    case double([Double])
    case string(codes: [Int32], dictionary: [String])
    case scalar(Value)
  }

  /// A numeric array.
  enum Num {
    case int([Int])
    case double([Double])

    var doubles: [Double] {
      switch self {
      case .int(let v): return v.map { $0 == Column.missingInt ? .nan : Double($0) }
      case .double(let v): return v
      }
    }
  }

  // MARK: - Entry points

  /// The result of `e` as a column of `rowCount` rows.
  func column(_ e: Expr) throws(DataError) -> Column {
    Self.column(try eval(e), count: rowCount)
  }

  static func column(_ v: Vec, count: Int) -> Column {
    switch v {
    case .int(let a): return Column(ints: a)
    case .double(let a): return Column(doubles: a)
    case .string(let c, let d): return Column(codes: c, dictionary: d)
    case .scalar(let x):
      switch x {
      case .int(let i): return Column(ints: Array(repeating: i, count: count))
      case .double(let d): return Column(doubles: Array(repeating: d, count: count))
      case .string(let s): return Column(codes: Array(repeating: 0, count: count), dictionary: [s])
      case .missing: return Column.missing(.int, count: count)
      }
    }
  }

  func eval(_ e: Expr) throws(DataError) -> Vec {
    switch e {
    case .literal(let v, _):
      if case .double(let d) = v, d.isNaN { return .scalar(.missing) }
      return .scalar(v)
    case .column(let name, let span):
      let c = try table.requireColumn(name, table: tableName, span: span)
      switch c.storage {
      case .int(let a): return .int(a)
      case .double(let a): return .double(a)
      case .string(let codes, let d): return .string(codes: codes, dictionary: d)
      }
    case .unary(let op, let x, _):
      let v = try eval(x)
      switch op {
      case .negate: return try negate(v, span: x.span)
      case .not:
        let t = try truth(v, span: x.span, what: "'not'")
        return bool(t.map { $0 < 0 ? -1 : 1 - $0 }, scalar: isScalar(v))
      }
    case .binary(let op, let l, let r, let span):
      let a = try eval(l)
      let b = try eval(r)
      switch op {
      case .add, .subtract, .multiply, .divide, .modulo:
        return try arithmetic(op, a, b, leftSpan: l.span, rightSpan: r.span)
      case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
        return try compare(op, a, b, span: span)
      case .and, .or:
        let x = try truth(a, span: l.span, what: "'\(op.rawValue)'", count: length(a, b))
        let y = try truth(b, span: r.span, what: "'\(op.rawValue)'", count: length(a, b))
        var out = [Int8](repeating: 0, count: x.count)
        for i in x.indices {
          if op == .and {
            out[i] = x[i] == 0 || y[i] == 0 ? 0 : (x[i] < 0 || y[i] < 0 ? -1 : 1)
          } else {
            out[i] = x[i] == 1 || y[i] == 1 ? 1 : (x[i] < 0 || y[i] < 0 ? -1 : 0)
          }
        }
        return bool(out, scalar: isScalar(a) && isScalar(b))
      }
    case .call(let name, let args, let span):
      return try call(name, args, span: span)
    case .grouped(let name, let args, let by, let span):
      return try grouped(name, args, by: by, span: span)
    }
  }

  // MARK: - Shapes and conversions

  func isScalar(_ v: Vec) -> Bool {
    if case .scalar = v { return true }
    return false
  }

  func isString(_ v: Vec) -> Bool {
    switch v {
    case .string, .scalar(.string): return true
    default: return false
    }
  }

  /// The length operands are materialized at: 1 when all are constants (the result
  /// is folded back into a constant), else the row count.
  func length(_ vs: Vec...) -> Int { vs.allSatisfy(isScalar) ? 1 : rowCount }

  /// A length-1 result back into a constant when its operands were all constants.
  func fold(_ v: Vec, scalar: Bool) -> Vec {
    guard scalar else { return v }
    return .scalar(Self.column(v, count: 1)[0])
  }

  /// Numbers, or a type error naming what needed them.
  func num(_ v: Vec, count: Int, span: Range<Int>, _ message: @autoclosure () -> String) throws(DataError)
    -> Num
  {
    switch v {
    case .int(let a): return .int(a)
    case .double(let a): return .double(a)
    case .scalar(.int(let x)): return .int(Array(repeating: x, count: count))
    case .scalar(.double(let x)): return .double(Array(repeating: x, count: count))
    case .scalar(.missing): return .int(Array(repeating: Column.missingInt, count: count))
    case .string, .scalar(.string): throw .typeMismatch(message: message(), span: span)
    }
  }

  /// Strings (codes and dictionary), or a type error naming what needed them.
  func str(_ v: Vec, count: Int, span: Range<Int>, _ message: @autoclosure () -> String) throws(DataError)
    -> (codes: [Int32], dictionary: [String])
  {
    switch v {
    case .string(let c, let d): return (c, d)
    case .scalar(.string(let s)): return (Array(repeating: 0, count: count), [s])
    case .scalar(.missing): return (Array(repeating: -1, count: count), [])
    default: throw .typeMismatch(message: message(), span: span)
    }
  }

  /// Truth values as -1 (missing), 0, 1: numbers, non-zero is true.
  func truth(_ v: Vec, span: Range<Int>, what: String, count: Int? = nil) throws(DataError) -> [Int8] {
    let n = count ?? (isScalar(v) ? 1 : rowCount)
    switch try num(
      v, count: n, span: span, "\(what) needs true/false values (numbers or comparisons), not a string")
    {
    case .int(let a): return a.map { $0 == Column.missingInt ? -1 : ($0 != 0 ? 1 : 0) }
    case .double(let a): return a.map { $0.isNaN ? -1 : ($0 != 0 ? 1 : 0) }
    }
  }

  /// Truth values as an int 0/1 column with missing.
  func bool(_ t: [Int8], scalar: Bool) -> Vec {
    fold(.int(t.map { $0 < 0 ? Column.missingInt : Int($0) }), scalar: scalar)
  }

  // MARK: - Operators

  func negate(_ v: Vec, span: Range<Int>) throws(DataError) -> Vec {
    let n = isScalar(v) ? 1 : rowCount
    switch try num(v, count: n, span: span, "cannot negate a string") {
    case .int(let a): return fold(.int(a.map { $0 == Column.missingInt ? $0 : -$0 }), scalar: isScalar(v))
    case .double(let a): return fold(.double(a.map { -$0 }), scalar: isScalar(v))
    }
  }

  func arithmetic(_ op: Expr.BinaryOp, _ l: Vec, _ r: Vec, leftSpan: Range<Int>, rightSpan: Range<Int>)
    throws(DataError) -> Vec
  {
    if isString(l) || isString(r) {
      let verb =
        switch op {
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide: "divide"
        default: "take the remainder of"
        }
      let what =
        isString(l) && isString(r)
        ? "two strings" : (op == .add ? "a string to a number" : "a string and a number")
      throw .typeMismatch(
        message: "cannot \(verb) \(what) ('\(op.rawValue)' needs numbers)",
        span: isString(l) ? leftSpan : rightSpan)
    }
    let n = length(l, r)
    let a = try num(l, count: n, span: leftSpan, "")
    let b = try num(r, count: n, span: rightSpan, "")
    let scalar = isScalar(l) && isScalar(r)
    if case .int(let x) = a, case .int(let y) = b, op != .divide {
      return fold(.int(Self.intArithmetic(op, x, y)), scalar: scalar)
    }
    return fold(.double(Self.doubleArithmetic(op, a.doubles, b.doubles)), scalar: scalar)
  }

  /// Int arithmetic with missing in, missing out, and overflow (or a result equal to
  /// the missing sentinel) giving missing.
  static func intArithmetic(_ op: Expr.BinaryOp, _ x: [Int], _ y: [Int]) -> [Int] {
    let m = Column.missingInt
    var out = [Int](repeating: m, count: x.count)
    for i in x.indices {
      let a = x[i]
      let b = y[i]
      if a == m || b == m { continue }
      let r: (partialValue: Int, overflow: Bool)
      switch op {
      case .add: r = a.addingReportingOverflow(b)
      case .subtract: r = a.subtractingReportingOverflow(b)
      case .multiply: r = a.multipliedReportingOverflow(by: b)
      default:
        if b == 0 { continue }
        r = a.remainderReportingOverflow(dividingBy: b)
      }
      if !r.overflow { out[i] = r.partialValue }
    }
    return out
  }

  /// Double arithmetic; NaN (missing) propagates, division by zero gives NaN.
  static func doubleArithmetic(_ op: Expr.BinaryOp, _ x: [Double], _ y: [Double]) -> [Double] {
    switch op {
    case .add: return zip(x, y).map { $0 + $1 }
    case .subtract: return zip(x, y).map { $0 - $1 }
    case .multiply: return zip(x, y).map { $0 * $1 }
    case .divide: return zip(x, y).map { $1 == 0 ? .nan : $0 / $1 }
    default: return zip(x, y).map { $1 == 0 ? .nan : $0.truncatingRemainder(dividingBy: $1) }
    }
  }

  static func holds<T: Comparable>(_ op: Expr.BinaryOp, _ a: T, _ b: T) -> Bool {
    switch op {
    case .equal: return a == b
    case .notEqual: return a != b
    case .less: return a < b
    case .lessEqual: return a <= b
    case .greater: return a > b
    default: return a >= b
    }
  }

  /// The comparison with its operands swapped (`3 < x` is `x > 3`).
  static func flipped(_ op: Expr.BinaryOp) -> Expr.BinaryOp {
    switch op {
    case .less: return .greater
    case .lessEqual: return .greaterEqual
    case .greater: return .less
    case .greaterEqual: return .lessEqual
    default: return op
    }
  }

  func compare(_ op: Expr.BinaryOp, _ l: Vec, _ r: Vec, span: Range<Int>) throws(DataError) -> Vec {
    let n = length(l, r)
    let scalar = isScalar(l) && isScalar(r)
    let m = Column.missingInt
    if case .scalar(.missing) = l { return fold(.int(Array(repeating: m, count: n)), scalar: scalar) }
    if case .scalar(.missing) = r { return fold(.int(Array(repeating: m, count: n)), scalar: scalar) }
    if isString(l) != isString(r) {
      throw .typeMismatch(
        message: "cannot compare a string with a number ('\(op.rawValue)' needs two numbers or two strings)",
        span: span)
    }
    if isString(l) {
      // A constant side is compared once per dictionary entry of the other side.
      if case .scalar(.string(let s)) = r, !scalar {
        let (codes, dict) = try str(l, count: n, span: span, "")
        let result = dict.map { Self.holds(op, $0, s) ? 1 : 0 }
        return .int(codes.map { $0 < 0 ? m : result[Int($0)] })
      }
      if case .scalar(.string) = l, !scalar { return try compare(Self.flipped(op), r, l, span: span) }
      let (ca, da) = try str(l, count: n, span: span, "")
      let (cb, db) = try str(r, count: n, span: span, "")
      var out = [Int](repeating: m, count: n)
      for i in 0..<n where ca[i] >= 0 && cb[i] >= 0 {
        out[i] = Self.holds(op, da[Int(ca[i])], db[Int(cb[i])]) ? 1 : 0
      }
      return fold(.int(out), scalar: scalar)
    }
    let a = try num(l, count: n, span: span, "")
    let b = try num(r, count: n, span: span, "")
    var out = [Int](repeating: m, count: n)
    if case .int(let x) = a, case .int(let y) = b {
      for i in 0..<n where x[i] != m && y[i] != m { out[i] = Self.holds(op, x[i], y[i]) ? 1 : 0 }
    } else {
      let x = a.doubles
      let y = b.doubles
      for i in 0..<n where !x[i].isNaN && !y[i].isNaN { out[i] = Self.holds(op, x[i], y[i]) ? 1 : 0 }
    }
    return fold(.int(out), scalar: scalar)
  }
}
