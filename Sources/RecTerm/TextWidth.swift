/// Display width of text in terminal columns: a small `wcwidth` for grapheme clusters.
///
/// Terminals give most characters one column, East Asian wide and fullwidth
/// characters and emoji two, and combining marks, joiners and ANSI escape
/// sequences none. Swift's `Character` is already a grapheme cluster, so a base
/// letter with its combining accents arrives as one `Character` and is measured
/// once. The wide ranges are the East Asian Width `W`/`F` blocks that matter in
/// practice (CJK, Hangul, kana, fullwidth forms, emoji); East Asian *ambiguous*
/// characters (box drawing, `·`, `…`) count as one column, as every western
/// terminal draws them.
public enum TextWidth {
  /// The escape character that starts an ANSI control sequence.
  static let escape: Character = "\u{1B}"

  /// Columns one Unicode scalar takes on its own: 0, 1 or 2.
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    // C0/C1 controls and DEL draw nothing (callers sanitise them away anyway).
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    if v < 0x300 { return 1 }  // fast path: ASCII and Latin-1
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    // Hangul jamo medial vowels and final consonants join the preceding syllable.
    if v >= 0x1160 && v <= 0x11FF { return 0 }
    if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
    return 1
  }

  /// Columns one grapheme cluster takes: the widest of its scalars, at most 2.
  ///
  /// Emoji sequences (family, flags, skin tones) are one cluster drawn as one
  /// wide glyph, so their scalars are not summed; a text-style symbol followed by
  /// the emoji variation selector U+FE0F is drawn wide.
  public static func of(_ character: Character) -> Int {
    var width = 0
    for scalar in character.unicodeScalars {
      if scalar.value == 0xFE0F { return 2 }
      width = max(width, of(scalar))
    }
    return width
  }

  /// Columns a string takes, ignoring ANSI escape sequences (`ESC [ ... m`).
  ///
  /// - Complexity: O(n) in the number of characters.
  public static func of(_ text: String) -> Int {
    strippingEscapes(text).reduce(0) { $0 + of($1) }
  }

  /// The text with every ANSI escape sequence removed.
  public static func strippingEscapes(_ text: String) -> String {
    var out = ""
    var inEscape = false
    for ch in text {
      if inEscape {
        if isEscapeFinal(ch) { inEscape = false }
        continue
      }
      if ch == escape {
        inEscape = true
        continue
      }
      out.append(ch)
    }
    return out
  }

  /// The longest prefix of `text` at most `width` columns wide, ending in `ellipsis`
  /// when anything was cut.
  ///
  /// Escape sequences are kept (they take no columns); if the text held any and
  /// was cut, a reset (`ESC[0m`) closes it so a colour never leaks past the cut.
  /// When even the ellipsis does not fit, the text is cut without it.
  public static func truncate(_ text: String, to width: Int, ellipsis: String) -> String {
    let limit = max(0, width)
    if of(text) <= limit { return text }
    let ellipsisWidth = of(ellipsis)
    let mark = ellipsisWidth <= limit ? ellipsis : ""
    let budget = limit - (mark.isEmpty ? 0 : ellipsisWidth)
    var out = ""
    var used = 0
    var sawEscape = false
    var inEscape = false
    for ch in text {
      if inEscape {
        out.append(ch)
        if isEscapeFinal(ch) { inEscape = false }
        continue
      }
      if ch == escape {
        sawEscape = true
        inEscape = true
        out.append(ch)
        continue
      }
      let w = of(ch)
      if used + w > budget { break }
      out.append(ch)
      used += w
    }
    if inEscape { out.append("m") }  // never leave half an escape sequence behind
    out += mark
    if sawEscape { out += "\u{1B}[0m" }
    return out
  }

  /// Alignment of text inside a wider field.
  public enum Alignment: Sendable, Equatable {
    case left, right, center
  }

  /// The text padded with spaces to exactly `width` columns (cut with `ellipsis` if wider).
  public static func pad(
    _ text: String, to width: Int, alignment: Alignment = .left, ellipsis: String = "…"
  ) -> String {
    let cut = truncate(text, to: width, ellipsis: ellipsis)
    let gap = max(0, width - of(cut))
    switch alignment {
    case .left: return cut + String(repeating: " ", count: gap)
    case .right: return String(repeating: " ", count: gap) + cut
    case .center:
      let left = gap / 2
      return String(repeating: " ", count: left) + cut + String(repeating: " ", count: gap - left)
    }
  }

  /// The text made safe for one line of a table or plot: tabs and line breaks become
  /// spaces, other control characters (including ESC, so data cannot inject
  /// terminal commands) become `replacement`.
  public static func sanitized(_ text: String, replacement: String = "\u{FFFD}") -> String {
    var out = ""
    var changed = false
    for scalar in text.unicodeScalars {
      let v = scalar.value
      if v == 0x09 || v == 0x0A || v == 0x0D {
        out += " "
        changed = true
      } else if v < 0x20 || (v >= 0x7F && v < 0xA0) {
        out += replacement
        changed = true
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return changed ? out : text
  }

  /// Whether `ch` ends an escape sequence: CSI sequences end at a byte in `@`...`~`;
  /// the `[` right after ESC does not end it.
  private static func isEscapeFinal(_ ch: Character) -> Bool {
    guard let a = ch.asciiValue else { return false }
    return a >= 0x40 && a <= 0x7E && a != 0x5B
  }

  /// East Asian Width `W` or `F` ranges (Unicode 15, abridged to the blocks that
  /// occur in titles and names).
  private static func isWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F,  // Hangul jamo initial consonants
      0x231A...0x231B, 0x2329...0x232A,
      0x2E80...0x303E,  // CJK radicals, punctuation
      0x3041...0x33FF,  // kana, bopomofo, CJK compatibility
      0x3400...0x4DBF,  // CJK extension A
      0x4E00...0x9FFF,  // CJK unified ideographs
      0xA000...0xA4CF,  // Yi
      0xA960...0xA97F,  // Hangul jamo extended A
      0xAC00...0xD7A3,  // Hangul syllables
      0xF900...0xFAFF,  // CJK compatibility ideographs
      0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, small forms
      0xFF00...0xFF60, 0xFFE0...0xFFE6,  // fullwidth forms
      0x16FE0...0x16FE4, 0x17000...0x18CFF,  // Tangut
      0x1B000...0x1B16F,  // kana supplement
      0x1F300...0x1F64F, 0x1F900...0x1F9FF,  // emoji blocks
      0x20000...0x2FFFD, 0x30000...0x3FFFD:  // CJK extensions B and beyond
      return true
    default:
      return false
    }
  }
}
