import Foundation
import TestSupport
import Testing

/// `recbook learn` as a learner meets it: in a pseudo-terminal (tmux) with the proposed
/// cell already typed, and on piped input for scripts.
@Suite(.serialized) struct LearnTests {
  let tmux = Tmux(session: "recbook-learn-\(getpid())")
  let home = TestPaths.temporaryDirectory()

  /// The last prompt line on the screen.
  func lastPrompt(_ s: String) -> String {
    let line = s.split(separator: "\n").last { $0.hasPrefix("learn>") } ?? ""
    return line.trimmingCharacters(in: .whitespaces)
  }

  func start() throws {
    try tmux.start(
      "env HOME=\(home.path) RECBOOK_HISTORY=\(home.path)/hist NO_COLOR=1 TERM=xterm \(CLI.binary) learn")
  }

  /// Chapter 1 of the tutorial: accept a proposed cell, edit one, go back, quit, and resume.
  @Test func walksTheFirstChapterAndResumes() throws {
    try #require(Tmux.available, "tmux is needed for the pseudo-terminal test (scripts/setup installs it)")
    try start()
    defer { tmux.kill() }

    _ = try tmux.waitFor(20, "the first proposal") { lastPrompt($0) == "learn> seed 42" }
    #expect(try tmux.screen().contains("Chapter 1. The data · step 1 of"))
    try tmux.keys("Enter")
    _ = try tmux.waitFor(10, "the second proposal") {
      lastPrompt($0) == "learn> load events from sample:shop"
    }
    try tmux.keys("Enter")
    var s = try tmux.waitFor(60, "the load") { lastPrompt($0) == "learn> load users from sample:shop/users" }
    #expect(s.contains("events: 50,000 rows x 7 columns") && s.contains("✓ the same result as the tutorial"))

    // Edit the proposal in place: replace the table name `users` with `people`.
    try tmux.keys("C-a Right Right Right Right Right M-d people")
    _ = try tmux.waitFor(5, "the edit") { lastPrompt($0) == "learn> load people from sample:shop/users" }
    try tmux.keys("Enter")
    s = try tmux.waitFor(10, "the comparison") { $0.contains("you used people (the tutorial: users)") }
    #expect(s.contains("your result differs from the tutorial's: you used people (the tutorial: users)"))
    _ = try tmux.waitFor(5, "the next proposal") {
      lastPrompt($0) == "learn> load items from sample:shop/items"
    }

    // Back to the edited step: the session loses `people`, the tutorial's cell is proposed again.
    try tmux.keys("C-u back Enter")
    _ = try tmux.waitFor(5, "back") { $0.contains("back to step 3; the session is as it was before it") }
    _ = try tmux.waitFor(5, "the proposal again") {
      lastPrompt($0) == "learn> load users from sample:shop/users"
    }
    try tmux.keys("Enter")
    _ = try tmux.waitFor(10, "the accepted cell") {
      lastPrompt($0) == "learn> load items from sample:shop/items"
    }

    // Ctrl-D at the end of the proposed line leaves and saves the place.
    try tmux.keys("C-d")
    #expect(tmux.waitForExit(), "Ctrl-D should end the lesson")
    let progress = try String(contentsOfFile: home.path + "/.recbook/learn/tutorial.json", encoding: .utf8)
    #expect(progress.contains("\"step\" : 3"))

    // Run again: the lesson resumes at step 4 with the session rebuilt.
    try start()
    s = try tmux.waitFor(60, "the resumed proposal") {
      lastPrompt($0) == "learn> load items from sample:shop/items"
    }
    #expect(s.contains("welcome back: resuming at step 4 of"))
    try tmux.keys("C-u tables Enter")
    s = try tmux.waitFor(10, "the aside") { $0.contains("users    2,000") }
    #expect(s.contains("events  50,000") && !s.contains("people"), "the session is the one the learner left")
    _ = try tmux.waitFor(5, "the step still waiting") {
      lastPrompt($0) == "learn> load items from sample:shop/items"
    }
    try tmux.keys("C-u quit Enter")
    #expect(tmux.waitForExit(), "quit should end the lesson")
  }

  /// Piped input: an empty line runs the proposal; the transcript shows each input after `learn>`.
  @Test func pipedLessonPrintsATranscript() throws {
    let dir = home.appendingPathComponent("learn").path
    let r = try CLI.run(
      ["learn", "Tests/Notebooks/csv.recbook"], input: "\nshow q rows=1\nwhere\nquit\n",
      environment: ["RECBOOK_LEARN_DIR": dir])
    #expect(r.status == 0)
    #expect(r.stdout.contains("learn> load q from Tests/Notebooks/data/quoted.csv\nq: 4 rows x 4 columns"))
    #expect(r.stdout.contains("your result differs from the tutorial's: you added rows=1"))
    #expect(r.stdout.contains("▸ csv  "))
    #expect(r.stdout.contains("your place is saved at step 3 of"))
    // A corrupt progress file is moved aside, not lost, and the lesson starts at the first step.
    try "{oops".write(toFile: dir + "/csv.json", atomically: true, encoding: .utf8)
    let again = try CLI.run(
      ["learn", "Tests/Notebooks/csv.recbook"], input: "quit\n", environment: ["RECBOOK_LEARN_DIR": dir])
    #expect(again.stderr.contains("is not lesson progress"))
    #expect(try String(contentsOfFile: dir + "/csv.json.unreadable", encoding: .utf8) == "{oops")
    #expect(again.stdout.contains("your place is saved at step 1 of"))
  }
}
