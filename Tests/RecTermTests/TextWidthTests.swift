import RecData
import RecTerm
import Testing

/// Display widths, truncation and padding, checked on known strings and on random
/// mixes of narrow, wide and combining characters.
struct TextWidthTests {
  @Test(arguments: [
    ("", 0), ("abc", 3), ("日本", 4), ("한국어", 6), ("Ａ", 2), ("e\u{301}", 1), ("Ame\u{301}lie", 6),
    ("\u{1B}[1mab\u{1B}[0m", 2), ("👍", 2), ("👍🏽", 2), ("👨‍👩‍👧", 2), ("…", 1), ("│─", 2), ("a\u{200B}b", 2),
    ("⣿▏█", 3), ("\u{0007}", 0), ("カタカナ", 8), ("🇫🇷", 2), ("☺\u{FE0F}", 2),
  ])
  func width(_ text: String, _ expected: Int) {
    #expect(TextWidth.of(text) == expected)
  }

  @Test(arguments: [
    ("Toy Story (1995)", 8, "…", "Toy Sto…"), ("Toy Story", 9, "…", "Toy Story"),
    ("abcdefgh", 6, "...", "abc..."),
    ("abcdef", 2, "...", "ab"), ("日本語テキスト", 5, "…", "日本…"), ("日本語", 4, "…", "日…"), ("abc", 0, "…", ""),
    ("e\u{301}e\u{301}e\u{301}", 2, "…", "e\u{301}…"),
  ])
  func truncate(_ text: String, _ width: Int, _ ellipsis: String, _ expected: String) {
    #expect(TextWidth.truncate(text, to: width, ellipsis: ellipsis) == expected)
  }

  @Test func truncateKeepsEscapesAndResets() {
    let cut = TextWidth.truncate("\u{1B}[31mabcdef\u{1B}[0m", to: 4, ellipsis: "…")
    #expect(cut == "\u{1B}[31mabc…\u{1B}[0m")
    #expect(TextWidth.of(cut) == 4)
  }

  @Test func padding() {
    #expect(TextWidth.pad("ab", to: 5) == "ab   ")
    #expect(TextWidth.pad("ab", to: 5, alignment: .right) == "   ab")
    #expect(TextWidth.pad("ab", to: 5, alignment: .center) == " ab  ")
    #expect(TextWidth.pad("日本", to: 5, alignment: .right) == " 日本")
    #expect(TextWidth.pad("abcdef", to: 4) == "abc…")
  }

  @Test func sanitizing() {
    #expect(TextWidth.sanitized("a\tb\nc") == "a b c")
    #expect(TextWidth.sanitized("\u{1B}[2J", replacement: "?") == "?[2J")
    #expect(TextWidth.sanitized("plain") == "plain")
  }

  /// Over random strings, a truncation is never wider than asked, is the original
  /// when that fits, and otherwise ends with the ellipsis.
  @Test func truncationProperty() {
    let alphabet: [String] = ["a", "Z", " ", "日", "ｶ", "e\u{301}", "👍", "한", "…", "1"]
    for seed in 0..<200 {
      var g = SeededGenerator(seed: UInt64(seed))
      let text = (0..<g.nextInt(below: 20)).map { _ in alphabet[g.nextInt(below: alphabet.count)] }.joined()
      let width = g.nextInt(below: 25)
      for ellipsis in ["…", "..."] {
        let cut = TextWidth.truncate(text, to: width, ellipsis: ellipsis)
        #expect(TextWidth.of(cut) <= width)
        if TextWidth.of(text) <= width {
          #expect(cut == text)
        } else if width >= TextWidth.of(ellipsis) {
          #expect(cut.hasSuffix(ellipsis))
          #expect(TextWidth.of(cut) >= width - 1)  // at most one column lost to a wide character
        }
      }
    }
  }
}

/// The ANSI helpers wrap text only when colour is on, and never change its width.
struct RenderStyleTests {
  @Test func helpers() {
    let on = RenderStyle(width: 80, color: true)
    #expect(on.bold("h") == "\u{1B}[1mh\u{1B}[0m")
    #expect(on.dim("d") == "\u{1B}[2md\u{1B}[0m")
    #expect(on.error("e") == "\u{1B}[31me\u{1B}[0m")
    #expect(on.colored("c", .cyan) == "\u{1B}[36mc\u{1B}[0m")
    #expect(on.bold("") == "")
    let off = RenderStyle(width: 80)
    #expect(off.bold("h") == "h" && off.error("e") == "e" && off.dim("d") == "d")
    #expect(TextWidth.of(on.error("error: 日本")) == TextWidth.of("error: 日本"))
    #expect(RenderStyle(width: 80).ellipsis == "…" && RenderStyle.plain().ellipsis == "...")
    #expect(RenderStyle().missing == "—" && RenderStyle.plain().missing == "-")
    #expect(RenderStyle(width: -5).columns == 1)
  }
}
