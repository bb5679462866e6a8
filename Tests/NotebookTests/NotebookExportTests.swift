import Foundation
import Testing

@testable import Notebook

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `recbook export`: exact Markdown for a small notebook, HTML that an XML parser reads as
/// well-formed (so a browser's parser has nothing to repair), escaping, and the real notebooks.
@Suite struct NotebookExportTests {
  static let sample = """
    # A <small> & quick notebook
    #
    # Some prose that runs
    # over two lines, with `code`.
    #   recbook run x.recbook
    # ---------------------------------------------------------------------------
    # Chapter 1. Loading
    # ---------------------------------------------------------------------------
    seed 42
    #> seed 42
    show nope
    #! col 6: error: unknown table 'nope' <here>
    load e from sample:shop
    #> e: 50,000 rows x 7 columns
    #~ loaded in 0.04 s

    """

  @Test func markdownIsExact() {
    let md = NotebookExport.render(NotebookFile(text: Self.sample), as: .markdown, name: "x")
    let want = """
      # A <small> & quick notebook

      Some prose that runs over two lines, with `code`.

      ```
      recbook run x.recbook
      ```

      ## Chapter 1. Loading

      ```recbook
      seed 42
      ```
      ```text
      seed 42
      ```

      ```recbook
      show nope
      ```
      ```text
      col 6: error: unknown table 'nope' <here>
      ```

      ```recbook
      load e from sample:shop
      ```
      ```text
      e: 50,000 rows x 7 columns
      loaded in 0.04 s
      ```

      """
    #expect(md == want)
  }

  @Test func htmlEscapesAndMarksOutputKinds() {
    let html = NotebookExport.render(NotebookFile(text: Self.sample), as: .html, name: "x")
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    #expect(html.contains("<title>A &lt;small&gt; &amp; quick notebook</title>"))
    #expect(html.contains("<h2>Chapter 1. Loading</h2>"))
    #expect(html.contains("<p>Some prose that runs over two lines, with <code>code</code>.</p>"))
    #expect(html.contains("<span class=\"error\">col 6: error: unknown table 'nope' &lt;here&gt;</span>"))
    #expect(html.contains("<span class=\"volatile\">loaded in 0.04 s</span>"))
    #expect(!html.contains("http://") && !html.contains("https://"), "no network resources")
    #expect(Self.wellFormed(html) == nil)
  }

  @Test func fencesOutgrowBackquotesInside() {
    #expect(NotebookExport.fenced(["a ``` b"], info: "text") == "````text\na ``` b\n````")
    #expect(NotebookExport.inline("one `two` three `four") == "one <code>two</code> three `four")
  }

  /// Every notebook in notebooks/ exports to both formats; the HTML is well-formed and has a
  /// cell for every cell of the notebook.
  @Test(
    arguments: ((try? FileManager.default.contentsOfDirectory(atPath: "notebooks")) ?? [])
      .filter { $0.hasSuffix(".recbook") }.sorted().map { "notebooks/" + $0 })
  func realNotebooksExport(_ path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let notebook = NotebookFile(text: text)
    #expect(notebook.cells.count > 0)
    let html = NotebookExport.render(notebook, as: .html, name: path)
    #expect(Self.wellFormed(html) == nil, "\(path): \(Self.wellFormed(html) ?? "")")
    #expect(html.components(separatedBy: "<section class=\"cell\">").count - 1 == notebook.cells.count)
    let md = NotebookExport.render(notebook, as: .markdown, name: path)
    #expect(md.components(separatedBy: "```recbook\n").count - 1 == notebook.cells.count)
  }

  /// nil when `html` parses as well-formed XML, else the parser's error and line.
  static func wellFormed(_ html: String) -> String? {
    let parser = XMLParser(data: Data(html.utf8))
    let ok = parser.parse()
    return ok ? nil : "\(parser.parserError.map { "\($0)" } ?? "error") at line \(parser.lineNumber)"
  }
}
