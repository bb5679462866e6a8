/// CRC-32C (Castagnoli), the checksum that ends every model file.
///
/// Chosen over a 64-bit FNV-1a for the file because a CRC detects every error burst of up to
/// 32 bits (so every single-byte flip) by construction, and the slicing-by-8 form below runs
/// at well over a gigabyte per second in plain Swift: FNV-1a's one multiply per byte is a
/// dependent chain of about 4 cycles per byte, which would cap saving and loading near
/// 700 MB/s. `CRC32C.reference` is the bitwise definition the fast version is tested against.
/// Check value: `CRC32C.checksum("123456789".utf8) == 0xE306_9283`.
enum CRC32C {
  /// The reflected Castagnoli polynomial.
  static let polynomial: UInt32 = 0x82F6_3B78

  /// `table[k * 256 + b]`: the CRC of byte `b` followed by `k` zero bytes (slicing-by-8, Intel
  /// 2006), flat so one buffer pointer reaches all eight slices.
  static let table: [UInt32] = {
    var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
    for b in 0..<256 {
      var c = UInt32(b)
      for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ polynomial : c >> 1 }
      t[0][b] = c
    }
    for k in 1..<8 {
      for b in 0..<256 { t[k][b] = (t[k - 1][b] >> 8) ^ t[0][Int(t[k - 1][b] & 0xFF)] }
    }
    return t.flatMap { $0 }
  }()

  /// The CRC-32C of `bytes[range]`, continuing from `crc` (0 to start).
  static func checksum(_ bytes: [UInt8], _ range: Range<Int>, continuing crc: UInt32 = 0) -> UInt32 {
    var c = ~crc
    bytes.withUnsafeBytes { raw in
      table.withUnsafeBufferPointer { t in
        var i = range.lowerBound
        let end = range.upperBound
        // Eight bytes per step: one unaligned 64-bit load, eight independent table lookups.
        while i &+ 8 <= end {
          let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ UInt64(c)
          c =
            t[7 &* 256 &+ Int(w & 0xFF)] ^ t[6 &* 256 &+ Int((w >> 8) & 0xFF)]
            ^ t[5 &* 256 &+ Int((w >> 16) & 0xFF)] ^ t[4 &* 256 &+ Int((w >> 24) & 0xFF)]
            ^ t[3 &* 256 &+ Int((w >> 32) & 0xFF)] ^ t[2 &* 256 &+ Int((w >> 40) & 0xFF)]
            ^ t[1 &* 256 &+ Int((w >> 48) & 0xFF)] ^ t[Int(w >> 56)]
          i &+= 8
        }
        while i < end {
          c = (c >> 8) ^ t[Int((c ^ UInt32(raw[i])) & 0xFF)]
          i &+= 1
        }
      }
    }
    return ~c
  }

  static func checksum<S: Sequence<UInt8>>(_ bytes: S) -> UInt32 {
    let a = Array(bytes)
    return checksum(a, 0..<a.count)
  }

  /// The bitwise definition, one bit at a time: what `checksum` must equal.
  static func reference(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var c: UInt32 = ~0
    for b in bytes {
      c ^= UInt32(b)
      for _ in 0..<8 { c = c & 1 == 1 ? (c >> 1) ^ polynomial : c >> 1 }
    }
    return ~c
  }
}

/// 64-bit FNV-1a (Fowler, Noll, Vo): a stable, dependency-free hash for fingerprints.
struct FNV1a64 {
  static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
  static let prime: UInt64 = 0x0000_0100_0000_01B3
  private(set) var value = offsetBasis

  mutating func combine(_ byte: UInt8) {
    value = (value ^ UInt64(byte)) &* FNV1a64.prime
  }

  /// The little-endian bytes of `v`, so the hash is the same on every host.
  mutating func combine<T: FixedWidthInteger>(_ v: T) {
    var x = v.littleEndian
    withUnsafeBytes(of: &x) { for b in $0 { combine(b) } }
  }

  mutating func combine(_ values: [Int32]) {
    for v in values { combine(v) }
  }

  /// The hash as 16 lowercase hex digits.
  var hex: String {
    let s = String(value, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
  }
}
