/// The wire format of `BinaryStateEncoder` / `BinaryStateDecoder`: one tagged value.
///
///     value    = tag (1 byte) payload
///     null     = 0x00                       false = 0x01      true = 0x02
///     int      = 0x03 Int64 LE              uint  = 0x04 UInt64 LE
///     float    = 0x05 Float32 LE            double = 0x06 Float64 LE
///     string   = 0x07 UInt64 byteCount, UTF-8 bytes
///     keyed    = 0x08 UInt64 count, count x (UInt64 keyBytes, UTF-8 key, value)
///     unkeyed  = 0x09 UInt64 count, count x value
///     block    = tag UInt64 elementCount, elementCount x raw LE element
///                (0x10 Float32, 0x11 Float64, 0x12 Int32, 0x13 Int64 (`[Int]`), 0x14 UInt8
///                 (`[UInt8]`, `Data`), 0x15 Bool as 0/1 bytes)
///
/// Keyed containers carry their key names, so a field added to a model later decodes from
/// old files with `decodeIfPresent` and a default, and unknown fields are ignored. Every
/// signed integer width travels as Int64 and every unsigned one as UInt64; the decoder checks
/// the value fits the requested type. No alignment padding: blocks are read with one
/// unaligned copy.
enum BinaryTag: UInt8 {
  case null = 0x00
  case `false` = 0x01
  case `true` = 0x02
  case int = 0x03
  case uint = 0x04
  case float = 0x05
  case double = 0x06
  case string = 0x07
  case keyed = 0x08
  case unkeyed = 0x09
  case floats = 0x10
  case doubles = 0x11
  case int32s = 0x12
  case ints = 0x13
  case bytes = 0x14
  case bools = 0x15

  /// Bytes per element of a block tag (nil for the other tags).
  var elementSize: Int? {
    switch self {
    case .floats, .int32s: return 4
    case .doubles, .ints: return 8
    case .bytes, .bools: return 1
    default: return nil
    }
  }

  /// How a value of this tag is named in error messages.
  var noun: String {
    switch self {
    case .null: return "nil"
    case .false, .true: return "a Bool"
    case .int: return "a signed integer"
    case .uint: return "an unsigned integer"
    case .float: return "a Float"
    case .double: return "a Double"
    case .string: return "a String"
    case .keyed: return "a keyed container"
    case .unkeyed: return "an unkeyed container"
    case .floats: return "a [Float] block"
    case .doubles: return "a [Double] block"
    case .int32s: return "an [Int32] block"
    case .ints: return "an [Int] block"
    case .bytes: return "a [UInt8] block"
    case .bools: return "a [Bool] block"
    }
  }
}

/// A coding key made from a key name or an index (paths in errors, super keys).
struct BinaryKey: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(stringValue: String) {
    self.stringValue = stringValue
    intValue = nil
  }
  init(intValue: Int) {
    stringValue = "Index \(intValue)"
    self.intValue = intValue
  }
  static let `super` = BinaryKey(stringValue: "super")
}

extension [any CodingKey] {
  /// A path as `a.b[3].c`, for messages.
  var dotted: String {
    var s = ""
    for k in self {
      if let i = k.intValue, k.stringValue.hasPrefix("Index ") {
        s += "[\(i)]"
      } else {
        s += (s.isEmpty ? "" : ".") + k.stringValue
      }
    }
    return s.isEmpty ? "(top level)" : s
  }
}
