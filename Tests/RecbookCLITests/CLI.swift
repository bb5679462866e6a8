import Foundation
import TestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the built `recbook` executable (the debug build next to the tests, or `$RECBOOK_BIN`).
enum CLI {
  static var binary: String {
    if let b = ProcessInfo.processInfo.environment["RECBOOK_BIN"] { return b }
    return TestPaths.root.appendingPathComponent(".build/debug/recbook").path
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `recbook args` with `input` on stdin (not a TTY), in the repository root.
  /// Input and output go through temporary files rather than pipes, so that no
  /// process started meanwhile by another test can inherit a pipe and hold it open.
  static func run(
    _ args: [String], input: String = "", environment: [String: String] = [:], timeout: Double = 120
  ) throws -> Result {
    try run(args, bytes: Array(input.utf8), environment: environment, timeout: timeout)
  }

  /// Runs `recbook args` with exactly these bytes on stdin (which need not be UTF-8).
  static func run(
    _ args: [String], bytes: [UInt8], environment: [String: String] = [:], timeout: Double = 120
  ) throws -> Result {
    let dir = TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inURL = dir.appendingPathComponent("in")
    let outURL = dir.appendingPathComponent("out")
    let errURL = dir.appendingPathComponent("err")
    try Data(bytes).write(to: inURL)
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    let status = try spawn(
      binary, args, environment: env, directory: TestPaths.root.path, stdin: inURL.path, stdout: outURL.path,
      stderr: errURL.path, timeout: timeout)
    return Result(
      status: status, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
  }

  /// Runs a shell command and returns its standard output.
  ///
  /// The output goes through a temporary file, not a pipe: a daemon the command
  /// starts (the tmux server) would inherit a pipe and keep it open forever.
  @discardableResult
  static func sh(_ command: String, timeout: Double = 60) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "recbook-sh-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    _ = try spawn(
      "/bin/sh", ["-c", "(\(command)) >'\(file.path)' 2>/dev/null </dev/null"],
      environment: ProcessInfo.processInfo.environment, directory: nil, stdin: "/dev/null",
      stdout: "/dev/null", stderr: "/dev/null", timeout: timeout)
    return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
  }

  struct Timeout: Error, CustomStringConvertible {
    var command: String
    var seconds: Double
    var description: String { "\(command) did not finish within \(seconds) s (killed)" }
  }

  /// Starts `path args` with stdin/stdout/stderr opened from files and waits for it, at most
  /// `timeout` seconds (then kills it and throws `Timeout`); returns the exit status
  /// (128 + signal when killed by a signal).
  ///
  /// posix_spawn and waitpid on the child's pid rather than Foundation's `Process`: its
  /// `waitUntilExit` was seen to hang forever in CI on a child that had exited (a zombie never
  /// reaped while several tests started processes at once), and the files are opened in the
  /// child, so a parent started with its standard input closed does not matter.
  static func spawn(
    _ path: String, _ args: [String], environment: [String: String], directory: String?, stdin: String,
    stdout: String, stderr: String, timeout: Double
  ) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // In `directory`: through `sh -c 'cd "$0" && exec "$@"'` (glibc's addchdir_np is not imported).
    let command =
      directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0, path] + args } ?? [path] + args
    let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    while true {
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r < 0 && errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECHILD) }
      if Date() > deadline {
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        throw Timeout(
          command: ([path] + args).joined(separator: " ").prefix(200).description, seconds: timeout)
      }
      usleep(2_000)
    }
    // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
  }
}
