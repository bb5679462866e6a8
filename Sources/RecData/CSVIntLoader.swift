import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The all-integer fast load: a file whose every record is plain integers (a ratings
/// file) parsed straight into the final column arrays.
///
/// Two parallel passes over the ranges ``CSVReader`` cut at line starts:
/// 1. count the newlines of each range but the last (SWAR, 8 bytes a step): a record
///    of plain integers is one line, so the counts bound each range's rows and their
///    prefix sums give each range its own slot in the final arrays (the last range's
///    slot is sized by a bound on its bytes, so one thread needs no count at all);
/// 2. parse each range into its slot through raw pointers.
///
/// So there is no per-range array, no join copy, no `Array.append` (no uniqueness or
/// capacity check per value) and the arrays are allocated once, uninitialized, with
/// exactly the capacity the counts give (no zero fill). Blank lines leave a range
/// short of its slot; the gap is closed with `memmove` (the same table as without
/// them). The slots do not depend on the thread count's timing, only on the cuts, and
/// the rows land in file order, so the table is the same for any thread count.
///
/// A record that is not `ncols` fields of 1 to 18 digits with an optional `-` (a
/// quote, a missing value, a decimal, a wrong field count...) makes ``load`` return
/// `nil`: the caller then parses the file on the general path, which decides what
/// the record is (an error, a promotion, a skip).
enum CSVIntLoader {
  /// The pointers the workers share: the buffer, the columns' storage, and each
  /// range's row count (each worker writes only its own slot and its own rows).
  private struct Shared: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let outs: UnsafeMutablePointer<UnsafeMutablePointer<Int>>
    let counts: UnsafeMutableBufferPointer<Int>
    let rows: UnsafeMutableBufferPointer<Int>
  }

  /// The columns of the records starting in `cuts[0]..<cuts.last` (cuts at line
  /// starts), or `nil` when a record is not all plain integers or the load was
  /// cancelled (see `progress.isCancelled`).
  static func load(
    base: UnsafePointer<UInt8>, limit: Int, separator: UInt8, ncols: Int, cuts: [Int],
    progress: CSVLoadProgress
  ) -> [[Int]]? {
    let chunks = cuts.count - 1
    // The arrays are opened by one nested call per column: bound the nesting (a wide
    // file takes the general path; a load may run on a thread with a small stack).
    guard ncols >= 1, ncols <= maxColumns, chunks >= 1 else { return nil }
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: max((chunks - 1) * chunks, 1))
    let rows = UnsafeMutableBufferPointer<Int>.allocate(capacity: chunks)
    let outs = UnsafeMutablePointer<UnsafeMutablePointer<Int>>.allocate(capacity: ncols)
    counts.initialize(repeating: 0)
    rows.initialize(repeating: -1)
    defer {
      counts.deallocate()
      rows.deallocate()
      outs.deallocate()
    }
    let shared = Shared(base: base, outs: outs, counts: counts, rows: rows)
    // Only the ranges before the last need counts (their slots' sizes); each is
    // counted in `chunks` pieces, one per thread. The last range's slot is sized by a
    // bound instead: a record of plain ints takes at least 2 bytes a field (a digit
    // and a separator or LF; one less for a last record without LF), so the bound
    // over-reserves address space, never memory (untouched pages are not mapped).
    let pieces = (chunks - 1) * chunks
    runChunks(pieces) { t in
      let i = t / chunks
      let j = t % chunks
      let length = cuts[i + 1] - cuts[i]
      let a = cuts[i] + length / chunks * j
      let b = j == chunks - 1 ? cuts[i + 1] : cuts[i] + length / chunks * (j + 1)
      // In 4 MB steps, each handed back to the kernel once counted (as the parser does):
      // the file's pages must not all be resident when the columns fill up.
      var n = 0
      var p = a
      while p < b {
        let q = min(b, p + (4 << 20))
        n += countNewlines(shared.base + p, q - p)
        progress.release(from: p, to: q)
        p = q
      }
      shared.counts[t] = n
    }
    var starts = [0]
    for i in 0..<chunks - 1 {
      starts.append(starts[i] + counts[(i * chunks)..<(i * chunks + chunks)].reduce(0, +))
    }
    starts.append(starts[chunks - 1] + (cuts[chunks] - cuts[chunks - 1] + 1) / (2 * ncols))
    let slots = starts
    let capacity = max(slots[chunks], 1)

    var arrays = [[Int]](repeating: [], count: ncols)
    // Each column's array is created uninitialized; the innermost call parses into all of them.
    func build(_ c: Int) -> Int? {
      if c == ncols { return parseAll() }
      var total: Int? = nil
      let array = [Int](unsafeUninitializedCapacity: capacity) { buffer, count in
        guard let p = buffer.baseAddress else { return }
        outs[c] = p
        total = build(c + 1)
        count = total ?? 0
      }
      arrays[c] = array
      return total
    }
    func parseAll() -> Int? {
      runChunks(chunks) { i in
        shared.rows[i] = parseRange(
          shared.base, limit: limit, separator: separator, ncols: ncols, from: cuts[i], to: cuts[i + 1],
          outs: shared.outs, slot: slots[i], slotEnd: slots[i + 1], progress: progress)
      }
      var total = 0
      for i in 0..<chunks {
        let r = rows[i]
        guard r >= 0 else { return nil }
        // Blank lines: move this range's rows down to follow the previous range's.
        if total != slots[i] && r > 0 {
          for c in 0..<ncols { (outs[c] + total).update(from: outs[c] + slots[i], count: r) }
        }
        total += r
      }
      return total
    }
    guard build(0) != nil else { return nil }
    return arrays
  }

  /// Maps the whole pages of `p[0..<count]` in one call (`MADV_POPULATE_WRITE`,
  /// Linux 5.14), instead of one page fault per 4 KB as the parser first writes
  /// them; the pages are written anyway, so the peak memory is the same. Where the
  /// kernel lacks it, the call fails and the pages fault in as usual.
  private static func populate(_ p: UnsafeMutablePointer<Int>, count: Int) {
    #if os(Linux)
      let page = Int(sysconf(Int32(_SC_PAGESIZE)))
      let from = (Int(bitPattern: UInt(bitPattern: p)) + page - 1) / page * page
      let to = (Int(bitPattern: UInt(bitPattern: p + count))) / page * page
      if to > from, let start = UnsafeMutableRawPointer(bitPattern: from) {
        _ = madvise(start, to - from, 23)  // MADV_POPULATE_WRITE
      }
    #endif
  }

  /// Runs `body(0..<n)` on `n` threads (inline when `n == 1`, nothing when 0).
  private nonisolated static func runChunks(_ n: Int, _ body: @Sendable (Int) -> Void) {
    if n <= 1 {
      if n == 1 { body(0) }
    } else {
      DispatchQueue.concurrentPerform(iterations: n, execute: body)
    }
  }

  /// Parses the records starting in `start..<end` into rows `slot..<slotEnd` of
  /// `outs`; returns the number of rows, or -1 when a record is not all plain
  /// integers (or the load was cancelled).
  private static func parseRange(
    _ base: UnsafePointer<UInt8>, limit: Int, separator: UInt8, ncols: Int, from start: Int, to end: Int,
    outs: UnsafeMutablePointer<UnsafeMutablePointer<Int>>, slot: Int, slotEnd: Int, progress: CSVLoadProgress
  ) -> Int {
    let checkpointBytes = 4 << 20
    var nextCheckpoint = start + checkpointBytes
    var lastCheckpoint = start
    var pos = start
    var row = slot
    // The column pages are mapped a block of rows ahead of the parser (see `populate`).
    let block = 1 << 17
    var populated = slot
    while pos < end {
      if row >= populated {
        let n = min(block, slotEnd - populated)
        for c in 0..<ncols { populate(outs[c] + populated, count: n) }
        populated += max(n, 1)
      }
      if pos >= nextCheckpoint {
        if !progress.advance(from: lastCheckpoint, to: pos) { return -1 }
        lastCheckpoint = pos
        nextCheckpoint = pos + checkpointBytes
      }
      let b = base[pos]
      // Blank lines (LF or CRLF) are not records.
      if b == 0x0A {
        pos += 1
        continue
      }
      if b == 0x0D && pos + 1 < limit && base[pos + 1] == 0x0A {
        pos += 2
        continue
      }
      // A record is one line, so the newline count bounds the rows; checked anyway.
      guard row < slotEnd else { return -1 }
      if pos + windowReach <= limit,
        let next = windowRecord(base, separator: separator, ncols: ncols, at: pos, outs: outs, row: row)
      {
        pos = next
      } else if let next = record(
        base, limit: limit, separator: separator, ncols: ncols, at: pos, outs: outs, row: row)
      {
        pos = next
      } else {
        return -1
      }
      row += 1
    }
    if !progress.advance(from: lastCheckpoint, to: pos) { return -1 }
    return row - slot
  }

  /// Stores the record at `start` in row `row` of `outs` if every field is 1 to 18
  /// digits with an optional `-`, ended by the separator (the last by LF, CRLF or
  /// the end of the data); returns the next record's offset, or `nil` (the row's
  /// slots may then hold some of the record's values: the caller gives up).
  @inline(__always)
  static func record(
    _ base: UnsafePointer<UInt8>, limit: Int, separator sep: UInt8, ncols: Int, at start: Int,
    outs: UnsafeMutablePointer<UnsafeMutablePointer<Int>>, row: Int
  ) -> Int? {
    let last = ncols - 1
    var q = start
    for c in 0...last {
      let (negative, v, n) = CSVChunkParser.integerField(base, at: &q, limit: limit)
      guard n > 0 && n <= 18 else { return nil }
      if c < last {
        guard q < limit && base[q] == sep else { return nil }
      } else if q < limit && base[q] != 0x0A {
        // CRLF, or a CR that ends the data.
        guard base[q] == 0x0D && (q + 1 == limit || base[q + 1] == 0x0A) else { return nil }
        q += 1
      }
      let x = Int(truncatingIfNeeded: v)
      outs[c][row] = negative ? -x : x
      q += 1
    }
    return min(q, limit)
  }

  /// The number of LF bytes in `p[0..<n]`, 8 bytes per step (SWAR): with `x` the
  /// word XOR LF bytes, a byte of `x` is zero iff the high bit of
  /// `((x & 0x7F..) + 0x7F..) | x` is clear (no carry crosses a byte). The 0/1 flags
  /// are summed per byte for up to 255 words, then across bytes (no popcount: the
  /// baseline x86-64 target has none).
  static func countNewlines(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    let lf: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let ones: UInt64 = 0x0101_0101_0101_0101
    var total = 0
    var i = 0
    let raw = UnsafeRawPointer(p)
    while i + 8 <= n {
      var acc: UInt64 = 0
      let stop = min(n - 8, i + 8 * 254)
      while i <= stop {
        let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ lf
        acc &+= (~(((x & low) &+ low) | x) >> 7) & ones
        i += 8
      }
      // Bytes (each <= 255) to 16-bit lanes, then one multiply adds the four lanes into the top one.
      let pairs = (acc & 0x00FF_00FF_00FF_00FF) &+ ((acc >> 8) & 0x00FF_00FF_00FF_00FF)
      total += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
    }
    while i < n {
      if p[i] == 0x0A { total += 1 }
      i += 1
    }
    return total
  }

  /// The most columns the fast load takes.
  static let maxColumns = 64

  /// Bytes a ``windowRecord`` call may read from the record's start.
  static let windowReach = 40

  /// ``record`` for a record of at most 32 bytes with at most 16 digits a field and
  /// an LF end, `windowReach` bytes or more before the end of the data; `nil` for
  /// anything else (the caller then tries ``record``).
  ///
  /// Why: ``record`` finds each field's end from the digits it parsed, so every
  /// field waits for the previous one's multiplies and bit scans (~110 cycles a
  /// ratings row). Here one pass over the record's 32 bytes flags every non-digit
  /// (four independent words), the field ends are the set bits of that mask (one
  /// bit scan each), and the digits of different fields are converted
  /// independently, so the CPU overlaps them.
  @inline(__always)
  static func windowRecord(
    _ base: UnsafePointer<UInt8>, separator sep: UInt8, ncols: Int, at start: Int,
    outs: UnsafeMutablePointer<UnsafeMutablePointer<Int>>, row: Int
  ) -> Int? {
    let p = base + start
    let raw = UnsafeRawPointer(p)
    let m0 = nonDigitBits(raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    let m1 = nonDigitBits(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    let m2 = nonDigitBits(raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
    let m3 = nonDigitBits(raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    // Bit 32 is set as a stop: a field that reaches it is too long for the window.
    let mask = m0 | m1 &<< 8 | m2 &<< 16 | m3 &<< 24 | 1 &<< 32
    let last = ncols &- 1
    var a = 0
    // Wrapping arithmetic: every offset here is below 40 (no overflow checks needed).
    for c in 0...last {
      var negative = false
      if p[a] == 0x2D {
        negative = true
        a &+= 1
      }
      guard a < 32 else { return nil }
      let b = a &+ (mask &>> UInt64(a)).trailingZeroBitCount
      let n = b &- a
      guard UInt(bitPattern: n &- 1) < 16 && b < 32 else { return nil }
      guard p[b] == (c < last ? sep : 0x0A) else { return nil }
      var v: UInt64
      if n <= 8 {
        v = digitsValue(raw.loadUnaligned(fromByteOffset: a, as: UInt64.self), n)
      } else {
        let high = digitsValue(raw.loadUnaligned(fromByteOffset: a, as: UInt64.self), n &- 8)
        v = high &* 100_000_000 &+ digitsValue(raw.loadUnaligned(fromByteOffset: b &- 8, as: UInt64.self), 8)
      }
      let x = Int(truncatingIfNeeded: v)
      outs[c][row] = negative ? 0 &- x : x
      a = b &+ 1
    }
    return start &+ a
  }

  /// The high bit of each byte of `w` that is not an ASCII digit, packed into the
  /// low 8 bits (byte i to bit i). Exact per byte (no borrow crosses a byte): a
  /// byte is a digit iff its high bit is clear, its low 7 bits + 0x50 reach 0x80
  /// (>= '0') and its low 7 bits + 0x46 do not (<= '9').
  @inline(__always)
  static func nonDigitBits(_ w: UInt64) -> UInt64 {
    let word = UInt64(littleEndian: w)
    let low = word & 0x7F7F_7F7F_7F7F_7F7F
    let atLeastZero = low &+ 0x5050_5050_5050_5050
    let aboveNine = low &+ 0x4646_4646_4646_4646
    let flags = ((word | ~atLeastZero | aboveNine) & 0x8080_8080_8080_8080) >> 7
    return (flags &* 0x0102_0408_1020_4080) >> 56
  }

  /// The value of the first `n` (1...8) bytes of `w`, all ASCII digits (first byte
  /// in the low bits): moved to the top bytes and combined pairwise, as in
  /// `CSVChunkParser.swarDigits`.
  @inline(__always)
  static func digitsValue(_ w: UInt64, _ n: Int) -> UInt64 {
    var d = (UInt64(littleEndian: w) &- 0x3030_3030_3030_3030) &<< UInt64((8 &- n) &<< 3)
    d = ((d & 0x0F0F_0F0F_0F0F_0F0F) &* 2561) >> 8
    d = ((d & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
    d = ((d & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    return d
  }
}
