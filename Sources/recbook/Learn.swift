import ArgumentParser
import Foundation
import Notebook
import RecTerm

/// `recbook learn [NOTEBOOK]`: a guided walk through a notebook, step by step. The logic
/// is `Notebook.Lesson`; this is its terminal: prose, the proposed cell already typed on
/// the prompt line, Ctrl-C, colours, and the progress file that lets a learner resume.
struct Learn: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Walk through a notebook step by step (the tutorial by default).",
    discussion: """
      Each step shows its explanation and puts its cell on the prompt line,
      already typed: Enter runs it, or edit it first to try something else. The
      result is compared with the notebook's ("your result differs from the
      tutorial's: you used k=20 (the tutorial: k=10)"). Cells with another verb
      are asides: they run, and the step waits. At the prompt: next, back, repeat,
      skip, where; Ctrl-D or quit saves your place. Progress is kept in
      ~/.recbook/learn/NAME.json (RECBOOK_LEARN_DIR overrides the folder), so
      'recbook learn' resumes where you left off.

      With standard input not a terminal, each line is an input and an empty line
      runs the proposed cell.
      """)

  @Argument(help: "A notebook file (*.recbook); by default notebooks/tutorial.recbook.")
  var notebook: String?
  @Flag(help: "Forget saved progress and start at the first step.") var restart = false

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    guard let path = notebook ?? Learn.findTutorial(env) else {
      Terminal.writeErr(
        "recbook learn: cannot find the tutorial (notebooks/tutorial.recbook here or beside the recbook "
          + "executable, or RECBOOK_TUTORIAL); give a notebook: recbook learn PATH\n")
      throw fail(1)
    }
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else {
      Terminal.writeErr("recbook learn: cannot read '\(path)' as UTF-8 text\n")
      throw fail(1)
    }
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    let plan = LessonPlan(NotebookFile(text: text), name: name)
    guard !plan.steps.isEmpty else {
      Terminal.writeErr("recbook learn: '\(path)' has no cells\n")
      throw fail(1)
    }
    let home = env["HOME"] ?? NSHomeDirectory()
    let folder = env["RECBOOK_LEARN_DIR"] ?? (home + "/.recbook/learn")
    let tutor = Tutor(plan: plan, path: path, progressPath: folder + "/" + name + ".json")
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    if restart { try? FileManager.default.removeItem(atPath: tutor.progressPath) }
    tutor.run(interactive: Terminal.stdinIsTTY)
  }

  /// `RECBOOK_TUTORIAL`, else `notebooks/tutorial.recbook` in the working directory, else in
  /// the checkout the executable was built in (found by walking up from it).
  static func findTutorial(_ env: [String: String]) -> String? {
    if let p = env["RECBOOK_TUTORIAL"] { return p }
    let relative = "notebooks/tutorial.recbook"
    if FileManager.default.fileExists(atPath: relative) { return relative }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    while dir.path != "/" {
      let candidate = dir.appendingPathComponent(relative).path
      if FileManager.default.fileExists(atPath: candidate) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }
}

/// The lesson at a terminal (or on piped input).
struct Tutor {
  let plan: LessonPlan
  let path: String
  let progressPath: String

  func run(interactive: Bool) {
    let display = ProgressDisplay(unicode: Terminal.unicode)
    var editor: LineEditor?
    if interactive {
      Interrupt.install()
      let env = ProcessInfo.processInfo.environment
      let e = LineEditor(
        historyPath: env["RECBOOK_HISTORY"] ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.recbook_history"))
      if Terminal.useColor { LineEditor.useColor() }
      LineEditor.shared = e
      e.ctrlDLeaves()
      editor = e
    }
    // At a terminal, cells run on a worker so Ctrl-C can stop them; piped, in line.
    let execute: Lesson.Execute = { runner, source in
      if interactive { return CellWorker.runAtPrompt(runner, source, display: display) }
      var copy = runner
      let outcome = copy.run(source)
      return (copy, outcome)
    }

    let controls = Lesson.Control.allCases.map(\.rawValue).joined(separator: ", ")
    show([
      Lesson.Line(
        .note,
        "Learning \(path): \(plan.steps.count) steps in \(plan.chapters.count) chapters. Enter runs the "
          + "proposed cell; edit it first to try your own."),
      Lesson.Line(.note, "Also: \(controls); 'quit' or Ctrl-D saves your place."),
    ])
    var lesson = Lesson(plan: plan)
    if let saved = loadProgress() {
      if saved.cells.count > 0 {
        show([Lesson.Line(.note, "restoring your session: running your \(saved.cells.count) cells again")])
      }
      let opening: [Lesson.Line]
      (lesson, opening) = Lesson.resume(plan: plan, progress: saved, execute: execute) { done, total in
        // At a terminal, a counter in place while the cells run again (the longest take seconds).
        if interactive && Terminal.stderrIsTTY {
          Terminal.writeErr("\r\u{1B}[K  \(done) of \(total)" + (done == total ? "\r\u{1B}[K" : ""))
        }
      }
      show(opening)
    }
    show(lesson.introduction())

    while true {
      editor?.session = lesson.runner.session
      let proposal = lesson.proposal
      let line: String?
      if let editor {
        line = editor.readLine(prompt: Tutor.prompt, prefill: proposal)
      } else {
        line = readLine(strippingNewline: true)
      }
      guard let line else {
        if interactive { Terminal.writeOut("\n") }
        break
      }
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed == "quit" || trimmed == "exit" { break }
      editor?.remember(line)
      let input = lesson.input(line)
      if !interactive {
        // A transcript reads like a session: what ran, after the prompt.
        switch input {
        case .control(let c): Terminal.writeOut(Tutor.plainPrompt + c.rawValue + "\n")
        case .cell(let text): Terminal.writeOut(Tutor.plainPrompt + text + "\n")
        }
      }
      show(lesson.perform(input, execute: execute))
      save(lesson.progress)
    }
    save(lesson.progress)
    let place =
      lesson.isFinished
      ? "you finished \(plan.name)" : "your place is saved at step \(lesson.step + 1) of \(plan.steps.count)"
    Terminal.writeOut(place + " ('recbook learn' resumes there, '--restart' starts over)\n")
  }

  static let plainPrompt = "learn> "
  static var prompt: String {
    Terminal.useColor ? "\u{1}\u{1B}[1;35m\u{2}learn>\u{1}\u{1B}[0m\u{2} " : plainPrompt
  }

  /// Saved progress for this notebook, or nil (none yet, or unreadable: then it is moved
  /// aside, not lost, and the lesson starts fresh).
  func loadProgress() -> LessonProgress? {
    guard let data = FileManager.default.contents(atPath: progressPath) else { return nil }
    do {
      return try LessonProgress.decode(String(decoding: data, as: UTF8.self), path: progressPath)
    } catch {
      let aside = progressPath + ".unreadable"
      try? FileManager.default.removeItem(atPath: aside)
      try? FileManager.default.moveItem(atPath: progressPath, toPath: aside)
      Terminal.writeErr(
        "recbook learn: \(error.message); moved it to \(aside) and starting at the first step\n")
      return nil
    }
  }

  func save(_ progress: LessonProgress) {
    var p = progress
    p.notebook = path
    do {
      try NotebookFile.writeAtomically(p.encoded(), to: progressPath)
    } catch {
      Terminal.writeErr("recbook learn: cannot save progress: \(error.message)\n")
    }
  }

  /// Draws lesson lines: headings bold, verdicts coloured, errors on standard error.
  func show(_ lines: [Lesson.Line]) {
    let color = Terminal.useColor
    func paint(_ code: String, _ s: String) -> String { color ? "\u{1B}[\(code)m" + s + "\u{1B}[0m" : s }
    var out = ""
    for line in lines {
      switch line.kind {
      case .heading: out += "\n" + paint("1;35", "── " + line.text) + "\n"
      case .prose: out += paint("3", line.text) + "\n"
      case .output: out += line.text + "\n"
      case .good: out += paint("32", line.text) + "\n"
      case .differs: out += paint("33", line.text) + "\n"
      case .note: out += paint("2", line.text) + "\n"
      case .error:
        Terminal.writeOut(out)
        out = ""
        Terminal.writeErr(Terminal.red(line.text) + "\n")
      }
    }
    Terminal.writeOut(out)
  }
}
