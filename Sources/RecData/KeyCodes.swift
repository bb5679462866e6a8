/// Dense integer codes for the distinct keys of one or more columns: the shared
/// engine of dedupe, k-core, grouped aggregates, per-group normalization and `describe`.
///
/// Every row gets a code in `0..<groupCount`; equal keys get equal codes. Missing
/// is a key like any other (so two rows missing the same field are duplicates), and
/// `isMissing[code]` says whether a key has a missing part, for callers that treat it
/// apart. Codes of a single column follow first appearance; codes of combined
/// columns follow the first column's codes, then first appearance (deterministic
/// either way, which is all callers rely on).
///
/// Why not `Dictionary<Value, Int>`: boxing every cell as a `Value` and hashing it
/// costs about 100 ns a row; on 10M rows that alone is a second. Here an int column
/// whose values span a small range is coded through a direct lookup array, other
/// numbers through an open-addressing table on their bit patterns, and strings
/// through their dictionary codes.
struct KeyCodes: Sendable {
  /// Per row, the code of its key.
  var codes: [Int32]
  /// How many distinct keys there are.
  var groupCount: Int
  /// Per code, the first row (lowest index) whose key it is.
  var firstRows: [Int]
  /// Per code, whether the key is missing (or, for combined keys, has a missing part).
  var isMissing: [Bool]

  /// Per code, how many rows have that key.
  /// - Complexity: O(rows).
  func counts() -> [Int] {
    var c = [Int](repeating: 0, count: groupCount)
    for k in codes { c[Int(k)] &+= 1 }
    return c
  }

  /// Codes for the distinct values of `column`.
  /// - Complexity: O(rows), expected.
  init(_ column: Column) {
    switch column.storage {
    case .int(let v):
      self = KeyCodes.encodeInts(v)
    case .double(let v):
      // Bit patterns, with -0.0 folded onto 0.0 (they compare equal) and NaN as missing.
      let bits = v.map { x -> UInt64 in
        x.isNaN ? UInt64.max : (x == 0 ? 0 : x.bitPattern)
      }
      self = KeyCodes.encodeHashed(bits, missing: UInt64.max)
    case .string(let c, let d):
      // Dictionary codes are already distinct per value: renumber them in order of
      // first appearance through a lookup array (slot `d.count` is missing).
      var remap = [Int32](repeating: -1, count: d.count + 1)
      var codes = [Int32](repeating: 0, count: c.count)
      var firstRows: [Int] = []
      var isMissing: [Bool] = []
      for (r, raw) in c.enumerated() {
        let slot = raw < 0 ? d.count : Int(raw)
        var k = remap[slot]
        if k < 0 {
          k = Int32(firstRows.count)
          remap[slot] = k
          firstRows.append(r)
          isMissing.append(raw < 0)
        }
        codes[r] = k
      }
      self.init(codes: codes, groupCount: firstRows.count, firstRows: firstRows, isMissing: isMissing)
    }
  }

  init(codes: [Int32], groupCount: Int, firstRows: [Int], isMissing: [Bool]) {
    self.codes = codes
    self.groupCount = groupCount
    self.firstRows = firstRows
    self.isMissing = isMissing
  }

  /// Codes for the distinct combinations of several columns (all rows in one group
  /// when `columns` is empty). `rowCount` is needed for that empty case.
  init(columns: [Column], rowCount: Int) {
    guard let first = columns.first else {
      self.init(
        codes: Array(repeating: 0, count: rowCount), groupCount: rowCount > 0 ? 1 : 0,
        firstRows: rowCount > 0 ? [0] : [], isMissing: rowCount > 0 ? [false] : [])
      return
    }
    var k = KeyCodes(first)
    for c in columns.dropFirst() { k = KeyCodes.combine(k, KeyCodes(c)) }
    self = k
  }

  /// Ints: a direct lookup array when the values span a range not much larger than
  /// the row count (ids usually do), else the hash table.
  private static func encodeInts(_ v: [Int]) -> KeyCodes {
    var lo = Int.max
    var hi = Int.min
    for x in v where x != Column.missingInt {
      if x < lo { lo = x }
      if x > hi { hi = x }
    }
    let limit = max(4 * v.count, 1 << 16)
    let (span, overflow) = hi.subtractingReportingOverflow(lo)
    guard lo <= hi, !overflow, span < limit else {
      return encodeHashed(v.map { UInt64(bitPattern: Int64($0)) }, missing: UInt64(bitPattern: Int64.min))
    }
    // Slot `span + 1` is missing.
    var remap = [Int32](repeating: -1, count: span + 2)
    var codes = [Int32](repeating: 0, count: v.count)
    var firstRows: [Int] = []
    var isMissing: [Bool] = []
    for (r, x) in v.enumerated() {
      let slot = x == Column.missingInt ? span + 1 : x &- lo
      var k = remap[slot]
      if k < 0 {
        k = Int32(firstRows.count)
        remap[slot] = k
        firstRows.append(r)
        isMissing.append(x == Column.missingInt)
      }
      codes[r] = k
    }
    return KeyCodes(codes: codes, groupCount: firstRows.count, firstRows: firstRows, isMissing: isMissing)
  }

  /// 64-bit keys through an open-addressing table (linear probing, Fibonacci hashing,
  /// grown at half load). `missing` is the key that means a missing value.
  private static func encodeHashed(_ keys: [UInt64], missing: UInt64) -> KeyCodes {
    var table = UInt64CodeTable(expected: min(keys.count, 1 << 16))
    var codes = [Int32](repeating: 0, count: keys.count)
    var firstRows: [Int] = []
    var isMissing: [Bool] = []
    for (r, key) in keys.enumerated() {
      let (k, inserted) = table.codeInserting(key, next: Int32(firstRows.count))
      if inserted {
        firstRows.append(r)
        isMissing.append(key == missing)
      }
      codes[r] = k
    }
    return KeyCodes(codes: codes, groupCount: firstRows.count, firstRows: firstRows, isMissing: isMissing)
  }

  /// Codes for the pairs `(a, b)`.
  ///
  /// When `a.groupCount * b.groupCount` is small, through a direct lookup array on
  /// `a * nb + b`; otherwise CSR-style: rows are bucketed by `a` (a stable counting
  /// sort), and within each bucket a stamp array over `b` (`stamp[b] == a` means
  /// "seen in this bucket") gives each new pair its code. Both passes touch memory
  /// mostly in order, which is what makes 10M rows take tens of milliseconds where a
  /// hash set of packed pairs misses the cache on nearly every row.
  /// - Complexity: O(rows + a.groupCount + b.groupCount).
  static func combine(_ a: KeyCodes, _ b: KeyCodes) -> KeyCodes {
    let n = a.codes.count
    let na = a.groupCount
    let nb = b.groupCount
    var codes = [Int32](repeating: 0, count: n)
    var firstRows: [Int] = []
    var isMissing: [Bool] = []
    let (product, overflow) = na.multipliedReportingOverflow(by: nb)
    if !overflow, product <= max(2 * n, 1 << 16) {
      var remap = [Int32](repeating: -1, count: na * nb)
      for r in 0..<n {
        let ca = Int(a.codes[r])
        let cb = Int(b.codes[r])
        let slot = ca * nb + cb
        var k = remap[slot]
        if k < 0 {
          k = Int32(firstRows.count)
          remap[slot] = k
          firstRows.append(r)
          isMissing.append(a.isMissing[ca] || b.isMissing[cb])
        }
        codes[r] = k
      }
      return KeyCodes(codes: codes, groupCount: firstRows.count, firstRows: firstRows, isMissing: isMissing)
    }
    // Counting sort by `a`, carrying each row's `b` code along in the scatter pass so
    // that the stamp pass below reads it sequentially: reading `b.codes[row]` in bucket
    // order instead is a cache miss per row and took 80% of the time on 10M rows.
    var offsets = [Int](repeating: 0, count: na + 1)
    for k in a.codes { offsets[Int(k) + 1] &+= 1 }
    for k in 0..<na { offsets[k + 1] &+= offsets[k] }
    var next = offsets
    var sortedRows = [Int32](repeating: 0, count: n)
    var sortedB = [Int32](repeating: 0, count: n)
    for r in 0..<n {
      let ca = Int(a.codes[r])
      let p = next[ca]
      sortedRows[p] = Int32(truncatingIfNeeded: r)
      sortedB[p] = b.codes[r]
      next[ca] = p &+ 1
    }
    var stampA = [Int32](repeating: -1, count: nb)
    var stampCode = [Int32](repeating: 0, count: nb)
    for ca in 0..<na {
      for p in offsets[ca]..<offsets[ca + 1] {
        let cb = Int(sortedB[p])
        if stampA[cb] != Int32(ca) {
          stampA[cb] = Int32(ca)
          stampCode[cb] = Int32(firstRows.count)
          firstRows.append(Int(sortedRows[p]))
          isMissing.append(a.isMissing[ca] || b.isMissing[cb])
        }
        codes[Int(sortedRows[p])] = stampCode[cb]
      }
    }
    return KeyCodes(codes: codes, groupCount: firstRows.count, firstRows: firstRows, isMissing: isMissing)
  }
}

/// Rows bucketed by a dense code (compressed sparse rows): the rows of code `k` are
/// `rows[offsets[k]..<offsets[k + 1]]`, in increasing row order (a stable counting sort).
struct CSRIndex: Sendable {
  var offsets: [Int]
  var rows: [Int32]

  /// - Complexity: O(codes.count + groupCount), two sequential passes.
  init(codes: [Int32], groupCount: Int) {
    var offsets = [Int](repeating: 0, count: groupCount + 1)
    for k in codes { offsets[Int(k) + 1] &+= 1 }
    for k in 0..<groupCount { offsets[k + 1] &+= offsets[k] }
    var next = offsets
    var rows = [Int32](repeating: 0, count: codes.count)
    for (r, k) in codes.enumerated() {
      let p = next[Int(k)]
      rows[p] = Int32(truncatingIfNeeded: r)
      next[Int(k)] = p &+ 1
    }
    self.offsets = offsets
    self.rows = rows
  }
}

/// An open-addressing map from 64-bit keys to dense codes (linear probing).
///
/// Slots hold `key` and `code + 1` (0 = empty), so no key value is reserved.
struct UInt64CodeTable {
  private var keys: [UInt64]
  private var values: [Int32]
  private var mask: Int
  private var shift: UInt64
  private var count = 0

  init(expected: Int) {
    var cap = 16
    while cap < 2 * expected { cap <<= 1 }
    keys = Array(repeating: 0, count: cap)
    values = Array(repeating: 0, count: cap)
    mask = cap - 1
    shift = UInt64(64 - cap.trailingZeroBitCount)
  }

  /// Fibonacci hashing: the top bits of `key * 2^64/phi` spread sequential ids.
  @inline(__always) private func slot(_ key: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
  }

  /// The code of `key`, inserting it with code `next` when absent.
  mutating func codeInserting(_ key: UInt64, next: Int32) -> (Int32, inserted: Bool) {
    var i = slot(key)
    while values[i] != 0 {
      if keys[i] == key { return (values[i] - 1, false) }
      i = (i + 1) & mask
    }
    keys[i] = key
    values[i] = next + 1
    count += 1
    if 2 * count > mask + 1 { grow() }
    return (next, true)
  }

  /// The code of `key`, or `nil`.
  func code(of key: UInt64) -> Int32? {
    var i = slot(key)
    while values[i] != 0 {
      if keys[i] == key { return values[i] - 1 }
      i = (i + 1) & mask
    }
    return nil
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldValues = values
    let cap = (mask + 1) * 2
    keys = Array(repeating: 0, count: cap)
    values = Array(repeating: 0, count: cap)
    mask = cap - 1
    shift = UInt64(64 - cap.trailingZeroBitCount)
    for (k, v) in zip(oldKeys, oldValues) where v != 0 {
      var i = slot(k)
      while values[i] != 0 { i = (i + 1) & mask }
      keys[i] = k
      values[i] = v
    }
  }
}
