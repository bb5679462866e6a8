import Foundation
import RecTerm

/// Renders a ``CellOutput`` to output lines at a width, through RecTerm.
public struct OutputRenderer: Sendable, Equatable {
  public var width: Int
  public var unicode: Bool
  public var color: Bool

  public init(width: Int, unicode: Bool, color: Bool) {
    self.width = width
    self.unicode = unicode
    self.color = color
  }

  var style: RenderStyle { RenderStyle(width: max(width, 1), unicode: unicode, color: color) }

  /// Breaks a message longer than the width at spaces; continuation lines keep the
  /// line's own indentation plus two spaces. A word longer than the width stays whole.
  func wrap(_ line: String) -> [String] {
    guard TextWidth.of(line) > width, width >= 20 else { return [line] }
    let indent = String(line.prefix { $0 == " " })
    var out: [String] = []
    var current = indent
    for word in line.dropFirst(indent.count).split(separator: " ") {
      let candidate = current.count == indent.count && out.isEmpty ? current + word : current + " " + word
      if TextWidth.of(candidate) > width, current.trimmingCharacters(in: .whitespaces).count > 0 {
        out.append(current)
        current = indent + "  " + word
      } else {
        current = out.isEmpty && current == indent ? indent + word : candidate
      }
    }
    out.append(current)
    return out
  }

  public func render(_ output: CellOutput) -> [OutputLine] {
    var lines: [OutputLine] = []
    for block in output.blocks {
      switch block {
      case .text(let s):
        for l in s.split(separator: "\n", omittingEmptySubsequences: false) {
          lines += wrap(String(l)).map { OutputLine(.stable, $0) }
        }
      case .warning(let s):
        lines += wrap("warning: " + s).map { OutputLine(.stable, $0) }
      case .volatile(let s):
        lines.append(OutputLine(.volatile, s))
      case .lines(let ls):
        lines += ls.map { OutputLine(.stable, $0) }
      case .drawing(let draw):
        lines += draw(style).split(separator: "\n", omittingEmptySubsequences: false).map {
          OutputLine(.stable, String($0))
        }
      case .table(let t):
        let columns = zip(t.headers, t.numeric).map { h, n in
          TextTable.Column(h, alignment: n ? .right : .left)
        }
        let text = TextTable(columns: columns, rows: t.rows, footer: t.footer).render(style)
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
          lines.append(OutputLine(.stable, String(l)))
        }
      }
    }
    // No trailing blank lines: they would not survive a notebook round trip cleanly.
    while let last = lines.last, last.text.isEmpty, last.kind == .stable { lines.removeLast() }
    return lines
  }
}
