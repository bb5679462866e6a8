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

  /// Notebooks that read MovieLens say so in their first lines with `# needs: ml-100k`.
  static func needsMovieLens(_ text: String) -> Bool { text.contains("# needs: ml-100k") }

  @Test(arguments: files)
  func replaysToItsRecording(_ file: String) async throws {
    let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
    if Self.needsMovieLens(text)
      && !FileManager.default.fileExists(atPath: Self.root.path + "/../shared/data/ml-100k/u.data")
    {
      print("skipping \(file): MovieLens 100K not found at ../shared/data/ml-100k")
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
