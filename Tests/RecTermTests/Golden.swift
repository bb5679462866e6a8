import Foundation
import RecTerm
import Testing

/// Golden-file checks: rendered text compared with a file under `Golden/`.
///
/// The files live next to this source (found through `#filePath`, so no test
/// resources are needed). `RECBOOK_UPDATE_GOLDEN=1 swift test ...` rewrites them;
/// otherwise a difference fails the test and prints a line diff, and a missing file
/// fails too. Re-recording is always an explicit act.
enum Golden {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden")

  static var updating: Bool { ProcessInfo.processInfo.environment["RECBOOK_UPDATE_GOLDEN"] == "1" }

  /// Checks `text` against `Golden/<name>.txt`.
  static func check(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = directory.appendingPathComponent(name + ".txt")
    let actual = text.hasSuffix("\n") ? text : text + "\n"
    let expected = try? String(contentsOf: url, encoding: .utf8)
    if updating {
      if expected != actual {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
          try actual.write(to: url, atomically: true, encoding: .utf8)
          print("updated golden file \(url.path)")
        } catch {
          Issue.record("cannot write \(url.path): \(error)", sourceLocation: sourceLocation)
        }
      }
      return
    }
    guard let expected else {
      Issue.record(
        "missing golden file \(url.path); run with RECBOOK_UPDATE_GOLDEN=1 to create it",
        sourceLocation: sourceLocation)
      return
    }
    if expected != actual {
      Issue.record(
        "golden file \(name).txt differs (RECBOOK_UPDATE_GOLDEN=1 rewrites it):\n\(diff(expected: expected, actual: actual))",
        sourceLocation: sourceLocation)
    }
  }

  /// A line diff: `-` expected, `+` actual, with line numbers, for differing lines only.
  static func diff(expected: String, actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(a.count, b.count) {
      let x = i < a.count ? String(a[i]) : nil
      let y = i < b.count ? String(b[i]) : nil
      if x != y {
        if let x { out.append("\(i + 1) -\(x)") }
        if let y { out.append("\(i + 1) +\(y)") }
      }
      if out.count > 80 {
        out.append("...")
        break
      }
    }
    return out.joined(separator: "\n")
  }
}

/// Widths and modes every plot golden is rendered at: the narrow fallback, and the
/// three widths of the brief, each in Unicode and in ASCII.
let goldenStyles: [RenderStyle] = [16, 40, 80, 120].flatMap { w in
  [RenderStyle(width: w, unicode: true), RenderStyle(width: w, unicode: false)]
}

/// Records an issue for every line of `text` wider than `width` display columns.
func expectFits(
  _ text: String, width: Int, _ context: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
  for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
    let w = TextWidth.of(String(line))
    #expect(
      w <= width, "\(context) line is \(w) columns, over \(width): \(line)", sourceLocation: sourceLocation)
  }
}

/// Renders `make` at every golden style, checks each fits, and joins them with headers.
func renderAll(_ make: (RenderStyle) -> String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
  goldenStyles.map { style in
    let text = make(style)
    expectFits(text, width: style.width, "width \(style.width)", sourceLocation: sourceLocation)
    let mode = style.unicode ? "unicode" : "ascii"
    return "=== width \(style.width), \(mode) ===\n" + text
  }.joined(separator: "\n\n")
}
