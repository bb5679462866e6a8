import Foundation
import RecTerm
import Testing

@testable import Notebook

/// Replays every notebook under Tests/Notebooks and the quickstart, and requires each
/// cell's output to equal the recording (the integration suite, like
/// craftinginterpreters' `// expect:` files). Re-record with
/// `recbook run FILE --update`, never silently. The tutorial and the MovieLens notebook
/// train real models for minutes in a debug build: `scripts/test` replays them (and these)
/// with the release binary and `--check`.
@Suite struct GoldenNotebookTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var files: [String] {
    var out: [String] = []
    for dir in ["Tests/Notebooks", "notebooks"] {
      let url = root.appendingPathComponent(dir)
      let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
      out += names.filter { $0.hasSuffix(".recbook") && (dir != "notebooks" || $0 == "quickstart.recbook") }
        .sorted().map { "\(dir)/\($0)" }
    }
    return out
  }

  @Test(arguments: files)
  func replaysToItsRecording(_ file: String) async throws {
    let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
    // Notebooks that read MovieLens say so in their first lines with `# needs: ml-100k`.
    if let why = NotebookNeeds.missing(for: NotebookFile(text: text)) {
      print("skipping \(file): \(why)")
      return
    }
    // Paths in notebooks are relative to the repository root, where `swift test` runs.
    let r = await offThePool { Replay.run(NotebookFile(text: text), name: file) }
    if let f = r.failure { Issue.record("\(f.rendered.joined(separator: "\n"))") }
    for m in r.mismatches {
      let diff = UnifiedDiff.make(
        old: m.expected.map(NotebookFile.format).joined(separator: "\n"),
        new: m.actual.map(NotebookFile.format).joined(separator: "\n"), oldName: "recorded",
        newName: "replayed")
      Issue.record("\(file):\(m.line): output differs\n\(diff)")
    }
    #expect(r.cellsRun > 0)
  }

  /// Notebooks render at 80 columns: no recorded output line is wider.
  @Test(arguments: files)
  func outputsFitEightyColumns(_ file: String) throws {
    let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    where line.hasPrefix("#> ") || line.hasPrefix("#! ") {
      #expect(TextWidth.of(String(line.dropFirst(3))) <= 80, "\(file):\(i + 1) is wider than 80 columns")
    }
  }
}

/// `# needs:` lines: which data a notebook says it needs, and the message when it is absent.
@Suite struct NotebookNeedsTests {
  @Test func namesComeFromTheOpeningProseOnly() {
    let notebook = NotebookFile(
      text: "# Title\n# needs: ml-100k, ml-1m\n\nseed 1\n#> seed 1\n# needs: later-is-ignored\n")
    #expect(NotebookNeeds.names(in: notebook) == ["ml-100k", "ml-1m"])
    #expect(NotebookNeeds.names(in: NotebookFile(text: "# Title\nseed 1\n")).isEmpty)
  }

  @Test func anAbsentDataSetIsNamedWithWhereItWasLookedFor() throws {
    let notebook = NotebookFile(text: "# needs: no-such-data-set\nseed 1\n")
    let why = try #require(NotebookNeeds.missing(for: notebook))
    #expect(why.contains("no-such-data-set"))
    #expect(why.contains(NotebookNeeds.dataFolder))
    #expect(why.contains("RECBOOK_DATA"))
    #expect(NotebookNeeds.missing(for: NotebookFile(text: "seed 1\n")) == nil)
  }
}
