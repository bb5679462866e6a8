#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small helpers every benchmark uses: options, the clock, peak memory.
enum BenchSupport {
  /// The value after `--name` in `arguments`, if any.
  static func option(_ name: String, in arguments: [String]) -> String? {
    guard let i = arguments.firstIndex(of: "--" + name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
  }

  /// Monotonic seconds.
  static func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
  }

  /// CPU seconds (user + system) the process has used so far, all threads.
  static func cpuSeconds() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6 + Double(u.ru_stime.tv_sec)
      + Double(u.ru_stime.tv_usec) * 1e-6
  }

  /// The process's peak resident set in MB (VmHWM from /proc/self/status; 0 where absent).
  static func peakRSSMegabytes() -> Double {
    guard let f = fopen("/proc/self/status", "r") else { return 0 }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 512)
    while fgets(&line, Int32(line.count), f) != nil {
      let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if s.hasPrefix("VmHWM:") {
        let kb = s.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kb / 1024
      }
    }
    return 0
  }
}
