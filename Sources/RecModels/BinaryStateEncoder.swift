import Foundation

/// Encodes a model's state (any `Encodable`) to the compact binary form of
/// `BinaryStateFormat.swift`: the state payload of a model file.
///
/// Written by hand because neither Foundation coder fits tensors: `JSONEncoder` prints every
/// float as decimal text (about 10x the bytes of the raw float, and slow to format and parse),
/// and `PropertyListEncoder` boxes every float in its own object. Here `[Float]`, `[Double]`,
/// `[Int32]`, `[Int]`, `[UInt8]` (and `Data`) and `[Bool]` are written as one length and a raw
/// little-endian block, one `memcpy` each, wherever they appear in the value; everything else
/// takes the structured form (keyed containers by key name, so fields can be added later).
///
/// Shared references are written once per reference (a parameter tied between two layers is
/// saved twice and loads as two copies).
public struct BinaryStateEncoder {
  public init() {}

  /// The encoded bytes of `value`.
  public func encode<T: Encodable>(_ value: T) throws -> Data {
    Data(try encodeBytes(value))
  }

  /// The encoded bytes of `value`, as an array.
  func encodeBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
    let node = try EncodingTree.box(value, codingPath: [])
    var w = ByteWriter(capacity: node.byteEstimate)
    node.write(into: &w)
    return w.bytes
  }
}

// MARK: - The tree an encoding builds before it is written

/// Where an `Encoder` puts its value; filled when the value requests a container.
final class EncodingSlot {
  var node: EncodedNode?
}

/// A keyed container under construction: keys in first-encoded order, the last value wins.
final class KeyedNode {
  var keys: [String] = []
  var values: [EncodedNode] = []
  private var position: [String: Int] = [:]

  func set(_ key: String, _ node: EncodedNode) {
    if let i = position[key] {
      values[i] = node
    } else {
      position[key] = keys.count
      keys.append(key)
      values.append(node)
    }
  }
}

final class UnkeyedNode {
  var values: [EncodedNode] = []
}

/// One encoded value. Arrays of trivial elements are held as the caller's own array (no copy
/// until they are written); containers are reference nodes that containers keep appending to.
enum EncodedNode {
  case null
  case bool(Bool)
  case int(Int64)
  case uint(UInt64)
  case float(Float)
  case double(Double)
  case string(String)
  case floats([Float])
  case doubles([Double])
  case int32s([Int32])
  case ints([Int])
  case bytes([UInt8])
  case bools([Bool])
  case keyed(KeyedNode)
  case unkeyed(UnkeyedNode)
  /// A value a nested encoder (`superEncoder`) fills in later.
  case slot(EncodingSlot)

  /// About how many bytes `write` produces (to reserve the output once).
  var byteEstimate: Int {
    switch self {
    case .floats(let a): return 9 + 4 * a.count
    case .doubles(let a): return 9 + 8 * a.count
    case .int32s(let a): return 9 + 4 * a.count
    case .ints(let a): return 9 + 8 * a.count
    case .bytes(let a): return 9 + a.count
    case .bools(let a): return 9 + a.count
    case .string(let s): return 9 + s.utf8.count
    case .keyed(let k):
      return 9 + zip(k.keys, k.values).reduce(0) { $0 + 8 + $1.0.utf8.count + $1.1.byteEstimate }
    case .unkeyed(let u): return 9 + u.values.reduce(0) { $0 + $1.byteEstimate }
    case .slot(let s): return s.node?.byteEstimate ?? 9
    default: return 9
    }
  }

  func write(into w: inout ByteWriter) {
    switch self {
    case .null: w.append(BinaryTag.null.rawValue)
    case .bool(let b): w.append((b ? BinaryTag.true : .false).rawValue)
    case .int(let v):
      w.append(BinaryTag.int.rawValue)
      w.append(v)
    case .uint(let v):
      w.append(BinaryTag.uint.rawValue)
      w.append(v)
    case .float(let v):
      w.append(BinaryTag.float.rawValue)
      w.append(v.bitPattern)
    case .double(let v):
      w.append(BinaryTag.double.rawValue)
      w.append(v.bitPattern)
    case .string(let s):
      w.append(BinaryTag.string.rawValue)
      w.append(s)
    case .floats(let a): EncodedNode.block(.floats, a, into: &w)
    case .doubles(let a): EncodedNode.block(.doubles, a, into: &w)
    case .int32s(let a): EncodedNode.block(.int32s, a, into: &w)
    case .ints(let a):
      if MemoryLayout<Int>.size == 8 {
        EncodedNode.block(.ints, a, into: &w)
      } else {
        EncodedNode.block(.ints, a.map { Int64($0) }, into: &w)
      }
    case .bytes(let a): EncodedNode.block(.bytes, a, into: &w)
    // Swift stores a Bool as one byte, 0 or 1: the raw block is the 0/1 bytes.
    case .bools(let a): EncodedNode.block(.bools, a, into: &w)
    case .keyed(let k):
      w.append(BinaryTag.keyed.rawValue)
      w.append(UInt64(k.keys.count))
      for (key, value) in zip(k.keys, k.values) {
        w.append(key)
        value.write(into: &w)
      }
    case .unkeyed(let u):
      w.append(BinaryTag.unkeyed.rawValue)
      w.append(UInt64(u.values.count))
      for value in u.values { value.write(into: &w) }
    case .slot(let s): (s.node ?? .keyed(KeyedNode())).write(into: &w)
    }
  }

  private static func block<T: BitwiseCopyable>(_ tag: BinaryTag, _ a: [T], into w: inout ByteWriter) {
    w.append(tag.rawValue)
    w.append(UInt64(a.count))
    w.appendRaw(a)
  }
}

// MARK: - Encoder and containers

enum EncodingTree {
  /// The node for `value`: the fast paths by dynamic type first, then the value's own `encode`.
  static func box<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> EncodedNode {
    // Exact type tests, not `as?` casts: an empty `[Double]` casts to `[Float]` (element-wise
    // array casts succeed on no elements), and would be written as the wrong block.
    let t = T.self
    if t == [Float].self, let a = value as? [Float] { return .floats(a) }
    if t == [Double].self, let a = value as? [Double] { return .doubles(a) }
    if t == [Int32].self, let a = value as? [Int32] { return .int32s(a) }
    if t == [Int].self, let a = value as? [Int] { return .ints(a) }
    if t == [UInt8].self, let a = value as? [UInt8] { return .bytes(a) }
    if t == [Bool].self, let a = value as? [Bool] { return .bools(a) }
    if t == Data.self, let d = value as? Data { return .bytes([UInt8](d)) }
    if t == Float.self, let v = value as? Float { return .float(v) }
    if t == Double.self, let v = value as? Double { return .double(v) }
    if t == Int.self, let v = value as? Int { return .int(Int64(v)) }
    if t == String.self, let v = value as? String { return .string(v) }
    if t == Bool.self, let v = value as? Bool { return .bool(v) }
    let encoder = BinaryEncoderImpl(codingPath: codingPath)
    try value.encode(to: encoder)
    // A value that encoded nothing is an empty keyed container (JSONEncoder writes `{}`).
    return encoder.slot.node ?? .keyed(KeyedNode())
  }

  static func signed<T: FixedWidthInteger & SignedInteger>(_ v: T) -> EncodedNode { .int(Int64(v)) }
  static func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ v: T) -> EncodedNode { .uint(UInt64(v)) }
}

final class BinaryEncoderImpl: Encoder, SingleValueEncodingContainer {
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }
  let slot = EncodingSlot()

  init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    // Asking twice (a subclass and its superclass) shares one container.
    if case .keyed(let k)? = slot.node {
      return KeyedEncodingContainer(KeyedEncoder<Key>(node: k, codingPath: codingPath))
    }
    let k = KeyedNode()
    slot.node = .keyed(k)
    return KeyedEncodingContainer(KeyedEncoder<Key>(node: k, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .unkeyed(let u)? = slot.node { return UnkeyedEncoder(node: u, codingPath: codingPath) }
    let u = UnkeyedNode()
    slot.node = .unkeyed(u)
    return UnkeyedEncoder(node: u, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { self }

  // SingleValueEncodingContainer
  func encodeNil() throws { slot.node = .null }
  func encode(_ v: Bool) throws { slot.node = .bool(v) }
  func encode(_ v: String) throws { slot.node = .string(v) }
  func encode(_ v: Double) throws { slot.node = .double(v) }
  func encode(_ v: Float) throws { slot.node = .float(v) }
  func encode(_ v: Int) throws { slot.node = EncodingTree.signed(v) }
  func encode(_ v: Int8) throws { slot.node = EncodingTree.signed(v) }
  func encode(_ v: Int16) throws { slot.node = EncodingTree.signed(v) }
  func encode(_ v: Int32) throws { slot.node = EncodingTree.signed(v) }
  func encode(_ v: Int64) throws { slot.node = EncodingTree.signed(v) }
  func encode(_ v: UInt) throws { slot.node = EncodingTree.unsigned(v) }
  func encode(_ v: UInt8) throws { slot.node = EncodingTree.unsigned(v) }
  func encode(_ v: UInt16) throws { slot.node = EncodingTree.unsigned(v) }
  func encode(_ v: UInt32) throws { slot.node = EncodingTree.unsigned(v) }
  func encode(_ v: UInt64) throws { slot.node = EncodingTree.unsigned(v) }
  func encode<T: Encodable>(_ value: T) throws {
    slot.node = try EncodingTree.box(value, codingPath: codingPath)
  }
}

struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: KeyedNode
  let codingPath: [any CodingKey]

  mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, .null) }
  mutating func encode(_ v: Bool, forKey key: Key) throws { node.set(key.stringValue, .bool(v)) }
  mutating func encode(_ v: String, forKey key: Key) throws { node.set(key.stringValue, .string(v)) }
  mutating func encode(_ v: Double, forKey key: Key) throws { node.set(key.stringValue, .double(v)) }
  mutating func encode(_ v: Float, forKey key: Key) throws { node.set(key.stringValue, .float(v)) }
  mutating func encode(_ v: Int, forKey key: Key) throws { node.set(key.stringValue, EncodingTree.signed(v)) }
  mutating func encode(_ v: Int8, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.signed(v))
  }
  mutating func encode(_ v: Int16, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.signed(v))
  }
  mutating func encode(_ v: Int32, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.signed(v))
  }
  mutating func encode(_ v: Int64, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.signed(v))
  }
  mutating func encode(_ v: UInt, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.unsigned(v))
  }
  mutating func encode(_ v: UInt8, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.unsigned(v))
  }
  mutating func encode(_ v: UInt16, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.unsigned(v))
  }
  mutating func encode(_ v: UInt32, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.unsigned(v))
  }
  mutating func encode(_ v: UInt64, forKey key: Key) throws {
    node.set(key.stringValue, EncodingTree.unsigned(v))
  }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    node.set(key.stringValue, try EncodingTree.box(value, codingPath: codingPath + [key]))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    let k = KeyedNode()
    node.set(key.stringValue, .keyed(k))
    return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: k, codingPath: codingPath + [key]))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    let u = UnkeyedNode()
    node.set(key.stringValue, .unkeyed(u))
    return UnkeyedEncoder(node: u, codingPath: codingPath + [key])
  }

  mutating func superEncoder() -> any Encoder { superEncoder(key: BinaryKey.super) }
  mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(key: key) }

  private func superEncoder(key: any CodingKey) -> any Encoder {
    let e = BinaryEncoderImpl(codingPath: codingPath + [key])
    node.set(key.stringValue, .slot(e.slot))
    return e
  }
}

struct UnkeyedEncoder: UnkeyedEncodingContainer {
  let node: UnkeyedNode
  let codingPath: [any CodingKey]
  var count: Int { node.values.count }

  private var nextPath: [any CodingKey] { codingPath + [BinaryKey(intValue: count)] }

  mutating func encodeNil() throws { node.values.append(.null) }
  mutating func encode(_ v: Bool) throws { node.values.append(.bool(v)) }
  mutating func encode(_ v: String) throws { node.values.append(.string(v)) }
  mutating func encode(_ v: Double) throws { node.values.append(.double(v)) }
  mutating func encode(_ v: Float) throws { node.values.append(.float(v)) }
  mutating func encode(_ v: Int) throws { node.values.append(EncodingTree.signed(v)) }
  mutating func encode(_ v: Int8) throws { node.values.append(EncodingTree.signed(v)) }
  mutating func encode(_ v: Int16) throws { node.values.append(EncodingTree.signed(v)) }
  mutating func encode(_ v: Int32) throws { node.values.append(EncodingTree.signed(v)) }
  mutating func encode(_ v: Int64) throws { node.values.append(EncodingTree.signed(v)) }
  mutating func encode(_ v: UInt) throws { node.values.append(EncodingTree.unsigned(v)) }
  mutating func encode(_ v: UInt8) throws { node.values.append(EncodingTree.unsigned(v)) }
  mutating func encode(_ v: UInt16) throws { node.values.append(EncodingTree.unsigned(v)) }
  mutating func encode(_ v: UInt32) throws { node.values.append(EncodingTree.unsigned(v)) }
  mutating func encode(_ v: UInt64) throws { node.values.append(EncodingTree.unsigned(v)) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    node.values.append(try EncodingTree.box(value, codingPath: nextPath))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    let k = KeyedNode()
    let path = nextPath
    node.values.append(.keyed(k))
    return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: k, codingPath: path))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    let u = UnkeyedNode()
    let path = nextPath
    node.values.append(.unkeyed(u))
    return UnkeyedEncoder(node: u, codingPath: path)
  }

  mutating func superEncoder() -> any Encoder {
    let e = BinaryEncoderImpl(codingPath: nextPath)
    node.values.append(.slot(e.slot))
    return e
  }
}
