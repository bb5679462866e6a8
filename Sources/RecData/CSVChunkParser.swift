#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a chunk stopped before its end. Offsets are byte offsets in the buffer;
/// ``CSVReader`` turns them into 1-based line numbers only when it reports one.
enum CSVChunkFailure: Error {
  case malformed(offset: Int, field: Int?, message: String)
  case unterminatedQuote(offset: Int)
  case badValue(offset: Int, column: Int, text: String, expected: ColumnType)
  case encoding(offset: Int)
  case cancelled
}

/// What one chunk produced: its columns, row count and problems.
struct CSVChunkResult {
  var columns: [CSVColumnBuilder]
  var rows = 0
  var skipped = 0
  /// The first 5 skipped rows: offset of the row and what was wrong.
  var samples: [(offset: Int, message: String)] = []
  /// The offset just after the last record read (may lie past the chunk's nominal
  /// end: a record that starts inside the chunk is read to its end).
  var end: Int
  var failure: CSVChunkFailure?

  var kinds: [ColumnType] { columns.map(\.kind) }
}

/// Where one field of the current record lies, found by the scan phase.
struct CSVFieldSpan {
  var start = 0
  var end = 0
  /// The value when `flags == CSVFieldSpan.int` (parsed while scanning).
  var value = 0
  var flags: UInt8 = 0

  static let plain: UInt8 = 0
  static let int: UInt8 = 1
  static let quoted: UInt8 = 2
  static let escaped: UInt8 = 3
}

/// The CSV kernel: parses the records that start in one byte range of a buffer
/// into typed columns.
///
/// Each record is read in two phases. The scan phase finds the fields (RFC 4180:
/// quotes, `""` escapes, separators and newlines inside quotes, CRLF) and, for an
/// unquoted field of at most 18 digits, its integer value on the way, so integer
/// columns never revisit their bytes. Only when the record has the right number
/// of fields does the commit phase append to the columns, so a skipped row never
/// changes a column's type or dictionary.
///
/// The buffer must stay valid and unchanged for the parser's life (the caller
/// holds the mapping or array). Blank lines are skipped.
struct CSVChunkParser {
  let base: UnsafePointer<UInt8>
  /// The end of the data: records may run up to here.
  let limit: Int
  let separator: UInt8
  let quoting: Bool
  let encoding: CSVOptions.Encoding
  let skipMalformed: Bool
  let progress: CSVLoadProgress?

  /// Parses the records starting in `start..<end` (at most `maxRows` of them),
  /// restarting with a column as string whenever a value needs it.
  func parse(
    from start: Int, to end: Int, kinds initial: [ColumnType], forced: [Bool], maxRows: Int = .max,
    reserve: Int = 0
  ) -> CSVChunkResult {
    var kinds = initial
    while true {
      var result = CSVChunkResult(
        columns: zip(kinds, forced).map { CSVColumnBuilder(kind: $0, forced: $1, reserve: reserve) },
        end: start)
      if let c = parseOnce(&result, from: start, to: end, maxRows: maxRows) {
        kinds[c] = .string
        continue
      }
      return result
    }
  }

  /// One attempt; returns the index of a column that must become a string column
  /// (the caller restarts), or `nil` when done (or failed: `result.failure`).
  private func parseOnce(_ r: inout CSVChunkResult, from start: Int, to end: Int, maxRows: Int) -> Int? {
    let ncols = r.columns.count
    // The columns are moved out of `r` (so still uniquely referenced) and put back on every exit.
    var cols = r.columns
    r.columns = []
    defer { r.columns = cols }
    let spans = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: max(ncols, 1))
    spans.initialize(repeating: CSVFieldSpan(), count: max(ncols, 1))
    defer { spans.deallocate() }
    // Through a buffer pointer each append checks the uniqueness of the column's
    // array only, not also that of the array of columns (measured: ~10% of the parse).
    return cols.withUnsafeMutableBufferPointer { cols in
      parseRecords(&r, cols, spans, from: start, to: end, maxRows: maxRows)
    }
  }

  /// The record loop of ``parseOnce``.
  private func parseRecords(
    _ r: inout CSVChunkResult, _ cols: UnsafeMutableBufferPointer<CSVColumnBuilder>,
    _ spans: UnsafeMutablePointer<CSVFieldSpan>, from start: Int, to end: Int, maxRows: Int
  ) -> Int? {
    let ncols = cols.count
    var kinds = cols.map(\.kind)
    var allInt = kinds.allSatisfy { $0 == .int }
    var scratch = [UInt8]()
    let base = base
    let limit = limit
    let nl: UInt8 = 0x0A
    let cr: UInt8 = 0x0D
    let checkpointBytes = 4 << 20
    var nextCheckpoint = start + checkpointBytes
    var lastCheckpoint = start
    var pos = start
    var rows = 0

    records: while pos < end && rows < maxRows {
      if pos >= nextCheckpoint, let progress {
        if !progress.advance(from: lastCheckpoint, to: pos) {
          r.failure = .cancelled
          r.end = pos
          return nil
        }
        lastCheckpoint = pos
        nextCheckpoint = pos + checkpointBytes
      }
      let recordStart = pos
      // Blank lines (LF or CRLF) are not records.
      if base[pos] == nl {
        pos += 1
        continue
      }
      if base[pos] == cr && pos + 1 < limit && base[pos + 1] == nl {
        pos += 2
        continue
      }
      // Fast path for the common all-int record (a ratings file): digits straight
      // into the columns, no spans. Anything else (a sign other than '-', a quote,
      // a CR, a missing value, a wrong field count) undoes the record's appends and
      // takes the general path below, which decides what it is.
      if allInt, let next = appendIntRecord(at: pos, cols) {
        pos = next
        rows += 1
        continue records
      }
      let scan = scanRecord(at: pos, into: spans, capacity: ncols)
      if let q = scan.unterminatedQuote {
        r.failure = .unterminatedQuote(offset: q)
        r.end = recordStart
        return nil
      }
      pos = scan.next
      let nf = scan.fields
      var problem = scan.strayField > 0 ? scan.problem : nil
      if problem == nil && nf != ncols {
        problem = (nil, "expected \(ncols) field\(ncols == 1 ? "" : "s"), found \(nf)")
      }
      if let problem {
        if !skipMalformed {
          r.failure = .malformed(offset: recordStart, field: problem.field, message: problem.message)
          r.end = recordStart
          return nil
        }
        r.skipped += 1
        if r.samples.count < 5 { r.samples.append((recordStart, problem.message)) }
        continue records
      }
      // Commit phase.
      for c in 0..<ncols {
        let f = spans[c]
        switch kinds[c] {
        case .int:
          if f.flags == CSVFieldSpan.int {
            cols[c].ints.append(f.value)
            continue
          }
          let p = base + f.start
          let n = f.end - f.start
          if isMissing(f) {
            cols[c].ints.append(Column.missingInt)
          } else if f.flags != CSVFieldSpan.escaped, let v = CSVField.parseInt(p, n) {
            cols[c].ints.append(v)
          } else if cols[c].forced {
            r.failure = .badValue(offset: recordStart, column: c, text: text(f, &scratch), expected: .int)
            r.end = recordStart
            return nil
          } else if f.flags != CSVFieldSpan.escaped, let d = CSVField.parseDouble(p, n) {
            cols[c].promoteToDouble()
            kinds[c] = .double
            allInt = false
            cols[c].doubles.append(d)
          } else {
            return c
          }
        case .double:
          if f.flags == CSVFieldSpan.int {
            cols[c].doubles.append(Double(f.value))
            continue
          }
          if isMissing(f) {
            cols[c].doubles.append(.nan)
          } else if f.flags != CSVFieldSpan.escaped,
            let d = CSVField.parseDouble(base + f.start, f.end - f.start)
          {
            cols[c].doubles.append(d)
          } else if cols[c].forced {
            r.failure = .badValue(offset: recordStart, column: c, text: text(f, &scratch), expected: .double)
            r.end = recordStart
            return nil
          } else {
            return c
          }
        case .string:
          if isMissing(f) {
            cols[c].codes.append(-1)
            continue
          }
          guard let s = decode(f, &scratch) else {
            r.failure = .encoding(offset: f.start)
            r.end = recordStart
            return nil
          }
          let code = cols[c].intern(s)
          cols[c].codes.append(code)
        }
      }
      rows += 1
    }
    if let progress, !progress.advance(from: lastCheckpoint, to: pos) {
      r.failure = .cancelled
    }
    r.rows = rows
    r.end = pos
    return nil
  }

  /// Appends the record at `start` to all-int columns if every field is 1 to 18
  /// digits with an optional '-', ended by the separator (the last by LF or the end
  /// of the data); returns the next record's offset, or `nil` with nothing appended.
  @inline(__always)
  private func appendIntRecord(at start: Int, _ cols: UnsafeMutableBufferPointer<CSVColumnBuilder>) -> Int? {
    let base = base
    let limit = limit
    let sep = separator
    let last = cols.count - 1
    var q = start
    for c in 0...last {
      let (negative, v, n) = Self.integerField(base, at: &q, limit: limit)
      let ended = c < last ? (q < limit && base[q] == sep) : (q == limit || base[q] == 0x0A)
      guard n > 0 && n <= 18 && ended else {
        for k in 0..<c { cols[k].ints.removeLast() }
        return nil
      }
      let x = Int(truncatingIfNeeded: v)
      cols[c].ints.append(negative ? -x : x)
      q += 1
    }
    return min(q, limit)
  }

  /// Reads an optional '-' and the decimal digits after it at `q`, advancing `q` past
  /// them: eight bytes at a time while they are in the buffer (``swarDigits``), then
  /// byte by byte. Returns the sign, the magnitude (wrapping past 19 digits; callers
  /// reject more than 18) and the digit count. Shared by the general parser's
  /// all-integer records and ``CSVIntLoader``.
  @inline(__always)
  static func integerField(_ base: UnsafePointer<UInt8>, at q: inout Int, limit: Int)
    -> (negative: Bool, magnitude: UInt64, digits: Int)
  {
    var negative = false
    if q < limit && base[q] == 0x2D {
      negative = true
      q += 1
    }
    let digitsStart = q
    var v: UInt64 = 0
    var inDigits = true
    while q + 8 <= limit {
      let (k, value) = swarDigits(UnsafeRawPointer(base + q).loadUnaligned(as: UInt64.self))
      v = v &* powersOfTen[k] &+ value
      q += k
      if k < 8 {
        inDigits = false
        break
      }
    }
    while inDigits && q < limit {
      let d = base[q] &- 0x30
      if d >= 10 { break }
      v = v &* 10 &+ UInt64(d)
      q += 1
    }
    return (negative, v, q - digitsStart)
  }

  /// 10^0 ... 10^8.
  static let powersOfTen: [UInt64] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

  /// The number of leading ASCII digits (0...8) in the 8 bytes `w` (first byte in
  /// the low bits, as loaded on a little-endian machine) and their value.
  ///
  /// SWAR ("SIMD within a register"): `x = w - '0'` per byte; a byte is a digit iff
  /// its `x` is below 10, i.e. neither `x` (wrapped, byte < '0') nor `x + 0x76`
  /// (x >= 10) has the high bit set. Borrows and carries only spill into bytes
  /// after the first non-digit, which are discarded. The k digits are moved to the
  /// top bytes (leading zeros below) and combined pairwise: 2 digits, 4, then 8,
  /// each step one multiply (Lemire, "Faster parsing of integers", 2022).
  @inline(__always)
  static func swarDigits(_ w: UInt64) -> (count: Int, value: UInt64) {
    let x = UInt64(littleEndian: w) &- 0x3030_3030_3030_3030
    let nonDigit = (x | (x &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080
    let k = nonDigit == 0 ? 8 : nonDigit.trailingZeroBitCount >> 3
    if k == 0 { return (0, 0) }
    var d = x << UInt64((8 - k) << 3)
    d = ((d & 0x0F0F_0F0F_0F0F_0F0F) &* 2561) >> 8
    d = ((d & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
    d = ((d & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    return (k, d)
  }

  /// What the scan phase found for one record.
  struct RecordScan {
    /// Fields in the record (spans are stored for the first `capacity` of them).
    var fields = 0
    /// The offset of the next record.
    var next = 0
    /// A field (1-based) whose closing quote is followed by `strayByte` instead of a
    /// separator or newline; 0 when none. (Plain values, so the scan allocates nothing.)
    var strayField = 0
    var strayByte: UInt8 = 0
    /// The offset of a quote that is never closed (the rest of the data is one field).
    var unterminatedQuote: Int? = nil

    /// A malformed record's field and message, if the scan found one.
    var problem: (field: Int?, message: String)? {
      guard strayField > 0 else { return nil }
      let b = CSVChunkParser.describe(strayByte)
      return (strayField, "unexpected '\(b)' after the closing quote of field \(strayField)")
    }
  }

  /// Finds the fields of the record starting at `pos` (not a blank line), storing
  /// the first `capacity` spans.
  @inline(__always)
  func scanRecord(at start: Int, into spans: UnsafeMutablePointer<CSVFieldSpan>, capacity: Int) -> RecordScan
  {
    let base = base
    let limit = limit
    let sep = separator
    let quoting = quoting
    let quoteByte: UInt8 = 0x22
    let nl: UInt8 = 0x0A
    let cr: UInt8 = 0x0D
    var pos = start
    var nf = 0
    var out = RecordScan()
    fields: while true {
      let fs = pos
      if quoting && pos < limit && base[pos] == quoteByte {
        var q = pos + 1
        var escaped = false
        while true {
          // memchr is vectorised: long quoted text is skipped quickly.
          guard q < limit, let hit = memchr(base + q, Int32(quoteByte), limit - q) else {
            out.unterminatedQuote = fs
            return out
          }
          q = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
          if q + 1 < limit && base[q + 1] == quoteByte {
            escaped = true
            q += 2
            continue
          }
          break
        }
        if nf < capacity {
          spans[nf] = CSVFieldSpan(
            start: fs + 1, end: q, value: 0, flags: escaped ? CSVFieldSpan.escaped : CSVFieldSpan.quoted)
        }
        nf += 1
        pos = q + 1
        if pos < limit && base[pos] == cr && (pos + 1 == limit || base[pos + 1] == nl) { pos += 1 }
        if pos >= limit { break fields }
        let t = base[pos]
        if t == sep {
          pos += 1
          continue fields
        }
        if t == nl {
          pos += 1
          break fields
        }
        out.strayField = nf
        out.strayByte = t
        // Resynchronise at the end of the physical line.
        while pos < limit && base[pos] != nl { pos += 1 }
        if pos < limit { pos += 1 }
        break fields
      } else {
        // Unquoted. Fast path: a run of digits ended by the separator or the newline
        // is an int, read with one comparison per byte.
        var q = pos
        var negative = false
        if q < limit && base[q] == 0x2D {
          negative = true
          q += 1
        }
        let digitsStart = q
        var v: UInt64 = 0
        while q < limit {
          let d = base[q] &- 0x30
          if d >= 10 { break }
          v = v &* 10 &+ UInt64(d)
          q += 1
        }
        let n = q - digitsStart
        // At most 18 digits cannot overflow; longer numbers take the general path.
        if n > 0 && n <= 18 && (q == limit || base[q] == sep || base[q] == nl) {
          if nf < capacity {
            let x = Int(truncatingIfNeeded: v)
            spans[nf] = CSVFieldSpan(start: fs, end: q, value: negative ? -x : x, flags: CSVFieldSpan.int)
          }
        } else {
          // General path: find the end of the field.
          while q < limit {
            let c = base[q]
            if c == sep || c == nl { break }
            q += 1
          }
          var fe = q
          if (q == limit || base[q] == nl) && fe > fs && base[fe - 1] == cr { fe -= 1 }
          if nf < capacity {
            spans[nf] = CSVFieldSpan(start: fs, end: fe, value: 0, flags: CSVFieldSpan.plain)
          }
        }
        nf += 1
        pos = q
        if pos >= limit { break fields }
        pos += 1
        if base[q] == sep { continue fields }
        break fields
      }
    }
    out.fields = nf
    out.next = pos
    return out
  }

  /// A missing value: an empty field, or an unquoted missing token.
  @inline(__always)
  private func isMissing(_ f: CSVFieldSpan) -> Bool {
    if f.flags >= CSVFieldSpan.quoted { return f.start == f.end }
    return CSVField.isMissingToken(base + f.start, f.end - f.start)
  }

  /// The field's bytes with `""` escapes undone (in `scratch` when there were escapes).
  private func withBytes<T>(
    _ f: CSVFieldSpan, _ scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> T
  ) -> T {
    if f.flags != CSVFieldSpan.escaped {
      return body(UnsafeBufferPointer(start: base + f.start, count: f.end - f.start))
    }
    scratch.removeAll(keepingCapacity: true)
    var i = f.start
    while i < f.end {
      scratch.append(base[i])
      i += base[i] == 0x22 ? 2 : 1
    }
    return scratch.withUnsafeBufferPointer(body)
  }

  /// The field as a `String` in the file's encoding, or `nil` for invalid UTF-8.
  private func decode(_ f: CSVFieldSpan, _ scratch: inout [UInt8]) -> String? {
    withBytes(f, &scratch) { b in Self.decode(b, encoding: encoding) }
  }

  /// The field's text for an error message (invalid UTF-8 replaced).
  private func text(_ f: CSVFieldSpan, _ scratch: inout [UInt8]) -> String {
    withBytes(f, &scratch) { b in Self.decode(b, encoding: encoding) ?? String(decoding: b, as: UTF8.self) }
  }

  /// Bytes as a `String`: UTF-8 validated (`nil` if invalid), or Latin-1 (each byte one scalar).
  static func decode(_ b: UnsafeBufferPointer<UInt8>, encoding: CSVOptions.Encoding) -> String? {
    switch encoding {
    case .utf8:
      return String(validating: b, as: UTF8.self)
    case .latin1:
      if !b.contains(where: { $0 >= 0x80 }) { return String(decoding: b, as: UTF8.self) }
      var s = String.UnicodeScalarView()
      for x in b { s.append(Unicode.Scalar(x)) }
      return String(s)
    }
  }

  /// A byte for a message: the character, or its hex code when not printable ASCII.
  static func describe(_ b: UInt8) -> String {
    b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16, uppercase: true)
  }
}
