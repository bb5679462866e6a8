import RecData
import RecTerm
import Testing

/// Table layout: alignment, shrinking with ellipsis, wide characters, borders, the
/// record fallback, and the width bound over many random tables.
struct TextTableTests {
  static let movies = TextTable(
    columns: [.number("user"), TextTable.Column("title"), .number("rating")],
    rows: [["1", "Toy Story (1995)", "4.5"], ["42", "Heat (1995)", "3.0"]])

  @Test func naturalWidthsAlignNumbersRight() {
    let expected = """
      user  title             rating
      ────  ────────────────  ──────
         1  Toy Story (1995)     4.5
        42  Heat (1995)          3.0
      """
    #expect(Self.movies.render(RenderStyle(width: 80)) == expected)
    #expect(Self.movies.render(.notebook) == expected)
  }

  @Test func asciiRule() {
    let expected = """
      user  title             rating
      ----  ----------------  ------
         1  Toy Story (1995)     4.5
        42  Heat (1995)          3.0
      """
    #expect(Self.movies.render(.plain(width: 80)) == expected)
  }

  /// 26 columns: 4 go to separators, the title shrinks from 16 to 22 - 4 - 6 = 12.
  @Test func textColumnShrinksFirstWithEllipsis() {
    let expected = """
      user  title         rating
      ────  ────────────  ──────
         1  Toy Story (…     4.5
        42  Heat (1995)      3.0
      """
    #expect(Self.movies.render(RenderStyle(width: 26)) == expected)
    let ascii = Self.movies.render(.plain(width: 26))
    #expect(ascii.contains("   1  Toy Story...     4.5"))
  }

  /// Widest first: with two text columns of 20 and 6, only the 20-wide one shrinks
  /// until it meets the other.
  @Test func widestColumnShrinksFirst() {
    let table = TextTable(
      columns: [TextTable.Column("a"), TextTable.Column("b")],
      rows: [[String(repeating: "x", count: 20), "yyyyyy"]])
    // room = 20 - 2 = 18: a gets 18 - 6 = 12, b keeps 6.
    let lines = table.render(RenderStyle(width: 20)).split(separator: "\n")
    #expect(lines[2] == "xxxxxxxxxxx…  yyyyyy")
    // room = 10: the cap falls to 5, so both shrink to 5 (four letters and "…").
    let narrow = table.render(RenderStyle(width: 12)).split(separator: "\n")
    #expect(narrow[2] == "xxxx…  yyyy…")
  }

  @Test func boxBorder() {
    var table = Self.movies
    table.border = .box
    let expected = """
      ┌──────┬──────────────────┬────────┐
      │ user │ title            │ rating │
      ├──────┼──────────────────┼────────┤
      │    1 │ Toy Story (1995) │    4.5 │
      │   42 │ Heat (1995)      │    3.0 │
      └──────┴──────────────────┴────────┘
      """
    #expect(table.render(RenderStyle(width: 80)) == expected)
    let ascii = table.render(.plain(width: 80)).split(separator: "\n")
    #expect(ascii[0] == "+------+------------------+--------+")
    #expect(ascii[3] == "|    1 | Toy Story (1995) |    4.5 |")
  }

  /// Wide characters count two columns, so the rating column still lines up.
  @Test func wideCharactersAlign() {
    let table = TextTable(
      columns: [TextTable.Column("title"), .number("n")],
      rows: [["千と千尋の神隠し", "1,234"], ["Amélie", "98"], ["e\u{301}te\u{301}", "7"]])
    let expected = """
      title                 n
      ────────────────  ─────
      千と千尋の神隠し  1,234
      Amélie               98
      e\u{301}te\u{301}                   7
      """
    #expect(table.render(RenderStyle(width: 80)) == expected)
    // The title gets 19 - 2 - 5 = 12 columns: five wide characters (10) and the
    // ellipsis (1); a sixth would need 2, so one column of padding remains.
    let narrow = table.render(RenderStyle(width: 19)).split(separator: "\n")
    #expect(narrow[2] == "千と千尋の…   1,234")
    #expect(TextWidth.of(String(narrow[2])) == 19)
  }

  @Test func footerAndMoreRows() {
    var table = Self.movies
    table.footer = TextTable.moreRows(9990, style: RenderStyle())
    #expect(table.render(RenderStyle()).hasSuffix("\n… 9,990 more rows"))
    #expect(TextTable.moreRows(1, style: .plain()) == "... 1 more row")
  }

  /// Narrower than four columns per column plus separators: one record per row.
  @Test func recordLayoutWhenTooNarrow() {
    let expected = """
      ── row 1 ───
      user:  1
      title: Toy
             Story
             (1995
             )
      rati…: 4.5
      ── row 2 ───
      user:  42
      title: Heat
             (1995
             )
      rati…: 3.0
      """
    #expect(Self.movies.render(RenderStyle(width: 12)) == expected)
    let ascii = Self.movies.render(.plain(width: 12))
    #expect(ascii.hasPrefix("-- row 1 ---\nuser:  1\n"))
    #expect(ascii.contains("\nra...: 4.5\n"))
  }

  @Test func shortRowsArePaddedAndControlCharactersReplaced() {
    let table = TextTable(
      columns: [TextTable.Column("a"), TextTable.Column("b")],
      rows: [["x\ty"], ["\u{1B}[31mred", "z", "extra"]])
    let text = table.render(RenderStyle(width: 40))
    // The escape becomes U+FFFD (one column), so the cell is 8 columns wide.
    #expect(text == "a         b\n────────  ─\nx y\n\u{FFFD}[31mred  z")
    #expect(!table.render(.plain(width: 40)).contains("\u{1B}"))
  }

  @Test func colorOnlyAddsEscapes() {
    let colored = Self.movies.render(RenderStyle(width: 80, color: true))
    #expect(colored.contains("\u{1B}[1m"))
    #expect(TextWidth.strippingEscapes(colored) == Self.movies.render(RenderStyle(width: 80)))
  }

  @Test func emptyTable() {
    #expect(TextTable(columns: [], rows: []).render(RenderStyle()) == "")
    let headerOnly = TextTable(columns: [TextTable.Column("a")], rows: []).render(RenderStyle())
    #expect(headerOnly == "a\n─")
  }

  /// A ratings table like the notebook prints, at every golden width, both borders.
  @Test func golden() {
    let titles = [
      "Toy Story (1995)", "千と千尋の神隠し (2001)", "Amélie (Le Fabuleux Destin d'Amélie Poulain) (2001)",
      "Heat (1995)",
    ]
    func rows(_ style: RenderStyle) -> [[String]] {
      titles.enumerated().map { i, title in
        [
          NumberFormat.integer(1 + i * 3_217), title, NumberFormat.decimal(3.5 + Double(i) * 0.37, digits: 2),
          NumberFormat.integer(i * 12_345), i == 2 ? style.missing : NumberFormat.percent(Double(i) / 7),
        ]
      }
    }
    let columns: [TextTable.Column] = [
      .number("user"), TextTable.Column("title"), .number("rating"), .number("count"), .number("share"),
    ]
    var text = ""
    for border in [TextTable.Border.rule, .box] {
      text += "##### border \(border)\n"
      text += renderAll { style in
        TextTable(
          columns: columns, rows: rows(style), footer: TextTable.moreRows(99_996, style: style),
          border: border
        ).render(style)
      }
      text += "\n\n"
    }
    Golden.check("table-ratings", text)
  }

  /// Random tables (words, wide characters, combining marks) at every width from 1 to
  /// 100 never produce a line wider than the width.
  @Test func neverWiderThanWidth() {
    let words = ["a", "Toy Story", "千と千尋", "e\u{301}", "1,234,567", "👍🏽", "x", "Amélie (2001)", ""]
    for seed in 0..<20 {
      var g = SeededGenerator(seed: UInt64(seed))
      let columnCount = 1 + g.nextInt(below: 6)
      let columns = (0..<columnCount).map {
        g.nextInt(below: 2) == 0 ? TextTable.Column("col\($0)") : .number("number \($0)")
      }
      let rows = (0..<g.nextInt(below: 5)).map { _ in
        (0..<columnCount).map { _ in
          (0..<(1 + g.nextInt(below: 3))).map { _ in words[g.nextInt(below: words.count)] }.joined(
            separator: " ")
        }
      }
      for border in [TextTable.Border.rule, .box] {
        let table = TextTable(columns: columns, rows: rows, footer: "… 12 more rows", border: border)
        for width in 1...100 {
          for unicode in [true, false] {
            expectFits(
              table.render(RenderStyle(width: width, unicode: unicode)), width: width, "seed \(seed)")
          }
        }
      }
    }
  }
}
