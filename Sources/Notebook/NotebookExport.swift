/// A notebook as a report to read or share: its prose as headings and paragraphs, each cell
/// with the output recorded under it (tables and plots are text, so they come along as
/// preformatted blocks). Markdown, or one self-contained HTML page with its stylesheet inline
/// and no network resources.
///
/// Prose conventions read from the notebook's `#` lines: the first text line is the title; a
/// line between two rules (`# -----`) is a section heading; lines indented two or more spaces
/// after `#` are preformatted (a command to type); other lines join into paragraphs, which
/// blank `#` lines separate; `code` in backquotes stays code.
public enum NotebookExport {
  public enum Format: String, CaseIterable, Sendable {
    case markdown
    case html
  }

  /// One block of the report, in order.
  enum Block: Equatable {
    case title(String)
    case heading(String)
    case paragraph(String)
    case preformatted([String])
    case cell([String], output: [OutputLine])
  }

  public static func render(_ notebook: NotebookFile, as format: Format, name: String) -> String {
    let blocks = Self.blocks(notebook)
    switch format {
    case .markdown: return markdown(blocks)
    case .html: return html(blocks, fallbackTitle: name)
    }
  }

  // MARK: - Reading the notebook

  static func blocks(_ notebook: NotebookFile) -> [Block] {
    var blocks: [Block] = []
    var prose: [String] = []
    func flushProse() {
      blocks += proseBlocks(prose, isStart: blocks.isEmpty)
      prose.removeAll()
    }
    for item in notebook.items {
      switch item {
      case .prose(let line): prose.append(line)
      case .cell(let c):
        flushProse()
        blocks.append(.cell(c.lines, output: c.output))
      }
    }
    flushProse()
    return blocks
  }

  /// The text of a prose line: `# text` -> `text` (one space after `#` dropped), blank -> "".
  static func text(of line: String) -> String {
    var s = Substring(line)
    if s.hasPrefix("#") { s = s.dropFirst() }
    if s.hasPrefix(" ") { s = s.dropFirst() }
    return String(s)
  }

  static func isRule(_ text: String) -> Bool { text.count >= 3 && text.allSatisfy { $0 == "-" || $0 == "=" } }

  static func proseBlocks(_ lines: [String], isStart: Bool) -> [Block] {
    let texts = lines.map(text(of:))
    var out: [Block] = []
    var paragraph: [String] = []
    var pre: [String] = []
    var needsTitle = isStart
    func flushParagraph() {
      if !paragraph.isEmpty { out.append(.paragraph(paragraph.joined(separator: " "))) }
      paragraph.removeAll()
    }
    func flushPre() {
      if !pre.isEmpty { out.append(.preformatted(pre)) }
      pre.removeAll()
    }
    var i = 0
    while i < texts.count {
      let t = texts[i]
      let trimmed = t.trimmingSpaces
      if isRule(trimmed) {
        flushParagraph()
        flushPre()
        // `rule, text, rule`: a section heading.
        if i + 2 < texts.count, isRule(texts[i + 2].trimmingSpaces), !texts[i + 1].trimmingSpaces.isEmpty {
          out.append(.heading(texts[i + 1].trimmingSpaces))
          needsTitle = false
          i += 3
        } else {
          i += 1
        }
        continue
      }
      if trimmed.isEmpty {
        flushParagraph()
        flushPre()
      } else if needsTitle {
        out.append(.title(trimmed))
        needsTitle = false
      } else if t.hasPrefix("  ") {
        flushParagraph()
        pre.append(String(t.dropFirst(2)))
      } else {
        flushPre()
        paragraph.append(trimmed)
      }
      i += 1
    }
    flushParagraph()
    flushPre()
    return out
  }

  // MARK: - Markdown

  static func markdown(_ blocks: [Block]) -> String {
    var parts: [String] = []
    for block in blocks {
      switch block {
      case .title(let t): parts.append("# " + t)
      case .heading(let t): parts.append("## " + t)
      case .paragraph(let p): parts.append(p)
      case .preformatted(let lines): parts.append(fenced(lines, info: ""))
      case .cell(let lines, let output):
        var s = fenced(lines, info: "recbook")
        if !output.isEmpty { s += "\n" + fenced(output.map(\.text), info: "text") }
        parts.append(s)
      }
    }
    return parts.joined(separator: "\n\n") + "\n"
  }

  /// A fenced code block whose fence is longer than any run of backquotes inside it.
  static func fenced(_ lines: [String], info: String) -> String {
    var longest = 0
    for line in lines {
      var run = 0
      for ch in line {
        run = ch == "`" ? run + 1 : 0
        longest = max(longest, run)
      }
    }
    let fence = String(repeating: "`", count: max(3, longest + 1))
    return ([fence + info] + lines + [fence]).joined(separator: "\n")
  }

  // MARK: - HTML

  static func html(_ blocks: [Block], fallbackTitle: String) -> String {
    var title = fallbackTitle
    if case .title(let t)? = blocks.first { title = t }
    var body: [String] = []
    for block in blocks {
      switch block {
      case .title(let t): body.append("<h1>\(inline(t))</h1>")
      case .heading(let t): body.append("<h2>\(inline(t))</h2>")
      case .paragraph(let p): body.append("<p>\(inline(p))</p>")
      case .preformatted(let lines):
        body.append("<pre class=\"note\">\(lines.map(escape).joined(separator: "\n"))</pre>")
      case .cell(let lines, let output):
        var s = "<section class=\"cell\">\n<pre class=\"input\"><code>"
        s += lines.map(escape).joined(separator: "\n") + "</code></pre>"
        if !output.isEmpty {
          let rendered = output.map { o -> String in
            switch o.kind {
            case .stable: return escape(o.text)
            case .volatile: return "<span class=\"volatile\">\(escape(o.text))</span>"
            case .error: return "<span class=\"error\">\(escape(o.text))</span>"
            }
          }
          s += "\n<pre class=\"output\">" + rendered.joined(separator: "\n") + "</pre>"
        }
        body.append(s + "\n</section>")
      }
    }
    return """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="generator" content="recbook export" />
      <title>\(escape(title))</title>
      <style>
      \(stylesheet)
      </style>
      </head>
      <body>
      <main>
      \(body.joined(separator: "\n"))
      </main>
      </body>
      </html>

      """
  }

  /// Dark text on white, a readable measure, monospace blocks that scroll sideways rather than
  /// wrap (tables and plots keep their columns).
  static let stylesheet = """
    body { margin: 0; background: #fff; color: #1d1d1f; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
    main { max-width: 56rem; margin: 2rem auto; padding: 0 1.25rem; }
    h1 { font-size: 1.9rem; margin: 0 0 1rem; }
    h2 { font-size: 1.35rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.3rem; border-bottom: 1px solid #e3e3e8; }
    p { margin: 0.7rem 0; }
    code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86rem; }
    p code { background: #f2f2f5; padding: 0.05rem 0.3rem; border-radius: 3px; }
    pre { margin: 0; padding: 0.6rem 0.8rem; overflow-x: auto; line-height: 1.35; white-space: pre; }
    pre.note { background: #f6f6f8; border-radius: 4px; margin: 0.7rem 0; }
    section.cell { margin: 1rem 0; border: 1px solid #dcdce2; border-radius: 6px; overflow: hidden; }
    pre.input { background: #f3f5fb; color: #1a3a8a; font-weight: 600; }
    pre.output { background: #fff; border-top: 1px solid #e6e6ec; }
    .volatile { color: #8a8a96; }
    .error { color: #b3261e; }
    """

  /// Escapes `& < > "` for HTML text and attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.append(ch)
      }
    }
    return out
  }

  /// Prose text with `code` spans: escaped, backquoted runs as `<code>`; an unmatched last
  /// backquote stays a backquote.
  static func inline(_ s: String) -> String {
    let parts = s.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
    var out = ""
    for (n, part) in parts.enumerated() {
      if n % 2 == 0 {
        out += escape(part)
      } else if n == parts.count - 1 {
        out += "`" + escape(part)
      } else {
        out += "<code>\(escape(part))</code>"
      }
    }
    return out
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s = s.dropFirst() }
    while s.last == " " { s = s.dropLast() }
    return String(s)
  }
}
