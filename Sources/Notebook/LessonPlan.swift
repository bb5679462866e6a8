import Foundation

/// A notebook read as a lesson: its cells are steps, grouped in chapters, each
/// with the prose written above it.
///
/// Chapters are marked in the prose by a line `# Chapter N. Title`; cells before the
/// first mark belong to an opening chapter named after the notebook. Rules of dashes
/// and `=` around a chapter title are decoration and are dropped.
public struct LessonPlan: Sendable, Equatable {
  public struct Chapter: Sendable, Equatable {
    public var title: String
    /// Index of the chapter's first step, and how many steps it has.
    public var firstStep: Int
    public var stepCount: Int
    public var steps: Range<Int> { firstStep..<firstStep + stepCount }
  }

  public struct Step: Sendable, Equatable {
    public var chapter: Int
    /// The prose above the cell, `#` markers removed; blank lines separate paragraphs.
    public var prose: [String]
    public var cell: NotebookFile.Cell
    /// The cell on one line (continuations joined), as it is proposed at the prompt.
    public var proposal: String {
      cell.lines.map { line in
        var l = Substring(line)
        if l.hasSuffix("\\") { l = l.dropLast() }
        return l.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty }.joined(separator: " ")
    }
  }

  public var name: String
  public var chapters: [Chapter]
  public var steps: [Step]

  public init(_ notebook: NotebookFile, name: String) {
    self.name = name
    var chapters: [Chapter] = []
    var steps: [Step] = []
    var prose: [String] = []
    func openChapter(_ title: String) {
      if let last = chapters.last, last.stepCount == 0 { chapters.removeLast() }
      chapters.append(Chapter(title: title, firstStep: steps.count, stepCount: 0))
    }
    openChapter(name)
    for item in notebook.items {
      switch item {
      case .prose(let line):
        let text = LessonPlan.proseText(line)
        if let title = LessonPlan.chapterTitle(text) {
          openChapter(title)
          prose = []
        } else if !LessonPlan.isRule(text), !text.hasPrefix("needs:") {
          prose.append(text)
        }
      case .cell(let cell):
        // Paragraphs: no blank lines at either end, at most one between.
        var paragraph: [String] = []
        for line in prose where !(line.isEmpty && (paragraph.last?.isEmpty ?? true)) {
          paragraph.append(line)
        }
        while paragraph.last?.isEmpty == true { paragraph.removeLast() }
        steps.append(Step(chapter: chapters.count - 1, prose: paragraph, cell: cell))
        chapters[chapters.count - 1].stepCount += 1
        prose = []
      }
    }
    if let last = chapters.last, last.stepCount == 0, chapters.count > 1 { chapters.removeLast() }
    self.chapters = chapters
    self.steps = steps
  }

  /// A digest of the cells (FNV-1a), so saved progress can tell the notebook changed.
  public var fingerprint: String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for step in steps {
      for byte in step.proposal.utf8 {
        h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
      }
      h = (h ^ 0x0a) &* 0x100_0000_01b3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// `# text` -> `text`; a blank line stays blank.
  static func proseText(_ line: String) -> String {
    var l = Substring(line.trimmingCharacters(in: .whitespaces))
    if l.hasPrefix("#") { l = l.dropFirst() }
    if l.hasPrefix(" ") { l = l.dropFirst() }
    return l.trimmingCharacters(in: .whitespaces)
  }

  /// The title when `text` is `Chapter N. Title` (the whole line is the title).
  static func chapterTitle(_ text: String) -> String? {
    let words = text.split(separator: " ", maxSplits: 2)
    guard words.count >= 2, words[0] == "Chapter", words[1].first?.isNumber == true else { return nil }
    return text
  }

  /// A line of only `-`, `=` or box-drawing rules.
  static func isRule(_ text: String) -> Bool {
    !text.isEmpty && text.count >= 3 && text.allSatisfy { "-=─━".contains($0) }
  }
}
