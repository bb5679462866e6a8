import Foundation
import RecData
import Testing

/// a, b ints; x doubles; s, w strings; row 2 is missing in most columns.
private let table = T.table(
  ("a", T.ints([1, 2, nil, 7])),
  ("b", T.ints([2, 0, 3, -2])),
  ("x", T.doubles([0.5, 1.5, 2.5, nil])),
  ("s", T.strings(["a", "B", nil, "a"])),
  ("w", T.strings(["hello", "world", nil, "yellow"])),
  ("t", T.ints([0, -1, 951_782_400, 1_709_251_199])))

private let a = E.col("a")
private let b = E.col("b")
private let x = E.col("x")
private let s = E.col("s")
private let w = E.col("w")
private let t = E.col("t")

struct ExprCase: CustomTestStringConvertible, Sendable {
  let name: String
  let expr: Expr
  let expected: [Value]
  var testDescription: String { name }
}

private let operatorCases: [ExprCase] = [
  .init(name: "a + b", expr: E.bin(.add, a, b), expected: T.iv([3, 2, nil, 5])),
  .init(name: "a - b", expr: E.bin(.subtract, a, b), expected: T.iv([-1, 2, nil, 9])),
  .init(name: "a * b", expr: E.bin(.multiply, a, b), expected: T.iv([2, 0, nil, -14])),
  // int / int is double; division by zero is missing
  .init(name: "a / b", expr: E.bin(.divide, a, b), expected: T.dv([1.0 / 2, nil, nil, 7.0 / -2])),
  // truncating remainder: 7 % -2 == 1; % 0 is missing
  .init(name: "a % b", expr: E.bin(.modulo, a, b), expected: T.iv([1, nil, nil, 1])),
  .init(name: "-7 % 3", expr: E.bin(.modulo, E.int(-7), E.int(3)), expected: T.iv([-1, -1, -1, -1])),
  .init(name: "a + x", expr: E.bin(.add, a, x), expected: T.dv([1.5, 3.5, nil, nil])),
  .init(name: "x % 1", expr: E.bin(.modulo, x, E.int(1)), expected: T.dv([0.5, 0.5, 0.5, nil])),
  .init(name: "x / 0.0", expr: E.bin(.divide, x, E.dbl(0)), expected: T.dv([nil, nil, nil, nil])),
  // overflow is missing
  .init(name: "a + Int.max", expr: E.bin(.add, a, E.int(Int.max)), expected: T.iv([nil, nil, nil, nil])),
  .init(
    name: "a * 2^62", expr: E.bin(.multiply, a, E.int(1 << 62)), expected: T.iv([1 << 62, nil, nil, nil])),
  .init(name: "-a", expr: E.neg(a), expected: T.iv([-1, -2, nil, -7])),
  .init(name: "-x", expr: E.neg(x), expected: T.dv([-0.5, -1.5, -2.5, nil])),
  .init(name: "a > 1", expr: E.bin(.greater, a, E.int(1)), expected: T.iv([0, 1, nil, 1])),
  .init(name: "a == b", expr: E.bin(.equal, a, b), expected: T.iv([0, 0, nil, 0])),
  .init(name: "a <= x", expr: E.bin(.lessEqual, a, x), expected: T.iv([0, 0, nil, nil])),
  .init(name: "a != 2", expr: E.bin(.notEqual, a, E.int(2)), expected: T.iv([1, 0, nil, 1])),
  .init(name: "s == \"a\"", expr: E.bin(.equal, s, E.str("a")), expected: T.iv([1, 0, nil, 1])),
  // "B" (U+0042) sorts before "b" (U+0062)
  .init(name: "s < \"b\"", expr: E.bin(.less, s, E.str("b")), expected: T.iv([1, 1, nil, 1])),
  .init(name: "\"b\" > s", expr: E.bin(.greater, E.str("b"), s), expected: T.iv([1, 1, nil, 1])),
  .init(name: "s >= w", expr: E.bin(.greaterEqual, s, w), expected: T.iv([0, 0, nil, 0])),
  .init(name: "w > s", expr: E.bin(.greater, w, s), expected: T.iv([1, 1, nil, 1])),
  // three-valued logic: a>1 = [0,1,m,1], b>0 = [1,0,1,0]
  .init(
    name: "a>1 and b>0", expr: E.bin(.and, E.bin(.greater, a, E.int(1)), E.bin(.greater, b, E.int(0))),
    expected: T.iv([0, 0, nil, 0])),
  .init(
    name: "a>1 or b>0", expr: E.bin(.or, E.bin(.greater, a, E.int(1)), E.bin(.greater, b, E.int(0))),
    expected: T.iv([1, 1, 1, 1])),
  .init(
    name: "a>1 and b>5", expr: E.bin(.and, E.bin(.greater, a, E.int(1)), E.bin(.greater, b, E.int(5))),
    expected: T.iv([0, 0, 0, 0])),
  .init(
    name: "a>1 or b>5", expr: E.bin(.or, E.bin(.greater, a, E.int(1)), E.bin(.greater, b, E.int(5))),
    expected: T.iv([0, 1, nil, 1])),
  .init(name: "not a>1", expr: E.not(E.bin(.greater, a, E.int(1))), expected: T.iv([1, 0, nil, 0])),
  .init(name: "1 + 2 (constant)", expr: E.bin(.add, E.int(1), E.int(2)), expected: T.iv([3, 3, 3, 3])),
]

private let functionCases: [ExprCase] = [
  .init(name: "log(x)", expr: E.fn("log", x), expected: T.dv([log(0.5), log(1.5), log(2.5), nil])),
  .init(name: "log(b)", expr: E.fn("log", b), expected: T.dv([log(2.0), nil, log(3.0), nil])),
  .init(name: "log1p(x)", expr: E.fn("log1p", x), expected: T.dv([log1p(0.5), log1p(1.5), log1p(2.5), nil])),
  .init(name: "exp(a)", expr: E.fn("exp", a), expected: T.dv([exp(1.0), exp(2.0), nil, exp(7.0)])),
  .init(name: "sqrt(b)", expr: E.fn("sqrt", b), expected: T.dv([sqrt(2.0), 0, sqrt(3.0), nil])),
  .init(name: "abs(b)", expr: E.fn("abs", b), expected: T.iv([2, 0, 3, 2])),
  .init(name: "abs(-x)", expr: E.fn("abs", E.neg(x)), expected: T.dv([0.5, 1.5, 2.5, nil])),
  .init(name: "round(x)", expr: E.fn("round", x), expected: T.dv([1, 2, 3, nil])),
  .init(name: "round(-x)", expr: E.fn("round", E.neg(x)), expected: T.dv([-1, -2, -3, nil])),
  .init(
    name: "round(1.2345, 2)", expr: E.fn("round", E.dbl(1.2345), E.int(2)),
    expected: T.dv([1.23, 1.23, 1.23, 1.23])),
  .init(
    name: "round(a*1250, -2)", expr: E.fn("round", E.bin(.multiply, a, E.int(1249)), E.int(-2)),
    expected: T.iv([1200, 2500, nil, 8700])),  // 1249, 2498, 8743
  .init(
    name: "round(-1250, -2)", expr: E.fn("round", E.int(-1250), E.int(-2)),
    expected: T.iv([-1300, -1300, -1300, -1300])),
  .init(name: "floor(x)", expr: E.fn("floor", x), expected: T.dv([0, 1, 2, nil])),
  .init(name: "ceil(x)", expr: E.fn("ceil", x), expected: T.dv([1, 2, 3, nil])),
  .init(name: "floor(a)", expr: E.fn("floor", a), expected: T.iv([1, 2, nil, 7])),
  .init(name: "min(a, b)", expr: E.fn("min", a, b), expected: T.iv([1, 0, nil, -2])),
  .init(name: "max(a, x)", expr: E.fn("max", a, x), expected: T.dv([1, 2, nil, nil])),
  .init(name: "year(t)", expr: E.fn("year", t), expected: T.iv([1970, 1969, 2000, 2024])),
  .init(name: "month(t)", expr: E.fn("month", t), expected: T.iv([1, 12, 2, 2])),
  .init(name: "day(t)", expr: E.fn("day", t), expected: T.iv([1, 31, 29, 29])),
  // 1970-01-01 Thursday, 1969-12-31 Wednesday, 2000-02-29 Tuesday, 2024-02-29 Thursday
  .init(name: "weekday(t)", expr: E.fn("weekday", t), expected: T.iv([3, 2, 1, 3])),
  .init(name: "hour(t)", expr: E.fn("hour", t), expected: T.iv([0, 23, 0, 23])),
  .init(
    name: "hour(x*7200)", expr: E.fn("hour", E.bin(.multiply, x, E.int(7200))),
    expected: T.iv([1, 3, 5, nil])),
  .init(name: "bucket(a, 5)", expr: E.fn("bucket", a, E.int(5)), expected: T.iv([0, 0, nil, 5])),
  .init(name: "bucket(-3, 5)", expr: E.fn("bucket", E.int(-3), E.int(5)), expected: T.iv([-5, -5, -5, -5])),
  .init(name: "bucket(x, 2)", expr: E.fn("bucket", x, E.int(2)), expected: T.dv([0, 0, 2, nil])),
  .init(name: "clip(a, 2, 5)", expr: E.fn("clip", a, E.int(2), E.int(5)), expected: T.iv([2, 2, nil, 5])),
  .init(name: "clip(x, 1, 2)", expr: E.fn("clip", x, E.int(1), E.int(2)), expected: T.dv([1, 1.5, 2, nil])),
  .init(name: "missing(a)", expr: E.fn("missing", a), expected: T.iv([0, 0, 1, 0])),
  .init(name: "present(s)", expr: E.fn("present", s), expected: T.iv([1, 1, 0, 1])),
  .init(name: "coalesce(a, 0)", expr: E.fn("coalesce", a, E.int(0)), expected: T.iv([1, 2, 0, 7])),
  .init(name: "coalesce(x, a)", expr: E.fn("coalesce", x, a), expected: T.dv([0.5, 1.5, 2.5, 7])),
  .init(
    name: "coalesce(s, \"z\")", expr: E.fn("coalesce", s, E.str("z")), expected: T.sv(["a", "B", "z", "a"])),
  .init(name: "lower(s)", expr: E.fn("lower", s), expected: T.sv(["a", "b", nil, "a"])),
  .init(name: "upper(s)", expr: E.fn("upper", s), expected: T.sv(["A", "B", nil, "A"])),
  .init(name: "trim", expr: E.fn("trim", E.str("  hi \n")), expected: T.sv(["hi", "hi", "hi", "hi"])),
  .init(name: "length(w)", expr: E.fn("length", w), expected: T.iv([5, 5, nil, 6])),
  .init(name: "contains(w, ell)", expr: E.fn("contains", w, E.str("ell")), expected: T.iv([1, 0, nil, 1])),
  .init(name: "startswith(w, wo)", expr: E.fn("startswith", w, E.str("wo")), expected: T.iv([0, 1, nil, 0])),
  .init(
    name: "matches(w, ^y.*w$)", expr: E.fn("matches", w, E.str("^y.*w$")), expected: T.iv([0, 0, nil, 1])),
  .init(
    name: "if(a>1, a, b)", expr: E.fn("if", E.bin(.greater, a, E.int(1)), a, b),
    expected: T.iv([2, 2, nil, 7])),
  .init(
    name: "if(a>1, s, w)", expr: E.fn("if", E.bin(.greater, a, E.int(1)), s, w),
    expected: T.sv(["hello", "B", nil, "a"])),
]

@Test(arguments: operatorCases + functionCases)
func expressionValues(_ c: ExprCase) throws {
  let got = try table.evaluate(c.expr, tableName: "t")
  #expect(T.close(T.values(got), c.expected), "\(T.values(got))")
}

/// u = [1, 1, 2, 1, m]; r = [4, 2, 5, 3, 1]; ts = [30, 10, 20, 20, 5].
private let events = T.table(
  ("user", T.ints([1, 1, 2, 1, nil])),
  ("r", T.ints([4, 2, 5, 3, 1])),
  ("rd", T.doubles([4, 2, 5, nil, 1])),
  ("ts", T.ints([30, 10, 20, 20, 5])))

private let aggregateCases: [ExprCase] = [
  .init(name: "count(user)", expr: E.fn("count", E.col("user")), expected: T.iv([3, 3, 1, 3, nil])),
  .init(name: "count(r)", expr: E.fn("count", E.col("r")), expected: T.iv([1, 1, 1, 1, 1])),
  // user 1: r 4, 2, 3 -> mean (4+2+3)/3, sum 9; user 2: 5
  .init(name: "mean(r) by user", expr: E.by("mean", E.col("r"), "user"), expected: T.dv([3, 3, 5, 3, nil])),
  .init(name: "sum(r) by user", expr: E.by("sum", E.col("r"), "user"), expected: T.iv([9, 9, 5, 9, nil])),
  .init(name: "sum(rd) by user", expr: E.by("sum", E.col("rd"), "user"), expected: T.dv([6, 6, 5, 6, nil])),
  .init(
    name: "mean(rd) by user", expr: E.by("mean", E.col("rd"), "user"), expected: T.dv([3, 3, 5, 3, nil])),
  .init(
    name: "count(rd) by user", expr: E.by("count", E.col("rd"), "user"), expected: T.iv([2, 2, 1, 2, nil])),
  .init(name: "min(r) by user", expr: E.by("min", E.col("r"), "user"), expected: T.iv([2, 2, 5, 2, nil])),
  .init(name: "max(rd) by user", expr: E.by("max", E.col("rd"), "user"), expected: T.dv([4, 4, 5, 4, nil])),
  // user 1 rows 0 (ts 30), 1 (ts 10), 3 (ts 20)
  .init(
    name: "rank(ts) by user", expr: E.by("rank", E.col("ts"), "user"), expected: T.iv([3, 1, 1, 2, nil])),
  // ties by row order: ts 20 at rows 2 and 3
  .init(name: "rank(ts)", expr: E.fn("rank", E.col("ts")), expected: T.iv([5, 2, 3, 4, 1])),
  .init(name: "rank(user)", expr: E.fn("rank", E.col("user")), expected: T.iv([1, 2, 4, 3, nil])),
  .init(name: "mean(r)", expr: E.fn("mean", E.col("r")), expected: T.dv([3, 3, 3, 3, 3])),
  .init(name: "sum(r)", expr: E.fn("sum", E.col("r")), expected: T.iv([15, 15, 15, 15, 15])),
  .init(name: "min(rd)", expr: E.fn("min", E.col("rd")), expected: T.dv([1, 1, 1, 1, 1])),
  .init(
    name: "r - mean(r) by user", expr: E.bin(.subtract, E.col("r"), E.by("mean", E.col("r"), "user")),
    expected: T.dv([1, -1, 0, 0, nil])),
  .init(
    name: "sum(r) by user, ts", expr: .grouped("sum", [E.col("r")], by: ["user", "ts"], span: 0..<0),
    expected: T.iv([4, 2, 5, 3, nil])),
]

@Test(arguments: aggregateCases)
func columnWideFunctions(_ c: ExprCase) throws {
  let got = try events.evaluate(c.expr, tableName: "events")
  #expect(T.close(T.values(got), c.expected), "\(T.values(got))")
}

struct ErrorCase: CustomTestStringConvertible, Sendable {
  let name: String
  let expr: Expr
  let expected: DataError
  var testDescription: String { name }
}

private let errorCases: [ErrorCase] = [
  .init(
    name: "unknown column", expr: E.bin(.add, E.col("raitng", 5..<11), E.int(1)),
    expected: .unknownColumn(name: "raitng", table: "events", suggestions: ["rating"], span: 5..<11)),
  .init(
    name: "unknown function", expr: E.fn("lgo", E.col("rating"), span: 2..<13),
    expected: .unknownFunction(name: "lgo", suggestions: ["log"], span: 2..<13)),
  .init(
    name: "wrong arity", expr: E.fn("log", E.col("rating"), E.int(2), span: 0..<17),
    expected: .badArguments(function: "log", message: "expects 1 argument, got 2", span: 0..<17)),
  .init(
    name: "arity of round", expr: E.fn("round", span: 0..<7),
    expected: .badArguments(function: "round", message: "expects 1 or 2 arguments, got 0", span: 0..<7)),
  .init(
    name: "string + number", expr: E.bin(.add, E.col("title", 0..<5), E.int(1), 0..<9),
    expected: .typeMismatch(message: "cannot add a string to a number ('+' needs numbers)", span: 0..<5)),
  .init(
    name: "number * string", expr: E.bin(.multiply, E.int(2), E.col("title", 4..<9), 0..<9),
    expected: .typeMismatch(message: "cannot multiply a string and a number ('*' needs numbers)", span: 4..<9)
  ),
  .init(
    name: "string vs number", expr: E.bin(.greater, E.col("title", 0..<5), E.int(3), 0..<9),
    expected: .typeMismatch(
      message: "cannot compare a string with a number ('>' needs two numbers or two strings)", span: 0..<9)),
  .init(
    name: "not a string", expr: .unary(.not, E.col("title", 4..<9), span: 0..<9),
    expected: .typeMismatch(
      message: "'not' needs true/false values (numbers or comparisons), not a string", span: 4..<9)),
  .init(
    name: "log of a string", expr: E.fn("log", E.col("title", 4..<9)),
    expected: .typeMismatch(message: "log needs a number, not a string", span: 4..<9)),
  .init(
    name: "lower of a number", expr: E.fn("lower", E.col("rating", 6..<12)),
    expected: .typeMismatch(message: "lower needs a string, not a number", span: 6..<12)),
  .init(
    name: "bad regex", expr: E.fn("matches", E.col("title"), E.str("(", 15..<18)),
    expected: .badArguments(function: "matches", message: "invalid regular expression '('", span: 15..<18)),
  .init(
    name: "contains column", expr: E.fn("contains", E.col("title"), E.col("title", 16..<21)),
    expected: .badArguments(
      function: "contains", message: "the second argument must be a string constant", span: 16..<21)),
  .init(
    name: "bucket width 0", expr: E.fn("bucket", E.col("rating"), .literal(.int(0), span: 14..<15)),
    expected: .badArguments(function: "bucket", message: "width must be a positive number", span: 14..<15)),
  .init(
    name: "round digits column", expr: E.fn("round", E.col("rating"), E.col("rating", 13..<19)),
    expected: .badArguments(
      function: "round", message: "digits must be a whole number from -18 to 18", span: 13..<19)),
  .init(
    name: "grouped unknown column", expr: E.by("mean", E.col("rating"), "usr", span: 0..<20),
    expected: .unknownColumn(name: "usr", table: "events", suggestions: ["user"], span: 0..<20)),
  .init(
    name: "grouped unknown function", expr: E.by("median", E.col("rating"), "user", span: 0..<22),
    expected: .unknownFunction(name: "median", suggestions: ["mean"], span: 0..<22)),
  .init(
    name: "mean of strings", expr: E.by("mean", E.col("title", 5..<10), "user"),
    expected: .typeMismatch(message: "mean needs numbers, not strings", span: 5..<10)),
  .init(
    name: "coalesce mixed", expr: E.fn("coalesce", E.col("rating"), E.col("title", 17..<22)),
    expected: .typeMismatch(
      message: "coalesce needs two numbers or two strings, not a string and a number", span: 17..<22)),
]

@Test(arguments: errorCases)
func expressionErrors(_ c: ErrorCase) {
  let t = T.table(("user", T.ints([1, 2])), ("rating", T.ints([3, 4])), ("title", T.strings(["x", "y"])))
  #expect(throws: c.expected) { try t.evaluate(c.expr, tableName: "events") }
}

@Test func filterDropsMissingAndFalseRows() throws {
  let (kept, removed) = try table.filtered(where: E.bin(.greater, a, E.int(1)), tableName: "t")
  #expect(removed == 2)  // row 0 (1 > 1 is false) and row 2 (missing)
  #expect(T.values(kept.column("a")) == T.iv([2, 7]))
  #expect(T.values(kept.column("s")) == T.sv(["B", "a"]))
}

@Test func filterOnAStringIsATypeError() {
  #expect(
    throws: DataError.typeMismatch(
      message: "a filter condition must be true or false (a comparison such as x > 3), not a string",
      span: 3..<4)
  ) {
    try table.filtered(where: E.col("s", 3..<4), tableName: "t")
  }
}

/// `x or not x` is true exactly where `x` is present (three-valued logic), for
/// random columns with missing values.
@Test(arguments: 0..<25)
func filterWithExcludedMiddleKeepsPresentRows(seed: Int) throws {
  let t = randomInteractions(seed: UInt64(seed), rows: 60, users: 5, items: 5, missingRate: 0.3)
  for name in ["user", "rating"] {
    let c = E.bin(.greater, E.col(name), E.int(2))
    let (kept, removed) = try t.filtered(where: E.bin(.or, c, E.not(c)), tableName: "t")
    let present = t.rowCount - t.column(name)!.missingCount
    #expect(kept.rowCount == present)
    #expect(removed == t.rowCount - present)
    #expect(kept.column(name)!.missingCount == 0)
  }
}

/// Column-at-a-time arithmetic agrees with a row-by-row reference on random data.
@Test(arguments: 0..<10)
func arithmeticMatchesRowByRowReference(seed: Int) throws {
  let t = randomInteractions(seed: UInt64(seed), rows: 50, users: 7, items: 9, missingRate: 0.2)
  let got = try t.evaluate(
    E.bin(
      .add, E.bin(.multiply, E.col("user"), E.col("item")), E.bin(.divide, E.col("rating"), E.col("user"))))
  for r in 0..<t.rowCount {
    let u = t.column("user")![r].number
    let i = t.column("item")![r].number
    let x = t.column("rating")![r].number
    var expected: Double? = nil
    if let u, let i, let x, u != 0 { expected = u * i + x / u }
    #expect(got[r].number == expected)
  }
}
