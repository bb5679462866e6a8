import Foundation

/// A guided walk through a notebook (`recbook learn`): each step shows its prose,
/// proposes its cell, runs what the learner makes of it, and compares the result
/// with the output the notebook recorded.
///
/// This is the logic only: no terminal. The executable draws the lines, reads the
/// input (with the proposal already typed) and runs cells so that Ctrl-C works; the
/// tests drive it directly. Cells run at the width and style replay uses, so results
/// can be compared with the recording.
public struct Lesson: Sendable {
  /// Words that steer the lesson instead of running a cell.
  public enum Control: String, Sendable, CaseIterable {
    case next, back, `repeat`, skip, `where`
    /// One line each, for the banner and `help learn`.
    public var summary: String {
      switch self {
      case .next: return "run the tutorial's cell for this step as written, and go on"
      case .back: return "return to the previous step, with the session as it was before it"
      case .repeat: return "show this step's explanation and cell again"
      case .skip: return "go on without running this step"
      case .where: return "show your progress through the chapters"
      }
    }
  }

  public enum Input: Sendable, Equatable {
    case control(Control)
    case cell(String)
  }

  /// A line to show, with what it is (the executable styles them).
  public struct Line: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
      case heading, prose, output, error, good, differs, note
    }
    public var kind: Kind
    public var text: String
    public init(_ kind: Kind, _ text: String) {
      self.kind = kind
      self.text = text
    }
  }

  /// Runs a cell on a runner: the runner after it and the outcome, or nil when interrupted.
  public typealias Execute = (Runner, CellSource) -> (Runner, Runner.Outcome)?

  public let plan: LessonPlan
  public private(set) var runner: Runner
  /// The step waiting at the prompt (`plan.steps.count` once the lesson is over).
  public private(set) var step = 0
  /// What the learner has done, as saved between runs.
  public private(set) var progress: LessonProgress
  /// Text to propose instead of the step's cell: the learner's cell that failed, to fix.
  public private(set) var retry: String?
  /// The runner at the start of each step up to the current one, for `back`.
  var snapshots: [Runner]

  public init(plan: LessonPlan, context: CellContext = CellContext()) {
    self.plan = plan
    var ctx = context
    // The recording was made at replay's width and style; compare like with like.
    ctx.width = 80
    ctx.unicode = true
    ctx.color = false
    runner = Runner(context: ctx)
    snapshots = [runner]
    progress = LessonProgress(fingerprint: plan.fingerprint)
  }

  public var isFinished: Bool { step >= plan.steps.count }

  /// The text to put on the prompt line, already typed.
  public var proposal: String { retry ?? (isFinished ? "" : plan.steps[step].proposal) }

  /// Reads a line the learner entered: a control word, or a cell (an empty line is the proposal).
  public func input(_ line: String) -> Input {
    let t = line.trimmingCharacters(in: .whitespaces)
    if let c = Control(rawValue: t) { return .control(c) }
    return .cell(t.isEmpty ? proposal : t)
  }

  /// `step 7 of 120 · Chapter 2. Looking at the data`, then the step's prose.
  public func introduction() -> [Line] {
    guard !isFinished else {
      return [
        Line(
          .note,
          "That was the last step of \(plan.name). The session is yours: type cells, "
            + "'back' to revisit a step, Ctrl-D to leave.")
      ]
    }
    let s = plan.steps[step]
    let chapter = plan.chapters[s.chapter]
    var out = [Line(.heading, "\(chapter.title) · step \(step + 1) of \(plan.steps.count)")]
    out += s.prose.map { Line(.prose, $0) }
    return out
  }

  /// Acts on one input: runs a cell (the step's, an edit of it, or an aside) or a control.
  public mutating func perform(_ input: Input, execute: Execute) -> [Line] {
    switch input {
    case .control(.next):
      guard !isFinished else { return introduction() }
      retry = nil
      return attempt(plan.steps[step].proposal, execute: execute)
    case .control(.skip):
      guard !isFinished else { return introduction() }
      let skipped = step
      progress.skipped.append(skipped)
      // The skipped cell's random stream is left unused, so later cells draw what the tutorial's did.
      runner.session.cellCount += 1
      advance()
      return [
        Line(
          .note,
          "skipped step \(skipped + 1): a later cell that needs what it makes will fail ('back' returns to it)"
        )
      ] + introduction()
    case .control(.back):
      guard step > 0 else { return [Line(.note, "this is the first step")] + introduction() }
      step -= 1
      runner = snapshots[step]
      snapshots.removeLast(snapshots.count - step - 1)
      progress.forget(from: step)
      retry = nil
      return [Line(.note, "back to step \(step + 1); the session is as it was before it")] + introduction()
    case .control(.repeat):
      return introduction()
    case .control(.where):
      return whereLines()
    case .cell(let text):
      guard !text.isEmpty else { return introduction() }
      let isAttempt =
        !isFinished
        && (text == plan.steps[step].proposal
          || CellDifference.verb(of: text) == CellDifference.verb(of: plan.steps[step].proposal))
      return isAttempt ? attempt(text, execute: execute) : aside(text, execute: execute)
    }
  }

  /// A cell that is not this step's (another verb): it runs and the step keeps waiting.
  mutating func aside(_ text: String, execute: Execute) -> [Line] {
    let source = CellSource(text)
    guard let (after, outcome) = execute(runner, source) else { return [interrupted] }
    switch outcome {
    case .empty: return []
    case .failure(let e):
      return Diagnostic.render(e, in: source, origin: "your cell", width: 80).map { Line(.error, $0) }
    case .success(let out):
      // Random cells draw from a stream numbered by the cells run before them; an aside
      // must not move the tutorial's later cells onto other streams.
      let count = runner.session.cellCount
      runner = after
      runner.session.cellCount = count
      progress.cells.append(LessonProgress.Entry(step: step, source: text, aside: true))
      return out.map { Line($0.kind == .error ? .error : .output, $0.text) }
    }
  }

  /// The learner's version of this step's cell: run, compare with the recording, go on.
  mutating func attempt(_ text: String, execute: Execute) -> [Line] {
    let s = plan.steps[step]
    let source = CellSource(text)
    let expected = s.cell.output.filter { $0.kind != .volatile }
    guard let (after, outcome) = execute(runner, source) else { return [interrupted] }
    var out: [Line] = []
    var actual: [OutputLine]
    switch outcome {
    case .empty: return []
    case .success(let lines):
      actual = lines
      out = lines.map { Line(.output, $0.text) }
    case .failure(let e):
      let errorLines = Replay.errorLines(e, NotebookFile.Cell(lines: [text], line: 1, output: []))
      guard expected.contains(where: { $0.kind == .error }) else {
        retry = text
        return Diagnostic.render(e, in: source, origin: "your cell", width: 80).map { Line(.error, $0) } + [
          Line(
            .note,
            "the step is still waiting: fix the cell (it is back on the prompt), 'next' runs the "
              + "tutorial's, 'skip' moves on")
        ]
      }
      actual = errorLines
      out = errorLines.map { Line(.error, $0.text) }
    }
    retry = nil
    out += compare(text, actual.filter { $0.kind != .volatile }, expected)
    runner = after
    progress.cells.append(LessonProgress.Entry(step: step, source: text, aside: false))
    advance()
    return out + introduction()
  }

  /// The verdict on a step's result against the recording.
  mutating func compare(_ text: String, _ actual: [OutputLine], _ expected: [OutputLine]) -> [Line] {
    let changes = CellDifference.describe(yours: text, recorded: plan.steps[step].proposal)
    if actual == expected {
      let note = changes.isEmpty ? "" : " (" + changes.joined(separator: "; ") + ")"
      return [Line(.good, "✓ the same result as the tutorial" + note)]
    }
    progress.differed.append(step)
    var out: [Line]
    if changes.isEmpty {
      let earlier = progress.deviations(before: step)
      out = [
        Line(
          .differs,
          "your result differs from the tutorial's, though the cell is the same: "
            + (earlier.isEmpty
              ? "the recording may come from another version of Recbook" : "earlier " + earlier))
      ]
    } else {
      out = [Line(.differs, "your result differs from the tutorial's: " + changes.joined(separator: "; "))]
    }
    do {
      var i = 0
      while i < actual.count, i < expected.count, actual[i] == expected[i] { i += 1 }
      let mine = i < actual.count ? actual[i].text : "(no more lines)"
      let theirs = i < expected.count ? expected[i].text : "(no more lines)"
      out.append(Line(.differs, "  first difference, line \(i + 1) of the output:"))
      out.append(Line(.differs, "    tutorial: \(theirs)"))
      out.append(Line(.differs, "    yours:    \(mine)"))
    }
    out.append(Line(.note, "'back' to try this step again, or go on"))
    return out
  }

  mutating func advance() {
    step += 1
    snapshots.append(runner)
    progress.step = step
  }

  var interrupted: Line { Line(.error, "interrupted; the session is as it was before this cell") }

  /// Chapters with steps done, the current one marked.
  public func whereLines() -> [Line] {
    let titleWidth = plan.chapters.map(\.title.count).max() ?? 0
    var out: [Line] = []
    for (i, c) in plan.chapters.enumerated() {
      let done = max(0, min(step, c.steps.upperBound) - c.firstStep)
      let current = !isFinished && plan.steps[step].chapter == i
      let mark = current ? "▸" : done == c.stepCount ? "✓" : " "
      var notes: [String] = []
      let skipped = Set(progress.skipped).filter { c.steps.contains($0) }.count
      let differed = Set(progress.differed).filter { c.steps.contains($0) }.count
      if skipped > 0 { notes.append("\(skipped) skipped") }
      if differed > 0 { notes.append("\(differed) differed") }
      if current { notes.append("you are at step \(step + 1)") }
      let padded = c.title + String(repeating: " ", count: titleWidth - c.title.count)
      let count = "\(done)/\(c.stepCount)"
      let line = "\(mark) \(padded)  \(String(repeating: " ", count: max(0, 7 - count.count)))\(count)"
      out.append(Line(.output, line + (notes.isEmpty ? "" : "  " + notes.joined(separator: ", "))))
    }
    out.append(Line(.note, "\(min(step, plan.steps.count)) of \(plan.steps.count) steps done"))
    return out
  }

  /// Rebuilds a lesson from saved progress by running the learner's cells again (the
  /// session is deterministic for a seed, so this restores it exactly). If a cell no
  /// longer runs (the notebook changed), the lesson starts over and says why.
  /// - Parameter restored: called after each cell that ran again, with how many of how many.
  public static func resume(
    plan: LessonPlan, progress saved: LessonProgress, context: CellContext = CellContext(),
    execute: Execute, restored: (Int, Int) -> Void = { _, _ in }
  ) -> (Lesson, [Line]) {
    var lesson = Lesson(plan: plan, context: context)
    guard saved.step > 0 || !saved.cells.isEmpty else { return (lesson, []) }
    let target = min(saved.step, plan.steps.count)
    var entries = saved.cells[...]
    func startOver(_ why: String) -> (Lesson, [Line]) {
      (
        Lesson(plan: plan, context: context),
        [Line(.note, "could not restore your session (\(why)); starting again")]
      )
    }
    while true {
      while let e = entries.first, e.step == lesson.step {
        entries.removeFirst()
        defer { restored(saved.cells.count - entries.count, saved.cells.count) }
        guard let (after, outcome) = execute(lesson.runner, CellSource(e.source)) else {
          return startOver("interrupted")
        }
        if case .failure(let err) = outcome,
          !plan.steps.indices.contains(e.step)
            || !plan.steps[e.step].cell.output.contains(where: { $0.kind == .error })
        {
          return startOver("step \(e.step + 1), `\(e.source)`: \(err.message)")
        }
        let count = lesson.runner.session.cellCount
        lesson.runner = after
        if e.aside { lesson.runner.session.cellCount = count }
        lesson.progress.cells.append(e)
      }
      guard lesson.step < target else { break }
      if saved.skipped.contains(lesson.step) { lesson.runner.session.cellCount += 1 }
      lesson.advance()
    }
    lesson.progress.skipped = saved.skipped.filter { $0 < target }
    lesson.progress.differed = saved.differed.filter { $0 < target }
    var notes: [Line] = []
    if saved.fingerprint != plan.fingerprint {
      notes.append(Line(.note, "the notebook changed since your last session; your cells ran again on it"))
    }
    let ran = "\(saved.cells.count) of your cells ran again"
    notes.append(
      Line(
        .note,
        lesson.isFinished
          ? "welcome back: you had finished \(plan.name) (\(ran)); 'back' revisits the last step"
          : "welcome back: resuming at step \(lesson.step + 1) of \(plan.steps.count) (\(ran))"))
    return (lesson, notes)
  }
}

/// What a learner has done in a lesson, kept between runs (JSON).
public struct LessonProgress: Codable, Sendable, Equatable {
  /// A cell the learner ran, and the step it ran at.
  public struct Entry: Codable, Sendable, Equatable {
    public var step: Int
    public var source: String
    /// A cell with another verb than the step's, run while the step waited.
    public var aside: Bool
  }
  public var version = 1
  /// The notebook's path, as given or found.
  public var notebook = ""
  public var fingerprint: String
  /// The step waiting at the prompt.
  public var step = 0
  /// Every cell that ran, in order: the learner's versions of the steps and their asides.
  public var cells: [Entry] = []
  public var skipped: [Int] = []
  public var differed: [Int] = []

  public init(fingerprint: String) { self.fingerprint = fingerprint }

  /// Drops what happened at `step` and after (the learner went back).
  mutating func forget(from step: Int) {
    self.step = step
    cells.removeAll { $0.step >= step }
    skipped.removeAll { $0 >= step }
    differed.removeAll { $0 >= step }
  }

  /// `you skipped step 4 and your step 7 differed`, for steps before `step`.
  func deviations(before step: Int) -> String {
    var parts: [String] = []
    let s = skipped.filter { $0 < step }.sorted()
    let d = differed.filter { $0 < step }.sorted()
    if !s.isEmpty { parts.append("you skipped step" + Self.list(s)) }
    if !d.isEmpty { parts.append("your step" + Self.list(d) + " differed") }
    let asides = cells.filter { $0.aside && $0.step < step }.count
    if asides > 0 { parts.append("you ran \(asides) cell\(asides == 1 ? "" : "s") of your own") }
    return parts.joined(separator: " and ")
  }

  static func list(_ steps: [Int]) -> String {
    (steps.count == 1 ? " " : "s ") + steps.map { "\($0 + 1)" }.joined(separator: ", ")
  }

  public func encoded() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? ""
  }

  /// Reads saved progress; a clear message when the file is not progress we wrote.
  public static func decode(_ text: String, path: String) throws(NotebookError) -> LessonProgress {
    do {
      let p = try JSONDecoder().decode(LessonProgress.self, from: Data(text.utf8))
      guard p.version == 1 else {
        throw NotebookError(.io, "'\(path)' is progress format \(p.version); this Recbook reads 1")
      }
      guard p.step >= 0 else { throw NotebookError(.io, "'\(path)': step \(p.step) is negative") }
      return p
    } catch let e as NotebookError {
      throw e
    } catch {
      throw NotebookError(.io, "'\(path)' is not lesson progress: \(error)")
    }
  }
}
