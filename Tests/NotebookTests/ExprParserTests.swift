import RecData
import Testing

@testable import Notebook

@Suite struct ExprParserTests {
  func parse(_ s: String) throws(NotebookError) -> Expr { try ExprParser.parse(CellSource(s), from: 0) }

  /// A compact rendering of the tree, to compare shapes.
  func show(_ e: Expr) -> String {
    switch e {
    case .literal(let v, _): return v.isMissing ? "missing" : (v.number != nil ? v.description : "\"\(v)\"")
    case .column(let n, _): return n
    case .unary(let op, let x, _): return "(\(op.rawValue) \(show(x)))"
    case .binary(let op, let l, let r, _): return "(\(show(l)) \(op.rawValue) \(show(r)))"
    case .call(let f, let args, _): return "\(f)(\(args.map(show).joined(separator: ", ")))"
    case .grouped(let f, let args, let by, _):
      return "\(f)(\(args.map(show).joined(separator: ", "))) by \(by.joined(separator: ","))"
    }
  }

  @Test(arguments: [
    ("a + b * c", "(a + (b * c))"),
    ("(a + b) * c", "((a + b) * c)"),
    ("a - b - c", "((a - b) - c)"),
    ("-x + 2", "((- x) + 2)"),
    ("-2.5", "-2.5"),
    ("rating >= 4 and not missing(ts) or x == 1", "(((rating >= 4) and (not missing(ts))) or (x == 1))"),
    ("rating = 5", "(rating == 5)"),
    ("a <> b", "(a != b)"),
    ("cat in (\"phone\", \"book\")", "((cat == \"phone\") or (cat == \"book\"))"),
    ("mean(rating) by user", "mean(rating) by user"),
    ("rank(ts) by user, session", "rank(ts) by user,session"),
    ("LOG(x)", "log(x)"),
    ("bucket(price, 1e2)", "bucket(price, 100.0)"),
    ("`odd name` + 1", "(odd name + 1)"),
    ("x == missing", "(x == missing)"),
    ("true and false", "(1 and 0)"),
    ("1_000 * x", "(1000 * x)"),
  ])
  func precedence(_ input: String, _ expected: String) throws {
    #expect(show(try parse(input)) == expected)
  }

  @Test func spansCoverTheirText() throws {
    let e = try parse("log(rating) + 1")
    guard case .binary(_, let l, let r, let s) = e else {
      Issue.record("expected a binary node")
      return
    }
    #expect(s == 0..<15)
    #expect(l.span == 0..<11)
    #expect(r.span == 14..<15)
  }

  @Test(arguments: [
    ("a +", "the expression ends too soon"),
    ("(a + b", "expected ')'"),
    ("a b", "unexpected 'b' after a complete expression"),
    ("a && b", "unexpected '&'"),
    ("f(a b)", "expected ',' or ')' in the arguments of 'f'"),
    ("12abc", "malformed number '12a'"),
    ("a ! b", "unexpected '!'"),
    ("x in 1", "expected '(' after 'in'"),
    ("mean(x) by 3", "expected a column name after 'by'"),
    ("", "expected an expression"),
    ("a)", "unmatched ')'"),
  ])
  func errors(_ input: String, _ message: String) {
    do throws(NotebookError) {
      _ = try parse(input)
      Issue.record("expected an error for \(input)")
    } catch {
      #expect(error.message == message)
      #expect(error.span != nil)
    }
  }
}
