import Foundation
import TestSupport
import Testing

/// The executable as a user runs it: exit codes, piped cells, replay with --check and --update.
@Suite(.serialized) struct CLITests {
  @Test func binaryExists() {
    #expect(FileManager.default.isExecutableFile(atPath: CLI.binary), "build recbook first: swift build")
  }

  @Test func pipedCellsPrintOutputsAndErrorsGoToStderr() throws {
    let r = try CLI.run([], input: "load t from sample:shop/items items=20\nshow tt\nschema t\n")
    #expect(r.status == 1)
    #expect(r.stdout.contains("t: 20 rows x 6 columns"))
    #expect(r.stdout.contains("column    type    missing  example"))
    #expect(r.stderr.contains("stdin, line 2, col 6: error: unknown table 'tt'"))
    #expect(r.stderr.contains("did you mean 't'?"))
    #expect(!r.stdout.contains("recbook>"))
  }

  @Test func usageErrorsExit64() throws {
    #expect(try CLI.run(["run"]).status == 64)
    #expect(try CLI.run(["--no-such-flag"]).status == 64)
    #expect(try CLI.run(["run", "x.recbook", "--check", "--update"]).status == 64)
  }

  @Test func versionAndHelp() throws {
    let v = try CLI.run(["--version"])
    #expect(v.status == 0)
    #expect(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    let h = try CLI.run(["--help"])
    #expect(h.status == 0)
    #expect(h.stdout.contains("run"))
  }

  @Test func checkFailsWithADiffAndUpdateRestores() throws {
    let dir = TestPaths.temporaryDirectory()
    let file = dir.appendingPathComponent("n.recbook").path
    let original =
      "seed 3\n#> seed 3\nload t from sample:shop/items items=20\n#> t: 20 rows x 6 columns\n#~ 1 s\n"
    try original.write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try CLI.run(["run", file, "--check"]).status == 0)

    try original.replacingOccurrences(of: "20 rows", with: "21 rows").write(
      toFile: file, atomically: true, encoding: .utf8)
    let bad = try CLI.run(["run", file, "--check"])
    #expect(bad.status == 1)
    #expect(bad.stdout.contains("\n-#> t: 21 rows x 6 columns\n"))
    #expect(bad.stdout.contains("\n+#> t: 20 rows x 6 columns\n"))
    #expect(bad.stderr.contains("1 of 2 cells differ (first at line 3)"))

    let up = try CLI.run(["run", file, "--update"])
    #expect(up.status == 0)
    let restored = try String(contentsOfFile: file, encoding: .utf8)
    #expect(restored.contains("#> t: 20 rows x 6 columns"))
    #expect(try CLI.run(["run", file, "--check"]).status == 0)
  }

  /// `recbook export`: Markdown to standard output, HTML to a file, usage and read errors.
  @Test func exportWritesMarkdownAndHTML() throws {
    let md = try CLI.run(["export", "notebooks/quickstart.recbook", "--to", "markdown"])
    #expect(md.status == 0)
    #expect(md.stdout.hasPrefix("# Recbook quickstart"))
    #expect(md.stdout.contains("```recbook\nload events from sample:shop\n```"))
    let dir = TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("q.html").path
    let html = try CLI.run(["export", "notebooks/quickstart.recbook", "--to", "html", "-o", file])
    #expect(html.status == 0 && html.stdout.isEmpty)
    let page = try String(contentsOfFile: file, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
    #expect(try CLI.run(["export", "notebooks/quickstart.recbook", "--to", "pdf"]).status == 64)
    let missing = try CLI.run(["export", "no-such.recbook", "--to", "html"])
    #expect(missing.status == 1 && missing.stderr.contains("cannot read 'no-such.recbook'"))
  }

  @Test func aFailingCellStopsTheReplayWithFileLineColumn() throws {
    let dir = TestPaths.temporaryDirectory()
    let file = dir.appendingPathComponent("f.recbook").path
    try "seed 1\n\nshow nope\n".write(toFile: file, atomically: true, encoding: .utf8)
    let r = try CLI.run(["run", file])
    #expect(r.status == 1)
    #expect(r.stderr.contains("\(file):3:6: error: unknown table 'nope'"))
  }

  @Test func hostileInputNeverCrashes() throws {
    let long = "show " + String(repeating: "x", count: 10_000)
    // 1 MB pasted lines: a long sum, and parentheses nested 500,000 deep.
    let huge = "filter t where " + String(repeating: "rank + ", count: 150_000) + "1"
    let deep = "filter t where " + String(repeating: "(", count: 500_000) + "1"
    let deepNot = "filter t where " + String(repeating: "not -", count: 200_000) + "1"
    // Bytes that are not UTF-8, sent as they are: every byte but newline, 0xff 0xfe, a lone
    // continuation byte, a sequence cut short (before the newline and at the very end), an
    // overlong encoding and a surrogate.
    let invalid: [[UInt8]] = [
      (0..<256).map { UInt8($0) }.filter { $0 != 10 },
      [0xff, 0xfe],
      Array("show t".utf8) + [0x80],
      Array("show ".utf8) + [0xe2, 0x82],
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
    ]
    var bytes = Array(
      ("load t from sample:shop/items items=20\n" + long + "\n" + huge + "\n" + deep + "\n" + deepNot + "\n")
        .utf8)
    for line in invalid { bytes += line + [10] }
    bytes +=
      Array("\"\n=\n,\nload\nload x from /dev/null\nshow t rows=1 columns=item\n".utf8) + [0xf0, 0x9f, 0x98]
    #expect(String(validating: bytes, as: UTF8.self) == nil, "the input must not be valid UTF-8")
    let r = try CLI.run([], bytes: bytes)
    #expect(r.status == 1)
    #expect(r.stderr.contains("error:"))
    #expect(!r.stderr.contains("Fatal error"))
    #expect(r.stderr.contains("nests deeper than 256 levels"))
    #expect(r.stderr.contains("the expression has more than 1000 operators"))
    // The cells after the invalid bytes still ran, up to the last one.
    #expect(r.stdout.contains("1 of 20 rows"), "stdout: \(r.stdout.suffix(500))")
  }

  /// A session with `undo` and `run`, saved with `save notebook`, replays with --check: the
  /// file holds the cells still in effect, and the notebook's cells once (not `run`).
  @Test func aSessionWithUndoAndRunSavesANotebookThatReplays() throws {
    let dir = TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inner = dir.appendingPathComponent("inner.recbook").path
    try """
    load ev from sample:shop users=30 items=20 events=200
    #> ev: 200 rows x 7 columns
    plot hist ev.rating bins=4
    show ev rows=2 columns=user,item
    """.write(toFile: inner, atomically: true, encoding: .utf8)
    let saved = dir.appendingPathComponent("saved.recbook").path
    let cells = [
      "seed 5", "load t from sample:shop/items items=20", "feature t.x = 1", "undo", "run \(inner)",
      "feature t.cheap = price < 50", "run \(inner)", "undo", "history", "save notebook \(saved)",
    ]
    let r = try CLI.run([], input: cells.joined(separator: "\n") + "\n")
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let text = try String(contentsOfFile: saved, encoding: .utf8)
    let recorded = NotebookCells.sources(text)
    #expect(
      recorded == [
        "seed 5", "load t from sample:shop/items items=20",
        "load ev from sample:shop users=30 items=20 events=200",
        "plot hist ev.rating bins=4", "show ev rows=2 columns=user,item", "feature t.cheap = price < 50",
        "history", "save notebook \(saved)",
      ])
    let check = try CLI.run(["run", saved, "--check"])
    #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
    #expect(check.stdout.contains("8 cells, all outputs match"))
  }
}

/// The cells of a notebook's text (lines that are neither prose nor output).
enum NotebookCells {
  static func sources(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
  }
}
