@preconcurrency import CReadline
import Foundation
import Notebook

/// The prompt's line editor: GNU readline with persistent history and Tab
/// completion from the command table, when standard input is a terminal.
///
/// readline's callbacks are C function pointers that cannot capture context,
/// so the state they need lives in `LineEditor.shared` (one editor a process).
final class LineEditor: @unchecked Sendable {
  nonisolated(unsafe) static var shared: LineEditor?

  let historyPath: String
  /// The session the completer reads (tables and columns); updated after each cell.
  var session = Session()
  let completer = Completer()
  /// Candidates of the completion in progress (readline asks for them one by one).
  var matches: [String] = []
  var matchIndex = 0
  /// Set by the signal hook when Ctrl-C discarded the line being typed.
  var discarded = false
  /// Text to put on the next line before the learner types (read once, by the startup hook).
  var prefill: String?
  /// Set by Ctrl-D at the end of a non-empty line when `ctrlDLeaves` is on.
  var leaveRequested = false

  init(historyPath: String) {
    self.historyPath = historyPath
    rl_readline_name = UnsafePointer(strdup("recbook"))
    // Words break only at white space, so `key=value` and `table.column` complete as one word.
    rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n"))
    rl_attempted_completion_function = { text, start, end in
      rl_attempted_completion_over = 1  // never fall back to file names where they do not belong
      return rl_completion_matches(text) { text, state in
        guard let editor = LineEditor.shared else { return nil }
        if state == 0 {
          let line = String(cString: rl_line_buffer)
          let cursor = Int(rl_point)
          let prefix = String(decoding: Array(line.utf8.prefix(cursor)), as: UTF8.self)
          editor.matches = editor.completer.complete(line: prefix, session: editor.session)
          editor.matchIndex = 0
          // No space after a completion that continues (`key=`, `table.`, `folder/`).
          if editor.matches.count == 1, let m = editor.matches.first,
            m.hasSuffix("=") || m.hasSuffix(".") || m.hasSuffix("/")
          {
            rl_completion_suppress_append = 1
          }
        }
        guard editor.matchIndex < editor.matches.count else { return nil }
        defer { editor.matchIndex += 1 }
        return strdup(editor.matches[editor.matchIndex])
      }
    }
    // Ctrl-C at the prompt: the signal interrupts readline's read (no SA_RESTART), readline
    // calls this hook, and the half-typed line is replaced by a fresh primary prompt.
    // readline keeps reading; `discarded` tells the loop to drop continuation lines too.
    rl_signal_event_hook = {
      if Interrupt.isSet {
        Interrupt.reset()
        LineEditor.shared?.discarded = true
        FileHandle.standardOutput.write(Data("^C\n".utf8))
        rl_replace_line("", 0)
        rl_set_prompt(LineEditor.primaryPrompt)
        rl_on_new_line()
        rl_redisplay()
      }
      return 0
    }
    // A proposed cell (`recbook learn`) is typed into the line before the learner sees it.
    rl_startup_hook = {
      if let editor = LineEditor.shared, let text = editor.prefill {
        editor.prefill = nil
        rl_insert_text(text)
      }
      return 0
    }
    rl_catch_signals = 0
    using_history()
    stifle_history(2000)
    read_history(historyPath)
  }

  /// The prompt; coloured (with readline's \u{1}...\u{2} markers around the escapes, so
  /// it still measures the cursor right) when colour is on.
  nonisolated(unsafe) static var primaryPrompt = "recbook> "
  nonisolated(unsafe) static var continuationPrompt = "   ...> "

  static func useColor() {
    primaryPrompt = "\u{1}\u{1B}[1;36m\u{2}recbook>\u{1}\u{1B}[0m\u{2} "
    continuationPrompt = "\u{1}\u{1B}[2m\u{2}   ...>\u{1}\u{1B}[0m\u{2} "
  }

  /// Makes Ctrl-D with the cursor at the end of the line leave, as it does on an empty line
  /// (readline only deletes there). `recbook learn` proposes a cell on every line, so
  /// without this Ctrl-D could never end the lesson.
  func ctrlDLeaves() {
    rl_bind_key(4) { count, key in
      guard let editor = LineEditor.shared, rl_point >= rl_end else { return rl_delete(count, key) }
      editor.leaveRequested = true
      rl_replace_line("", 0)
      rl_done = 1
      return 0
    }
  }

  /// Reads one line; `nil` at end of input (Ctrl-D). After it returns, `discarded` says
  /// whether Ctrl-C threw away what was typed before (continuation lines included).
  func readLine(prompt: String, prefill: String? = nil) -> String? {
    discarded = false
    self.prefill = prefill
    leaveRequested = false
    guard let raw = readline(prompt) else { return nil }
    defer { free(raw) }
    if leaveRequested { return nil }
    return String(cString: raw)
  }

  /// Adds a line to the history and appends it to the history file.
  func remember(_ line: String) {
    guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    add_history(line)
    if append_history(1, historyPath) != 0 { write_history(historyPath) }
    history_truncate_file(historyPath, 2000)
  }

  /// The recent history lines, oldest first.
  func recent(_ n: Int) -> [String] {
    var out: [String] = []
    let count = Int(history_length)
    for i in max(0, count - n)..<count {
      if let e = history_get(Int32(i) + history_base), let l = e.pointee.line {
        out.append(String(cString: l))
      }
    }
    return out
  }
}
