import ArgumentParser
import Foundation
import Notebook

/// `recbook`: replay notebooks, or read cells from standard input.
@main
struct RecbookCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recbook",
    abstract: "A terminal notebook for building recommender systems step by step.",
    discussion: """
      With no subcommand, recbook reads cells from standard input, one per line
      (printf 'load events from sample:shop\\nshow events\\n' | recbook).
      Exit codes: 0 ok, 1 a cell failed or a check found a difference, 64 usage error.
      """,
    version: RecbookVersion.current,
    subcommands: [Interactive.self, Run.self, Learn.self, Serve.self, Export.self],
    defaultSubcommand: Interactive.self)
}

/// Exit with a code (ArgumentParser turns this into the process's exit status).
func fail(_ code: Int32 = 1) -> ExitCode { ExitCode(code) }
