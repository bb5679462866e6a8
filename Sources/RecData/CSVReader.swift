import Dispatch

#if canImport(Glibc)
  private let systemRead = Glibc.read
#elseif canImport(Darwin)
  private let systemRead = Darwin.read
#endif

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads CSV and TSV files into a ``Table``: fast, in parallel, and never crashing on bad input.
///
/// Format (RFC 4180): fields separated by one byte, records by LF or CRLF (the
/// last newline is optional); a field that starts with `"` is quoted and may hold
/// separators, newlines and `""` (one quote). A UTF-8 byte-order mark is skipped.
/// Blank lines are skipped.
///
/// Types: each column is the narrowest of int, double, string that holds all its
/// non-missing values (see ``CSVField`` for the exact grammar). Missing values are
/// empty fields and the unquoted tokens `NA`, `N/A`, `NaN`, `nan`, `null`, `NULL`;
/// a quoted field is always a value (`"NA"` is the string NA), but an empty one is
/// missing. An int column with a value beyond `Int` becomes a double column. A
/// column of missing values only is a string column.
///
/// Errors are thrown as ``DataError`` with 1-based physical line numbers: a row with
/// the wrong number of fields or text after a closing quote (`malformedRow`, or
/// skipped with `onError: .skip`), an unterminated quote, invalid UTF-8 (with a hint
/// to use Latin-1), a binary file, a value that does not fit a forced type
/// (`badValue`), and a missing, unreadable, directory or empty file (`io`: an empty
/// file is an error, since loading one is almost always a mistake; a file with only
/// a header gives a table with 0 rows).
///
/// Speed: the file is memory-mapped and cut at line boundaries into one range per
/// core. A file of plain integers only (a ratings file) is parsed by every thread
/// straight into its slot of the final arrays (``CSVIntLoader``). Otherwise each range
/// is parsed on its own thread into typed arrays (no `String` per numeric field;
/// records of plain integers take a fast path that reads 8 digits at a time), and the
/// ranges are joined in order. Either way the table is the same for any thread count. A cut that falls inside a quoted field is
/// detected (the previous range's last record runs past it) and that range is
/// parsed again from the right place.
public enum CSVReader {
  /// Reads the file at `path`.
  ///
  /// `progress` is called with the fraction done (0...1) every 4 MB or so, from the
  /// reading threads; returning `false` cancels the load (``DataError/cancelled``).
  public static func read(
    path: String, options: CSVOptions = .init(), progress: (@Sendable (Double) -> Bool)? = nil
  ) throws(DataError) -> (Table, LoadReport) {
    var st = stat()
    guard stat(path, &st) == 0 else { throw .io(path: path, message: errnoMessage(errno)) }
    if (st.st_mode & S_IFMT) == S_IFDIR { throw .io(path: path, message: "is a directory, not a file") }
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .io(path: path, message: errnoMessage(errno)) }
    defer { close(fd) }
    let size = Int(st.st_size)
    if (st.st_mode & S_IFMT) == S_IFREG && size == 0 {
      throw .io(path: path, message: "the file is empty (0 bytes)")
    }
    if (st.st_mode & S_IFMT) == S_IFREG,
      let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED
    {
      defer { munmap(map, size) }
      _ = madvise(map, size, Int32(MADV_SEQUENTIAL))
      let address = UInt(bitPattern: Int(bitPattern: map))
      return try parse(
        UnsafeRawPointer(map).assumingMemoryBound(to: UInt8.self), count: size, name: path, options: options,
        progress: progress, mappingAddress: address)
    }
    // Not a regular file (a pipe, say) or not mappable: read it all.
    var bytes = [UInt8]()
    var block = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = block.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
      if n < 0 { throw .io(path: path, message: errnoMessage(errno)) }
      if n == 0 { break }
      bytes.append(contentsOf: block[0..<n])
    }
    return try read(data: bytes, name: path, options: options, progress: progress)
  }

  /// Reads CSV text from memory; `name` stands for the path in messages.
  public static func read(
    data: [UInt8], name: String, options: CSVOptions, progress: (@Sendable (Double) -> Bool)? = nil
  ) throws(DataError) -> (Table, LoadReport) {
    try read(data: data, name: name, options: options, progress: progress, intFastPath: true)
  }

  /// ``read(data:name:options:progress:)`` with the all-int fast path on or off
  /// (off: the general path only; the tests compare the two).
  static func read(
    data: [UInt8], name: String, options: CSVOptions, progress: (@Sendable (Double) -> Bool)? = nil,
    intFastPath: Bool
  ) throws(DataError) -> (Table, LoadReport) {
    if data.isEmpty { throw .io(path: name, message: "the file is empty (0 bytes)") }
    let result = data.withUnsafeBufferPointer { b -> Result<(Table, LoadReport), DataError> in
      guard let p = b.baseAddress else {
        return .failure(.io(path: name, message: "the file is empty (0 bytes)"))
      }
      do throws(DataError) {
        return .success(
          try parse(
            p, count: b.count, name: name, options: options, progress: progress, mappingAddress: nil,
            intFastPath: intFastPath))
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }

  // MARK: - The load

  /// Sendable carrier for what the worker threads share: the parser holds a raw
  /// pointer, valid for the whole parallel section, and each worker writes only
  /// its own slot of `results`.
  private struct Shared: @unchecked Sendable {
    let parser: CSVChunkParser
    let results: UnsafeMutableBufferPointer<CSVChunkResult?>
  }

  private static func parse(
    _ base: UnsafePointer<UInt8>, count: Int, name: String, options: CSVOptions,
    progress callback: (@Sendable (Double) -> Bool)?, mappingAddress: UInt?, intFastPath: Bool = true
  ) throws(DataError) -> (Table, LoadReport) {
    var start = 0
    if count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
    if let nul = memchr(base, 0, min(count, 1 << 16)) {
      let offset = UnsafeRawPointer(nul) - UnsafeRawPointer(base)
      throw .io(
        path: name, message: "looks like a binary file (a NUL byte at offset \(offset)), not CSV text")
    }
    var first = start
    while first < count && (base[first] == 0x0A || base[first] == 0x0D) { first += 1 }
    if first >= count { throw .io(path: name, message: "the file has no data (only blank lines)") }

    let separator = options.separator ?? detectSeparator(base + first, count: count - first, options, name)
    var parser = CSVChunkParser(
      base: base, limit: count, separator: separator, quoting: options.quoting, encoding: options.encoding,
      skipMalformed: options.onError == .skip, progress: nil)
    let line = { (offset: Int) in lineNumber(base, offset) }

    // The first record: the header, or the first row (it fixes the field count).
    let noSpans = UnsafeMutablePointer<CSVFieldSpan>.allocate(capacity: 1)
    defer { noSpans.deallocate() }
    let probe = parser.scanRecord(at: first, into: noSpans, capacity: 0)
    if let q = probe.unterminatedQuote {
      throw .malformedRow(path: name, line: line(q), field: 1, message: unterminatedMessage)
    }
    if let problem = probe.problem {
      throw .malformedRow(path: name, line: line(first), field: problem.field, message: problem.message)
    }
    let ncols = probe.fields
    let firstFields = [CSVFieldSpan](unsafeUninitializedCapacity: ncols) { buf, n in
      guard let p = buf.baseAddress else { return }
      _ = parser.scanRecord(at: first, into: p, capacity: ncols)
      n = ncols
    }
    let hasHeader = options.header ?? looksLikeHeader(firstFields, base)
    var names: [String] = []
    if hasHeader {
      for f in firstFields {
        let bytes = fieldBytes(f, base)
        guard let s = bytes.withUnsafeBufferPointer({ CSVChunkParser.decode($0, encoding: options.encoding) })
        else {
          throw .malformedRow(path: name, line: line(f.start), field: nil, message: utf8Message)
        }
        names.append(s)
      }
    } else {
      names = (1...max(ncols, 1)).prefix(ncols).map { "column\($0)" }
    }
    if let given = options.columnNames {
      guard given.count == ncols else {
        throw .invalidArgument(
          "\(name): \(given.count) column name\(given.count == 1 ? "" : "s") given for \(ncols) column\(ncols == 1 ? "" : "s")"
        )
      }
      names = given
    }
    names = uniqueNames(names)
    for (forcedName, _) in options.types.sorted(by: { $0.key < $1.key }) where !names.contains(forcedName) {
      throw .unknownColumn(
        name: forcedName, table: name, suggestions: Suggest.closest(to: forcedName, in: names), span: nil)
    }
    let forced = names.map { options.types[$0] != nil }
    var kinds = names.map { options.types[$0] ?? .int }
    let dataStart = hasHeader ? probe.next : first

    // A sample of the first rows settles most column types, so the big pass rarely
    // restarts, and gives the bytes per row for reserving the arrays.
    let sample = parser.parse(from: dataStart, to: count, kinds: kinds, forced: forced, maxRows: 1000)
    kinds = sample.kinds
    let sampleRows = sample.rows + sample.skipped
    let bytesPerRow = sampleRows > 0 ? max(1, (sample.end - dataStart) / sampleRows) : 16
    let dataBytes = count - dataStart

    // Cut the data into ranges at line starts.
    let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    let threads = max(1, min(options.threads ?? (dataBytes < 4 << 20 ? 1 : cores), 64))
    var cuts = [dataStart]
    for i in 1..<threads {
      var p = max(cuts[cuts.count - 1], dataStart + dataBytes / threads * i)
      if p < count, let nl = memchr(base + p, 0x0A, count - p) {
        p = UnsafeRawPointer(nl) - UnsafeRawPointer(base) + 1
      } else {
        p = count
      }
      cuts.append(p)
    }
    cuts.append(count)
    let chunks = cuts.count - 1

    // All-int files (ratings) go straight into the final arrays (see ``CSVIntLoader``).
    if intFastPath && sample.rows > 0 && kinds.allSatisfy({ $0 == .int }) {
      let fast = CSVLoadProgress(total: dataBytes, callback: callback, mappingAddress: mappingAddress)
      if let arrays = CSVIntLoader.load(
        base: base, limit: count, separator: separator, ncols: ncols, cuts: cuts, progress: fast)
      {
        let columns = (0..<ncols).map { (names[$0], Column(ints: arrays[$0])) }
        return (Table(columns: columns), LoadReport(rows: arrays[0].count, bytes: count))
      }
      if fast.isCancelled { throw .cancelled }
      // Not all plain ints after all: the general path below (progress restarts from 0).
    }

    let progress = CSVLoadProgress(total: dataBytes, callback: callback, mappingAddress: mappingAddress)
    parser = CSVChunkParser(
      base: base, limit: count, separator: separator, quoting: options.quoting, encoding: options.encoding,
      skipMalformed: options.onError == .skip, progress: progress)
    let estimate = { (bytes: Int) in bytes / bytesPerRow + bytes / bytesPerRow / 16 + 64 }
    let slots = UnsafeMutableBufferPointer<CSVChunkResult?>.allocate(capacity: chunks)
    slots.initialize(repeating: nil)
    defer {
      _ = slots.deinitialize()
      slots.deallocate()
    }
    let shared = Shared(parser: parser, results: slots)
    let initialKinds = kinds
    // The first range's arrays are reserved for the whole file: the others are
    // appended to them in place (capacity never touched costs no memory).
    let reserves = (0..<chunks).map { estimate($0 == 0 ? dataBytes : cuts[$0 + 1] - cuts[$0]) }
    let ranges = (0..<chunks).map { cuts[$0]..<cuts[$0 + 1] }
    runChunks(chunks) { i in
      shared.results[i] = shared.parser.parse(
        from: ranges[i].lowerBound, to: ranges[i].upperBound, kinds: initialKinds, forced: forced,
        reserve: reserves[i])
    }
    if progress.isCancelled { throw .cancelled }

    // Check the cuts in order: a range whose predecessor ended elsewhere (the cut was
    // inside a quoted field) is parsed again from the right place.
    var results: [CSVChunkResult] = []
    var starts: [Int] = []
    var previousEnd = dataStart
    for i in 0..<chunks {
      guard var r = slots[i] else { continue }
      slots[i] = nil
      var s = cuts[i]
      if s != previousEnd {
        s = previousEnd
        r = parser.parse(from: s, to: max(s, cuts[i + 1]), kinds: initialKinds, forced: forced)
      }
      if let failure = r.failure { throw error(failure, name: name, names: names, line: line) }
      previousEnd = r.end
      starts.append(s)
      results.append(r)
    }

    // Agree on one type per column: a range that saw only numbers where another saw
    // text is parsed again with that column as string; int ranges of a double column
    // are converted.
    while true {
      let final = (0..<ncols).map { c in results.map { $0.columns[c].kind }.max(by: rank) ?? .string }
      var again = false
      for i in results.indices
      where zip(results[i].kinds, final).contains(where: { $0.0 != $0.1 && $0.1 == .string }) {
        let r = parser.parse(from: starts[i], to: max(starts[i], cuts[i + 1]), kinds: final, forced: forced)
        if let failure = r.failure { throw error(failure, name: name, names: names, line: line) }
        results[i] = r
        again = true
      }
      if again { continue }
      for i in results.indices {
        for c in 0..<ncols where final[c] == .double && results[i].columns[c].kind == .int {
          results[i].columns[c].promoteToDouble()
        }
      }
      kinds = final
      break
    }

    var samples: [String] = []
    for r in results {
      for s in r.samples where samples.count < 5 { samples.append("line \(line(s.offset)): \(s.message)") }
    }
    let skipped = results.reduce(0) { $0 + $1.skipped }
    // Join the ranges in order, one column per thread: each column's copy is
    // independent, and at 10M rows the copying is a fifth of the load.
    let boxes = (0..<ncols).map { c in JoinBox(parts: results.map { $0.columns[c] }, kind: kinds[c]) }
    results = []  // the boxes now hold the only references to the arrays
    runChunks(ncols) { c in boxes[c].join() }
    var columns: [(String, Column)] = []
    for c in 0..<ncols {
      var column = boxes[c].result ?? .missing(kinds[c], count: 0)
      // Nothing to infer a type from: a string column of missing values, as `Column(values:)` does.
      if !forced[c] && column.type != .string
        && !(0..<column.count).contains(where: { !column.isMissing($0) })
      {
        column = .missing(.string, count: column.count)
      }
      columns.append((names[c], column))
    }
    let rows = columns.first?.1.count ?? 0
    return (
      Table(columns: columns), LoadReport(rows: rows, bytes: count, skipped: skipped, skippedSamples: samples)
    )
  }

  /// Runs `body(0..<n)` on `n` threads (inline when `n == 1`).
  private nonisolated static func runChunks(_ n: Int, _ body: @Sendable (Int) -> Void) {
    if n == 1 {
      body(0)
    } else {
      DispatchQueue.concurrentPerform(iterations: n, execute: body)
    }
  }

  /// int < double < string.
  private static func rank(_ a: ColumnType, _ b: ColumnType) -> Bool {
    let order: [ColumnType: Int] = [.int: 0, .double: 1, .string: 2]
    return order[a, default: 2] < order[b, default: 2]
  }

  /// One column's parts (one per range), joined in order by ``join()``; each
  /// worker thread touches only its own box.
  private final class JoinBox: @unchecked Sendable {
    var parts: [CSVColumnBuilder]
    let kind: ColumnType
    var result: Column?

    init(parts: [CSVColumnBuilder], kind: ColumnType) {
      self.parts = parts
      self.kind = kind
    }

    /// Appends the later parts to the first (whose arrays were reserved for the
    /// whole file), releasing each part once copied.
    func join() {
      guard !parts.isEmpty else { return }
      if parts.count == 1 {
        result = parts[0].take()
        return
      }
      switch kind {
      case .int:
        var all = [Int]()
        swap(&all, &parts[0].ints)
        for i in 1..<parts.count {
          all.append(contentsOf: parts[i].ints)
          parts[i].ints = []
        }
        result = Column(ints: all)
      case .double:
        var all = [Double]()
        swap(&all, &parts[0].doubles)
        for i in 1..<parts.count {
          all.append(contentsOf: parts[i].doubles)
          parts[i].doubles = []
        }
        result = Column(doubles: all)
      case .string:
        var codes = [Int32]()
        swap(&codes, &parts[0].codes)
        var dictionary = parts[0].dictionary
        var index = parts[0].index
        for i in 1..<parts.count {
          let local = parts[i].dictionary
          var map = [Int32](repeating: -1, count: local.count)
          for (k, s) in local.enumerated() {
            if let g = index[s] {
              map[k] = g
            } else {
              let g = Int32(dictionary.count)
              index[s] = g
              dictionary.append(s)
              map[k] = g
            }
          }
          for x in parts[i].codes { codes.append(x < 0 ? -1 : map[Int(x)]) }
          parts[i] = CSVColumnBuilder(kind: .string, forced: false, reserve: 0)
        }
        result = Column(codes: codes, dictionary: dictionary)
      }
      parts = []
    }
  }

  // MARK: - Helpers

  public static let unterminatedMessage = "unterminated quoted field: the quote opened here is never closed"
  public static let utf8Message =
    "invalid UTF-8 text; if the file is Latin-1 (ISO-8859-1), load it with encoding=latin1"

  private static func error(
    _ f: CSVChunkFailure, name: String, names: [String], line: (Int) -> Int
  ) -> DataError {
    switch f {
    case .malformed(let offset, let field, let message):
      return .malformedRow(path: name, line: line(offset), field: field, message: message)
    case .unterminatedQuote(let offset):
      return .malformedRow(path: name, line: line(offset), field: nil, message: unterminatedMessage)
    case .badValue(let offset, let column, let text, let expected):
      return .badValue(path: name, line: line(offset), column: names[column], text: text, expected: expected)
    case .encoding(let offset):
      return .malformedRow(path: name, line: line(offset), field: nil, message: utf8Message)
    case .cancelled:
      return .cancelled
    }
  }

  /// The 1-based line of byte `offset`: one plus the newlines before it.
  /// - Complexity: O(offset); only called to report a problem.
  static func lineNumber(_ base: UnsafePointer<UInt8>, _ offset: Int) -> Int {
    var n = 1
    var p = 0
    while p < offset, let hit = memchr(base + p, 0x0A, offset - p) {
      n += 1
      p = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
    }
    return n
  }

  /// The separator for `format` (or the file's extension, or the first line's most
  /// frequent candidate outside quotes: `,` tab `;` `|`, comma on a tie or none).
  private static func detectSeparator(
    _ p: UnsafePointer<UInt8>, count: Int, _ options: CSVOptions, _ name: String
  ) -> UInt8 {
    switch options.format {
    case .csv: return 0x2C
    case .tsv: return 0x09
    case .auto: break
    }
    let lower = name.lowercased()
    if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return 0x09 }
    let candidates: [UInt8] = [0x2C, 0x09, 0x3B, 0x7C]
    var counts = [Int](repeating: 0, count: candidates.count)
    var inQuotes = false
    var i = 0
    while i < count && (inQuotes || p[i] != 0x0A) {
      let b = p[i]
      if b == 0x22 && options.quoting { inQuotes.toggle() }
      if !inQuotes, let k = candidates.firstIndex(of: b) { counts[k] += 1 }
      i += 1
    }
    var best = 0
    for k in 1..<candidates.count where counts[k] > counts[best] { best = k }
    return candidates[best]
  }

  /// A header row has only non-empty fields that are not numbers.
  private static func looksLikeHeader(_ fields: [CSVFieldSpan], _ base: UnsafePointer<UInt8>) -> Bool {
    fields.allSatisfy { f in
      f.end > f.start && f.flags != CSVFieldSpan.int
        && CSVField.parseDouble(base + f.start, f.end - f.start) == nil
    }
  }

  /// The bytes of a field, with `""` escapes undone.
  private static func fieldBytes(_ f: CSVFieldSpan, _ base: UnsafePointer<UInt8>) -> [UInt8] {
    var out = [UInt8]()
    var i = f.start
    while i < f.end {
      out.append(base[i])
      i += f.flags == CSVFieldSpan.escaped && base[i] == 0x22 ? 2 : 1
    }
    return out
  }

  /// Column names made usable: an empty name becomes `columnN` (its 1-based
  /// position), a repeated one gets `_2`, `_3`, ... (skipping names already taken).
  static func uniqueNames(_ names: [String]) -> [String] {
    var taken = Set<String>()
    var out: [String] = []
    let filled = names.enumerated().map { $0.element.isEmpty ? "column\($0.offset + 1)" : $0.element }
    let all = Set(filled)
    for n in filled {
      var candidate = n
      var k = 2
      while taken.contains(candidate) || (candidate != n && all.contains(candidate)) {
        candidate = "\(n)_\(k)"
        k += 1
      }
      taken.insert(candidate)
      out.append(candidate)
    }
    return out
  }

  private static func errnoMessage(_ e: Int32) -> String {
    switch e {
    case ENOENT: return "no such file or directory"
    case EACCES: return "permission denied"
    default: return String(cString: strerror(e)).lowercased()
    }
  }
}
