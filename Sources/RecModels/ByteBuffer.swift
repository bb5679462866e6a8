/// Little-endian byte writing and bounds-checked reading: the kernel of model files.
///
/// `ByteWriter` appends fixed-width integers and whole arrays of trivial elements (one
/// `memcpy` per array: the fast path that makes a million-float tensor cost a copy, not a
/// loop). `ByteReader` never reads past its end: every read checks the remaining bytes first
/// and reports how many were wanted, so corrupt lengths cannot trap or allocate absurd sizes.
///
/// Unsafe pointers appear only here, inside scoped `withUnsafe...` closures. Every supported
/// platform (x86-64, arm64) is little-endian; on a big-endian host the array paths swap each
/// element (`#if _endian(big)`), so files stay portable.
struct ByteWriter {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  var count: Int { bytes.count }

  mutating func append(_ byte: UInt8) { bytes.append(byte) }

  /// `v` as `MemoryLayout<T>.size` little-endian bytes.
  mutating func append<T: FixedWidthInteger>(_ v: T) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func append(_ s: String) {
    let utf8 = Array(s.utf8)
    append(UInt64(utf8.count))
    bytes.append(contentsOf: utf8)
  }

  mutating func append(contentsOf other: [UInt8]) { bytes.append(contentsOf: other) }

  /// The raw little-endian bytes of `elements` (trivial types only), one copy.
  mutating func appendRaw<T: BitwiseCopyable>(_ elements: [T]) {
    #if _endian(big)
      for e in elements { withUnsafeBytes(of: e) { bytes.append(contentsOf: $0.reversed()) } }
    #else
      // One copy: appending a raw buffer is a memcpy into the array's grown tail.
      elements.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #endif
  }

  /// Overwrites 8 bytes at `offset` (a length written after its block).
  mutating func patch(_ v: UInt64, at offset: Int) {
    withUnsafeBytes(of: v.littleEndian) { src in
      for i in 0..<8 { bytes[offset + i] = src[i] }
    }
  }
}

/// Why a `ByteReader` stopped: how many bytes a read wanted at which offset, and how many
/// the buffer had left.
struct ShortRead: Error, Equatable {
  var offset: Int
  var wanted: Int
  var available: Int
}

/// A cursor over bytes that checks every read against the end.
struct ByteReader {
  let bytes: [UInt8]
  /// The read position, an offset into `bytes`.
  var offset: Int
  /// One past the last readable byte.
  let end: Int

  init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
    self.bytes = bytes
    self.offset = start
    self.end = end ?? bytes.count
  }

  var remaining: Int { end - offset }
  var isAtEnd: Bool { offset >= end }

  /// Checks that `count` bytes remain (a negative or overflowing count never does).
  func require(_ count: Int) throws(ShortRead) {
    guard count >= 0, count <= remaining else {
      throw ShortRead(offset: offset, wanted: count, available: remaining)
    }
  }

  mutating func readByte() throws(ShortRead) -> UInt8 {
    try require(1)
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func read<T: FixedWidthInteger>(_: T.Type) throws(ShortRead) -> T {
    let n = MemoryLayout<T>.size
    try require(n)
    var v: T = 0
    for i in 0..<n { v |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
    offset += n
    return v
  }

  /// A UInt64 length as an `Int`, checked against the bytes left for `elementSize`-byte
  /// elements before anyone allocates for it.
  mutating func readCount(elementSize: Int) throws(ShortRead) -> Int {
    let at = offset
    let raw = try read(UInt64.self)
    let (bytes, overflow) = Int(clamping: raw).multipliedReportingOverflow(by: max(elementSize, 1))
    guard raw <= UInt64(Int.max), !overflow, bytes <= remaining else {
      throw ShortRead(
        offset: at + 8, wanted: overflow || raw > UInt64(Int.max) ? Int.max : bytes, available: remaining)
    }
    return Int(raw)
  }

  /// The next `count` bytes as a range of `bytes`, skipped over.
  mutating func skip(_ count: Int) throws(ShortRead) -> Range<Int> {
    try require(count)
    defer { offset += count }
    return offset..<(offset + count)
  }

  mutating func readString() throws(ShortRead) -> String {
    let n = try readCount(elementSize: 1)
    let r = try skip(n)
    return String(decoding: bytes[r], as: UTF8.self)
  }

  /// `count` trivial elements from their raw little-endian bytes at `range`, one copy.
  static func rawArray<T: BitwiseCopyable>(_ bytes: [UInt8], _ range: Range<Int>, as _: T.Type) -> [T] {
    let count = range.count / MemoryLayout<T>.stride
    return [T](unsafeUninitializedCapacity: count) { out, initialized in
      bytes.withUnsafeBytes { src in
        guard count > 0, let dst = out.baseAddress, let base = src.baseAddress else { return }
        #if _endian(big)
          for i in 0..<count {
            let w = MemoryLayout<T>.stride
            let e = [UInt8](src[(range.lowerBound + i * w)..<(range.lowerBound + (i + 1) * w)].reversed())
            e.withUnsafeBytes { (dst + i).initialize(to: $0.loadUnaligned(as: T.self)) }
          }
        #else
          UnsafeMutableRawPointer(dst).copyMemory(
            from: base + range.lowerBound, byteCount: count * MemoryLayout<T>.stride)
        #endif
      }
      initialized = count
    }
  }
}
