import Testing

@testable import Notebook

@Suite struct LexerTests {
  func kinds(_ s: String) throws -> [String] {
    try Lexer.tokenize(CellSource(s)).map { t in
      switch t.kind {
      case .word: return "w:\(t.text)"
      case .string: return "s:\(t.text)"
      case .equals: return "="
      case .comma: return ","
      }
    }
  }

  @Test func wordsPathsAndOptions() throws {
    #expect(
      try kinds("load r from ../data/u.data sep=, header=true # note")
        == ["w:load", "w:r", "w:from", "w:../data/u.data", "w:sep", "=", ",", "w:header", "=", "w:true"])
    #expect(
      try kinds("dedupe events by=user,item") == [
        "w:dedupe", "w:events", "w:by", "=", "w:user", ",", "w:item",
      ])
    #expect(try kinds("kcore t min-user=5") == ["w:kcore", "w:t", "w:min-user", "=", "w:5"])
  }

  @Test(arguments: [
    (#""a b""#, "a b"), (#""say \"hi\"""#, "say \"hi\""), (#""tab\there""#, "tab\there"),
    (#""\u{e9}""#, "é"), (##""# not a comment""##, "# not a comment"), (#""""#, ""),
  ])
  func strings(_ input: String, _ value: String) throws {
    let t = try Lexer.tokenize(CellSource("x " + input))
    #expect(t.count == 2)
    #expect(t[1].kind == .string)
    #expect(t[1].text == value)
  }

  @Test func spansCountCharacters() throws {
    let t = try Lexer.tokenize(CellSource("show café rows=3"))
    #expect(t[1].span == 5..<9)
    #expect(t[2].span == 10..<14)
    #expect(t[3].spaceBefore == false)
  }

  @Test func unterminatedString() {
    #expect(
      throws: NotebookError(
        .syntax, "unterminated string", span: 5..<11, hint: "close it with a double quote (\")")
    ) {
      try Lexer.tokenize(CellSource(#"load "abc d"#))
    }
  }

  @Test func continuationLinesJoinAndMapBack() {
    let s = CellSource(lines: ["load x \\", "  from y"], firstLine: 10)
    #expect(s.text == "load x     from y")
    #expect(s.location(of: 0) == SourceLocation(line: 10, column: 1))
    #expect(s.location(of: 11) == SourceLocation(line: 11, column: 3))
  }
}
