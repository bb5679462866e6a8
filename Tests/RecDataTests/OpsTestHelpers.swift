import RecData

/// Small builders for the operation tests: tables from literal columns, and
/// expressions without the parser.
enum T {
  static func ints(_ v: [Int?]) -> Column { Column(ints: v.map { $0 ?? Column.missingInt }) }
  static func doubles(_ v: [Double?]) -> Column { Column(doubles: v.map { $0 ?? .nan }) }
  static func strings(_ v: [String?]) -> Column { Column(strings: v) }

  static func table(_ columns: (String, Column)...) -> Table { Table(columns: columns) }

  /// The values of a column, for comparing with expected lists.
  static func values(_ c: Column?) -> [Value] {
    guard let c else { return [] }
    return (0..<c.count).map { c[$0] }
  }

  static func iv(_ v: [Int?]) -> [Value] { v.map { $0.map(Value.int) ?? .missing } }
  static func dv(_ v: [Double?]) -> [Value] { v.map { $0.map(Value.double) ?? .missing } }
  static func sv(_ v: [String?]) -> [Value] { v.map { $0.map(Value.string) ?? .missing } }

  /// Values equal, doubles within `tol` (missing equal to missing; an int never equals a double).
  static func close(_ a: [Value], _ b: [Value], tol: Double = 1e-9) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
      switch (x, y) {
      case (.missing, .missing): continue
      case (.double(let p), .double(let q)): if abs(p - q) > tol { return false }
      default: if x != y { return false }
      }
    }
    return true
  }
}

/// Expression builders; spans default to an empty range.
enum E {
  static func col(_ n: String, _ s: Range<Int> = 0..<0) -> Expr { .column(n, span: s) }
  static func int(_ i: Int) -> Expr { .literal(.int(i), span: 0..<0) }
  static func dbl(_ d: Double) -> Expr { .literal(.double(d), span: 0..<0) }
  static func str(_ s: String, _ span: Range<Int> = 0..<0) -> Expr { .literal(.string(s), span: span) }
  static func bin(_ op: Expr.BinaryOp, _ l: Expr, _ r: Expr, _ s: Range<Int> = 0..<0) -> Expr {
    .binary(op, l, r, span: s)
  }
  static func not(_ x: Expr) -> Expr { .unary(.not, x, span: 0..<0) }
  static func neg(_ x: Expr) -> Expr { .unary(.negate, x, span: 0..<0) }
  static func fn(_ name: String, _ args: Expr..., span: Range<Int> = 0..<0) -> Expr {
    .call(name, args, span: span)
  }
  static func by(_ name: String, _ x: Expr, _ groups: String..., span: Range<Int> = 0..<0) -> Expr {
    .grouped(name, [x], by: groups, span: span)
  }
}

/// A random interaction table for property tests: `user` and `item` skewed towards
/// small ids (the square of a uniform draw), optionally some missing values, `ts`
/// and `rating`.
func randomInteractions(seed: UInt64, rows: Int, users: Int, items: Int, missingRate: Double = 0)
  -> Table
{
  var g = SeededGenerator(seed: seed)
  var u: [Int?] = []
  var i: [Int?] = []
  var ts: [Int?] = []
  var r: [Double?] = []
  for _ in 0..<rows {
    let a = g.nextDouble()
    let b = g.nextDouble()
    u.append(g.nextDouble() < missingRate ? nil : Int(a * a * Double(users)))
    i.append(g.nextDouble() < missingRate ? nil : Int(b * b * Double(items)))
    ts.append(g.nextInt(below: 50))
    r.append(g.nextDouble() < missingRate ? nil : Double(1 + g.nextInt(below: 5)))
  }
  return T.table(("user", T.ints(u)), ("item", T.ints(i)), ("ts", T.ints(ts)), ("rating", T.doubles(r)))
}
