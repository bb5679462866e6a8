/// A row-wise expression over a table's columns, as `filter ... where EXPR` and
/// `feature NAME.NEW = EXPR` use.
///
/// The language layer parses text into `Expr`; ``ExprEvaluator`` evaluates it
/// column-at-a-time. `span` is the node's source range in the cell (opaque
/// here; returned inside errors).
public indirect enum Expr: Sendable, Equatable {
  case literal(Value, span: Range<Int>)
  case column(String, span: Range<Int>)
  case unary(UnaryOp, Expr, span: Range<Int>)
  case binary(BinaryOp, Expr, Expr, span: Range<Int>)
  /// A function call: `log(x)`, `bucket(price, 10)`, `count(user)`.
  case call(String, [Expr], span: Range<Int>)
  /// A grouped aggregate: `mean(rating) by item`, `rank(ts) by user`.
  case grouped(String, [Expr], by: [String], span: Range<Int>)

  public enum UnaryOp: String, Sendable { case negate = "-", not = "not" }
  public enum BinaryOp: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and = "and", or = "or"
  }

  public var span: Range<Int> {
    switch self {
    case .literal(_, let s), .column(_, let s), .unary(_, _, let s), .binary(_, _, _, let s),
      .call(_, _, let s), .grouped(_, _, _, let s):
      return s
    }
  }

  /// Whether a row's value depends on other rows: a column-wide or grouped aggregate
  /// (`count(user)`, `mean(rating) by item`, `rank(ts) by user`, one-argument `min(x)`).
  /// Such a feature computed before a train/test split sees the test rows.
  public var readsOtherRows: Bool {
    switch self {
    case .literal, .column: return false
    case .unary(_, let e, _): return e.readsOtherRows
    case .binary(_, let l, let r, _): return l.readsOtherRows || r.readsOtherRows
    case .call(let name, let args, _):
      let aggregate =
        ["count", "mean", "sum", "rank"].contains(name) || (["min", "max"].contains(name) && args.count == 1)
      return aggregate || args.contains { $0.readsOtherRows }
    case .grouped: return true
    }
  }

  /// Every column the expression reads, with where it is named.
  public var columnReferences: [(String, Range<Int>)] {
    switch self {
    case .literal: return []
    case .column(let n, let s): return [(n, s)]
    case .unary(_, let e, _): return e.columnReferences
    case .binary(_, let l, let r, _): return l.columnReferences + r.columnReferences
    case .call(_, let args, _): return args.flatMap(\.columnReferences)
    case .grouped(_, let args, let by, let s): return args.flatMap(\.columnReferences) + by.map { ($0, s) }
    }
  }
}
