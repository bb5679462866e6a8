import Foundation
import Testing

@testable import Notebook

/// `recbook learn`'s logic: chapters and prose from a notebook, the words for how a cell
/// differs, and the walk itself (accept, edit, aside, back, skip, where, resume).
@Suite struct LessonTests {
  /// A small lesson over a checked-in CSV, recorded by replaying it (so the recording is right).
  static let source = """
    # A lesson
    #
    # ---------------------------------------------------------------
    # Chapter 1. Loading
    # ---------------------------------------------------------------
    #
    # Load the file.
    load q from Tests/Notebooks/data/quoted.csv
    # Look at it:
    # two rows are enough.
    show q \\
      rows=2
    # Chapter 2. Cleaning
    # Keep good ratings.
    filter q where rating >= 4
    show q
    """

  static func recorded() -> NotebookFile {
    Replay.run(NotebookFile(text: source), name: "lesson").result
  }

  static func run(_ runner: Runner, _ source: CellSource) -> (Runner, Runner.Outcome)? {
    var copy = runner
    let outcome = copy.run(source)
    return (copy, outcome)
  }

  static func text(_ lines: [Lesson.Line]) -> String { lines.map(\.text).joined(separator: "\n") }

  @Test func planHasChaptersProseAndOneLineProposals() {
    let plan = LessonPlan(Self.recorded(), name: "lesson")
    #expect(plan.chapters.map(\.title) == ["Chapter 1. Loading", "Chapter 2. Cleaning"])
    #expect(plan.chapters.map(\.stepCount) == [2, 2])
    #expect(plan.steps.count == 4)
    #expect(plan.steps[0].prose == ["Load the file."])
    #expect(plan.steps[1].prose == ["Look at it:", "two rows are enough."])
    #expect(plan.steps[1].proposal == "show q rows=2")
    #expect(plan.steps[2].chapter == 1 && plan.steps[2].prose == ["Keep good ratings."])
    #expect(plan.steps[3].prose.isEmpty)
    // A notebook with no chapter marks is one chapter named after it.
    let flat = LessonPlan(NotebookFile(text: "seed 1\ntables\n"), name: "flat")
    #expect(flat.chapters.map(\.title) == ["flat"] && flat.steps.count == 2)
    // The fingerprint follows the cells, not the prose or outputs.
    let edited = LessonPlan(
      NotebookFile(text: Self.source.replacingOccurrences(of: "rows=2", with: "rows=3")), name: "x")
    #expect(edited.fingerprint != plan.fingerprint)
    let reworded = LessonPlan(
      NotebookFile(text: Self.source.replacingOccurrences(of: "Load the", with: "Read the")), name: "x")
    #expect(reworded.fingerprint == plan.fingerprint)
  }

  @Test func differencesAreNamedInWords() {
    #expect(
      CellDifference.describe(yours: "evaluate m on s k=20", recorded: "evaluate m on s k=10")
        == ["you used k=20 (the tutorial: k=10)"])
    #expect(
      CellDifference.describe(yours: "show t rows=3 columns=a,b", recorded: "show t")
        == ["you added rows=3", "you added columns=a,b"])
    #expect(
      CellDifference.describe(yours: "compare a b on s", recorded: "compare a b on s by=ndcg")
        == ["you left out by=ndcg"])
    #expect(
      CellDifference.describe(yours: "load people from x.csv", recorded: "load users from x.csv")
        == ["you used people (the tutorial: users)"])
    #expect(
      CellDifference.describe(yours: "filter t where a >= 4", recorded: "filter t where a >= 3")
        == ["you used a >= 4 (the tutorial: a >= 3)"])
    // Spacing and quoting that do not change a value are not differences.
    #expect(CellDifference.describe(yours: "show  t   rows=2", recorded: "show t rows=2").isEmpty)
    #expect(
      CellDifference.describe(yours: "model m = als", recorded: "model m = als factors=8")
        == ["you left out factors=8"])
    #expect(CellDifference.verb(of: "  show t") == "show")
    #expect(CellDifference.verb(of: "# only a comment") == nil)
  }

  @Test func acceptEditAsideBackSkipAndWhere() {
    let plan = LessonPlan(Self.recorded(), name: "lesson")
    var lesson = Lesson(plan: plan)
    #expect(lesson.proposal == "load q from Tests/Notebooks/data/quoted.csv")
    #expect(Self.text(lesson.introduction()).hasPrefix("Chapter 1. Loading · step 1 of 4\nLoad the file."))

    // Enter runs the proposal as it is.
    var out = lesson.perform(lesson.input(""), execute: Self.run)
    #expect(out.contains(Lesson.Line(.good, "✓ the same result as the tutorial")))
    #expect(lesson.step == 1 && lesson.proposal == "show q rows=2")

    // An edit: the result differs, in words, and the lesson goes on.
    out = lesson.perform(lesson.input("show q rows=3"), execute: Self.run)
    #expect(
      out.contains(
        Lesson.Line(
          .differs, "your result differs from the tutorial's: you used rows=3 (the tutorial: rows=2)")))
    #expect(out.contains(Lesson.Line(.differs, "  first difference, line 5 of the output:")))
    #expect(lesson.step == 2 && lesson.progress.differed == [1])

    // An aside (another verb) runs; the step waits.
    out = lesson.perform(lesson.input("schema q"), execute: Self.run)
    #expect(Self.text(out).contains("q: 4 rows x 4 columns"))
    #expect(lesson.step == 2)

    // A failing edit stays on the step and proposes the learner's text again to fix.
    out = lesson.perform(lesson.input("filter q where ratin >= 4"), execute: Self.run)
    #expect(out.contains { $0.kind == .error })
    #expect(lesson.step == 2 && lesson.proposal == "filter q where ratin >= 4")
    // `next` runs the tutorial's cell instead.
    out = lesson.perform(lesson.input("next"), execute: Self.run)
    #expect(out.contains(Lesson.Line(.good, "✓ the same result as the tutorial")))
    #expect(lesson.step == 3 && lesson.runner.session.tables["q"]?.table.rowCount == 2)

    // `back` restores the session to before the step: the filter is undone.
    out = lesson.perform(.control(.back), execute: Self.run)
    #expect(out.first == Lesson.Line(.note, "back to step 3; the session is as it was before it"))
    #expect(lesson.step == 2 && lesson.runner.session.tables["q"]?.table.rowCount == 4)
    // What happened at the step and after (the aside included) is forgotten.
    #expect(lesson.progress.cells.map(\.step) == [0, 1] && lesson.progress.step == 2)

    // `skip` goes on without running: the next step's result then differs, and says why.
    _ = lesson.perform(.control(.skip), execute: Self.run)
    out = lesson.perform(lesson.input(""), execute: Self.run)
    #expect(
      out.contains(
        Lesson.Line(
          .differs,
          "your result differs from the tutorial's, though the cell is the same: earlier you skipped step 3 "
            + "and your step 2 differed")))
    #expect(lesson.isFinished && lesson.proposal == "")

    let whereText = Self.text(lesson.whereLines())
    #expect(whereText.contains("✓ Chapter 1. Loading       2/2  1 differed"))
    #expect(whereText.contains("✓ Chapter 2. Cleaning      2/2  1 skipped, 1 differed"))
    #expect(whereText.hasSuffix("4 of 4 steps done"))
    // At the start, `back` says so.
    var fresh = Lesson(plan: plan)
    #expect(
      fresh.perform(.control(.back), execute: Self.run).first == Lesson.Line(.note, "this is the first step"))
    #expect(fresh.input(" where ") == .control(.where) && fresh.input("where x") == .cell("where x"))
  }

  @Test func progressResumesWithTheSameSession() throws {
    let plan = LessonPlan(Self.recorded(), name: "lesson")
    var lesson = Lesson(plan: plan)
    _ = lesson.perform(lesson.input(""), execute: Self.run)
    _ = lesson.perform(lesson.input("show q rows=1"), execute: Self.run)
    _ = lesson.perform(lesson.input("drop q"), execute: Self.run)  // an aside that changes the session
    let saved = try LessonProgress.decode(lesson.progress.encoded(), path: "p.json")
    #expect(saved == lesson.progress)

    var counts: [String] = []
    let (resumed, notes) = Lesson.resume(plan: plan, progress: saved, execute: Self.run) {
      counts.append("\($0)/\($1)")
    }
    #expect(counts == ["1/3", "2/3", "3/3"])
    #expect(resumed.step == 2 && resumed.proposal == "filter q where rating >= 4")
    #expect(resumed.runner.session.tables["q"] == nil, "the aside ran again")
    #expect(resumed.progress == lesson.progress)
    #expect(Self.text(notes) == "welcome back: resuming at step 3 of 4 (3 of your cells ran again)")
    // `back` still works after a resume.
    var r = resumed
    _ = r.perform(.control(.back), execute: Self.run)
    #expect(r.step == 1 && r.runner.session.tables["q"]?.table.rowCount == 4)

    // A finished lesson resumes finished, and says so.
    var done = Lesson(plan: plan)
    for _ in plan.steps { _ = done.perform(.control(.next), execute: Self.run) }
    let (again, welcome) = Lesson.resume(plan: plan, progress: done.progress, execute: Self.run)
    #expect(again.isFinished)
    #expect(
      Self.text(welcome).hasPrefix("welcome back: you had finished lesson (4 of your cells ran again)"))

    // Progress from a notebook whose cells no longer run starts over, and says why.
    var broken = saved
    broken.cells[0].source = "load q from no/such/file.csv"
    let (restarted, why) = Lesson.resume(plan: plan, progress: broken, execute: Self.run)
    #expect(restarted.step == 0)
    #expect(
      Self.text(why).hasPrefix("could not restore your session (step 1, `load q from no/such/file.csv`:"))
  }

  /// A step recorded as an expected error (`#!`) is a lesson about the error: running it and
  /// failing the same way matches; a cell that succeeds instead differs.
  @Test func anExpectedErrorStepMatchesWhenItFailsTheSameWay() {
    // `#!` marks the cell as meant to fail; replaying records the exact error in its place.
    let text = "load q from Tests/Notebooks/data/quoted.csv\nshow nope\n#! to be recorded\nshow q rows=1\n"
    let recorded = Replay.run(NotebookFile(text: text), name: "e").result
    #expect(recorded.cells[1].output.contains { $0.kind == .error })
    var lesson = Lesson(plan: LessonPlan(recorded, name: "errors"))
    _ = lesson.perform(lesson.input(""), execute: Self.run)
    var out = lesson.perform(lesson.input(""), execute: Self.run)
    #expect(out.contains { $0.kind == .error && $0.text.contains("unknown table 'nope'") })
    #expect(out.contains(Lesson.Line(.good, "✓ the same result as the tutorial")))
    #expect(lesson.step == 2)
    _ = lesson.perform(.control(.back), execute: Self.run)
    out = lesson.perform(lesson.input("show q"), execute: Self.run)
    #expect(
      out.contains {
        $0.kind == .differs && $0.text.hasPrefix("your result differs from the tutorial's: you used q")
      })
    #expect(lesson.step == 2)
  }

  @Test func deviationsBeforeAStepAreListed() {
    var p = LessonProgress(fingerprint: "x")
    p.cells = [
      .init(step: 0, source: "seed 1", aside: false), .init(step: 1, source: "tables", aside: true),
      .init(step: 4, source: "tables", aside: true),
    ]
    p.skipped = [2, 3]
    p.differed = [1, 5]
    #expect(
      p.deviations(before: 4)
        == "you skipped steps 3, 4 and your step 2 differed and you ran 1 cell of your own")
    #expect(p.deviations(before: 1) == "")
  }

  @Test func corruptProgressIsAClearError() {
    #expect(throws: NotebookError.self) { try LessonProgress.decode("{not json", path: "p.json") }
    do {
      _ = try LessonProgress.decode(
        #"{"version": 2, "fingerprint": "x", "step": 0, "notebook": "", "cells": [], "skipped": [], "differed": []}"#,
        path: "p.json")
      Issue.record("a newer format must not load")
    } catch {
      #expect(error.message == "'p.json' is progress format 2; this Recbook reads 1")
    }
  }
}
