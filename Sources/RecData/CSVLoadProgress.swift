import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Progress and cancellation shared by the threads of one load.
///
/// Each chunk parser reports the bytes it has consumed every few MB; the total
/// is an atomic counter, so any thread may call the user's callback. When the
/// buffer is a file mapping, the same checkpoint hands the parsed pages back to
/// the kernel (`MADV_DONTNEED`), so the file's pages do not add to the peak
/// resident memory of a large load (they are re-read from the page cache if a
/// later pass needs them).
final class CSVLoadProgress: Sendable {
  /// Bytes to parse in all (the fraction's denominator).
  let total: Int
  let callback: (@Sendable (Double) -> Bool)?
  /// The mapping's address when its pages may be released (page-aligned), else `nil`.
  let mappingAddress: UInt?
  private let done = Atomic<Int>(0)
  private let stopped = Atomic<Bool>(false)

  init(total: Int, callback: (@Sendable (Double) -> Bool)?, mappingAddress: UInt?) {
    self.total = max(total, 1)
    self.callback = callback
    self.mappingAddress = mappingAddress
  }

  var isCancelled: Bool { stopped.load(ordering: .relaxed) }

  /// Records that `from..<to` (offsets in the buffer) has been parsed; `false` means stop.
  func advance(from: Int, to: Int) -> Bool {
    release(from: from, to: to)
    let d = done.add(to - from, ordering: .relaxed).newValue
    if stopped.load(ordering: .relaxed) { return false }
    if let callback, !callback(min(1, Double(d) / Double(total))) {
      stopped.store(true, ordering: .relaxed)
      return false
    }
    return true
  }

  /// Hands the whole pages of `from..<to` back to the kernel when the buffer is a mapping.
  func release(from: Int, to: Int) {
    if let address = mappingAddress {
      let page = Int(sysconf(Int32(_SC_PAGESIZE)))
      let a = (from + page - 1) / page * page
      let b = to / page * page
      if b > a, let p = UnsafeMutableRawPointer(bitPattern: address + UInt(a)) {
        _ = madvise(p, b - a, Int32(MADV_DONTNEED))
      }
    }
  }
}
