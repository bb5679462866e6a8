import Foundation
import TestSupport

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
  static func run(_ args: [String], input: String = "", environment: [String: String] = [:]) throws -> Result
  {
    let dir = TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let inURL = dir.appendingPathComponent("in")
    let outURL = dir.appendingPathComponent("out")
    let errURL = dir.appendingPathComponent("err")
    try Data(input.utf8).write(to: inURL)
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = args
    p.currentDirectoryURL = TestPaths.root
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let inHandle = try FileHandle(forReadingFrom: inURL)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    p.standardInput = inHandle
    p.standardOutput = outHandle
    p.standardError = errHandle
    try p.run()
    p.waitUntilExit()
    try? inHandle.close()
    try? outHandle.close()
    try? errHandle.close()
    return Result(
      status: p.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
  }

  /// Runs a shell command and returns its standard output.
  ///
  /// The output goes through a temporary file, not a pipe: a daemon the command
  /// starts (the tmux server) would inherit a pipe and keep it open forever.
  @discardableResult
  static func sh(_ command: String) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "recbook-sh-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", "(\(command)) >'\(file.path)' 2>/dev/null </dev/null"]
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return (try? String(contentsOf: file, encoding: .utf8)) ?? ""
  }
}
