import Foundation

/// Decodes a value written by `BinaryStateEncoder`: the state payload of a model file.
///
/// Decoding runs in two steps. First the bytes are parsed into a tree, checking every length
/// against the bytes that remain *before* allocating for it, every tag, UTF-8 and nesting depth
/// (at most `maxDepth`, so a crafted file cannot overflow the stack); blocks stay as ranges of the
/// input. Then the value's `init(from:)` walks the tree, and a block becomes its array with one
/// copy. Corrupt input throws a `DecodingError` whose coding path names the field and whose
/// message says what was expected and what was found; it never traps.
public struct BinaryStateDecoder {
  /// The deepest nesting of containers accepted.
  public static let maxDepth = 200

  public init() {}

  /// Decodes a `T` from `data`; the whole of `data` must be the one value.
  public func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    try decode(type, from: [UInt8](data), range: 0..<data.count)
  }

  /// Decodes a `T` from `bytes[range]` (no copy of the bytes).
  func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], range: Range<Int>) throws -> T {
    var parser = BinaryStateParser(ByteReader(bytes, from: range.lowerBound, to: range.upperBound))
    let root = try parser.parseValue(path: [], depth: 0)
    guard parser.reader.isAtEnd else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: [],
          debugDescription:
            "\(parser.reader.remaining) unexpected bytes after the value, at offset \(parser.reader.offset)"))
    }
    return try BinaryDecoderImpl(node: root, bytes: bytes, codingPath: []).unbox(root, as: T.self, path: [])
  }
}

// MARK: - Parsing

/// A parsed value; blocks are ranges of the input bytes, copied when decoded.
enum DecodedNode {
  case null
  case bool(Bool)
  case int(Int64)
  case uint(UInt64)
  case float(Float)
  case double(Double)
  case string(String)
  case block(BinaryTag, Range<Int>)
  case keyed(keys: [String], values: [String: DecodedNode])
  case unkeyed([DecodedNode])

  /// What this node is, for "expected X, found Y" messages.
  var noun: String {
    switch self {
    case .null: return BinaryTag.null.noun
    case .bool: return BinaryTag.true.noun
    case .int: return BinaryTag.int.noun
    case .uint: return BinaryTag.uint.noun
    case .float: return BinaryTag.float.noun
    case .double: return BinaryTag.double.noun
    case .string: return BinaryTag.string.noun
    case .block(let tag, let r): return "\(tag.noun) of \(r.count / (tag.elementSize ?? 1)) elements"
    case .keyed(let keys, _): return "a keyed container with \(keys.count) fields"
    case .unkeyed(let v): return "an unkeyed container of \(v.count) values"
    }
  }
}

struct BinaryStateParser {
  var reader: ByteReader

  init(_ reader: ByteReader) { self.reader = reader }

  private func corrupt(_ path: [any CodingKey], _ message: String) -> DecodingError {
    DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: message))
  }

  /// Runs a read, turning a short read into a `DecodingError` that says what was being read.
  private mutating func read<T>(
    _ what: String, _ path: [any CodingKey], _ body: (inout ByteReader) throws(ShortRead) -> T
  ) throws -> T {
    do throws(ShortRead) {
      return try body(&reader)
    } catch {
      let wanted = error.wanted == Int.max ? "more than the address space" : "\(error.wanted) bytes"
      throw corrupt(
        path, "truncated: expected \(wanted) for \(what) at offset \(error.offset), \(error.available) remain"
      )
    }
  }

  mutating func parseValue(path: [any CodingKey], depth: Int) throws -> DecodedNode {
    let at = reader.offset
    let raw = try read("a value tag", path) { r throws(ShortRead) in try r.readByte() }
    guard let tag = BinaryTag(rawValue: raw) else {
      throw corrupt(path, "unknown value tag 0x\(String(raw, radix: 16)) at offset \(at)")
    }
    switch tag {
    case .null: return .null
    case .false: return .bool(false)
    case .true: return .bool(true)
    case .int: return .int(try read("an Int64", path) { r throws(ShortRead) in try r.read(Int64.self) })
    case .uint: return .uint(try read("a UInt64", path) { r throws(ShortRead) in try r.read(UInt64.self) })
    case .float:
      return .float(
        Float(bitPattern: try read("a Float", path) { r throws(ShortRead) in try r.read(UInt32.self) }))
    case .double:
      return .double(
        Double(bitPattern: try read("a Double", path) { r throws(ShortRead) in try r.read(UInt64.self) }))
    case .string: return .string(try parseString("a String", path))
    case .floats, .doubles, .int32s, .ints, .bytes, .bools:
      let size = tag.elementSize ?? 1
      let range = try read("\(tag.noun)", path) { r throws(ShortRead) in
        let n = try r.readCount(elementSize: size)
        return try r.skip(n * size)
      }
      if tag == .bools, let bad = reader.bytes[range].firstIndex(where: { $0 > 1 }) {
        throw corrupt(
          path + [BinaryKey(intValue: bad - range.lowerBound)],
          "a Bool must be 0 or 1, found \(reader.bytes[bad]) at offset \(bad)")
      }
      return .block(tag, range)
    case .keyed, .unkeyed:
      guard depth < BinaryStateDecoder.maxDepth else {
        throw corrupt(path, "containers nested deeper than \(BinaryStateDecoder.maxDepth) at offset \(at)")
      }
      // Each entry takes at least one byte, so a count larger than the bytes left is corrupt.
      let count = try read("the size of \(tag.noun)", path) { r throws(ShortRead) in
        try r.readCount(elementSize: 1)
      }
      if tag == .unkeyed {
        var values = [DecodedNode]()
        values.reserveCapacity(count)
        for i in 0..<count {
          values.append(try parseValue(path: path + [BinaryKey(intValue: i)], depth: depth + 1))
        }
        return .unkeyed(values)
      }
      var keys = [String]()
      var values = [String: DecodedNode](minimumCapacity: count)
      keys.reserveCapacity(count)
      for _ in 0..<count {
        let key = try parseString("a key", path)
        let keyPath = path + [BinaryKey(stringValue: key)]
        guard values[key] == nil else { throw corrupt(keyPath, "the key '\(key)' occurs twice") }
        keys.append(key)
        values[key] = try parseValue(path: keyPath, depth: depth + 1)
      }
      return .keyed(keys: keys, values: values)
    }
  }

  private mutating func parseString(_ what: String, _ path: [any CodingKey]) throws -> String {
    let range = try read(what, path) { r throws(ShortRead) in
      let n = try r.readCount(elementSize: 1)
      return try r.skip(n)
    }
    guard let s = String(validating: reader.bytes[range], as: UTF8.self) else {
      throw corrupt(path, "\(what) at offset \(range.lowerBound) is not valid UTF-8")
    }
    return s
  }
}

// MARK: - Decoder and containers

final class BinaryDecoderImpl: Decoder, SingleValueDecodingContainer {
  let node: DecodedNode
  let bytes: [UInt8]
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(node: DecodedNode, bytes: [UInt8], codingPath: [any CodingKey]) {
    self.node = node
    self.bytes = bytes
    self.codingPath = codingPath
  }

  static func mismatch(_ type: Any.Type, _ path: [any CodingKey], _ expected: String, _ found: DecodedNode)
    -> DecodingError
  {
    .typeMismatch(
      type, .init(codingPath: path, debugDescription: "expected \(expected), found \(found.noun)"))
  }

  // MARK: Values

  /// Decodes `T` from `node`: the array fast paths from blocks, then `T(from:)`.
  func unbox<T: Decodable>(_ node: DecodedNode, as type: T.Type, path: [any CodingKey]) throws -> T {
    if case .block(let tag, let range) = node {
      if let v = try unboxBlock(tag, range, as: type, path: path) { return v }
    }
    switch type {
    case _ where type == Float.self: return try float(node, path) as? T ?? fail(type, path)
    case _ where type == Double.self: return try double(node, path) as? T ?? fail(type, path)
    case _ where type == Int.self: return try integer(node, Int.self, path) as? T ?? fail(type, path)
    case _ where type == String.self: return try string(node, path) as? T ?? fail(type, path)
    case _ where type == Bool.self: return try bool(node, path) as? T ?? fail(type, path)
    default: return try T(from: BinaryDecoderImpl(node: node, bytes: bytes, codingPath: path))
    }
  }

  private func fail<T>(_ type: T.Type, _ path: [any CodingKey]) throws -> T {
    throw DecodingError.typeMismatch(
      type, .init(codingPath: path, debugDescription: "internal type mismatch"))
  }

  /// A block decoded as the array type asked for, or nil when `T` is not an array fast path.
  private func unboxBlock<T>(_ tag: BinaryTag, _ range: Range<Int>, as type: T.Type, path: [any CodingKey])
    throws -> T?
  {
    func expect(_ wanted: BinaryTag) throws {
      guard tag == wanted else { throw Self.mismatch(T.self, path, wanted.noun, .block(tag, range)) }
    }
    switch type {
    case _ where type == [Float].self:
      try expect(.floats)
      return ByteReader.rawArray(bytes, range, as: Float.self) as? T
    case _ where type == [Double].self:
      try expect(.doubles)
      return ByteReader.rawArray(bytes, range, as: Double.self) as? T
    case _ where type == [Int32].self:
      try expect(.int32s)
      return ByteReader.rawArray(bytes, range, as: Int32.self) as? T
    case _ where type == [Int].self:
      try expect(.ints)
      if MemoryLayout<Int>.size == 8 { return ByteReader.rawArray(bytes, range, as: Int.self) as? T }
      let wide = ByteReader.rawArray(bytes, range, as: Int64.self)
      guard let bad = wide.firstIndex(where: { Int(exactly: $0) == nil }) else {
        return wide.map { Int($0) } as? T
      }
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: path + [BinaryKey(intValue: bad)], debugDescription: "\(wide[bad]) does not fit an Int")
      )
    case _ where type == [UInt8].self:
      try expect(.bytes)
      return Array(bytes[range]) as? T
    case _ where type == Data.self:
      try expect(.bytes)
      return Data(bytes[range]) as? T
    case _ where type == [Bool].self:
      try expect(.bools)
      // The parser checked every byte is 0 or 1, the only valid Bool bit patterns.
      return ByteReader.rawArray(bytes, range, as: Bool.self) as? T
    default: return nil
    }
  }

  func float(_ node: DecodedNode, _ path: [any CodingKey]) throws -> Float {
    guard case .float(let v) = node else { throw Self.mismatch(Float.self, path, "a Float", node) }
    return v
  }

  func double(_ node: DecodedNode, _ path: [any CodingKey]) throws -> Double {
    switch node {
    case .double(let v): return v
    case .float(let v): return Double(v)
    default: throw Self.mismatch(Double.self, path, "a Double", node)
    }
  }

  func string(_ node: DecodedNode, _ path: [any CodingKey]) throws -> String {
    guard case .string(let v) = node else { throw Self.mismatch(String.self, path, "a String", node) }
    return v
  }

  func bool(_ node: DecodedNode, _ path: [any CodingKey]) throws -> Bool {
    guard case .bool(let v) = node else { throw Self.mismatch(Bool.self, path, "a Bool", node) }
    return v
  }

  func integer<I: FixedWidthInteger>(_ node: DecodedNode, _ type: I.Type, _ path: [any CodingKey]) throws -> I
  {
    let value: I?
    let text: String
    switch node {
    case .int(let v): (value, text) = (I(exactly: v), String(v))
    case .uint(let v): (value, text) = (I(exactly: v), String(v))
    default: throw Self.mismatch(I.self, path, "an integer", node)
    }
    guard let value else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: path, debugDescription: "\(text) does not fit \(I.self) (\(I.min)...\(I.max))"))
    }
    return value
  }

  // MARK: Decoder

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .keyed(let keys, let values) = node else {
      throw Self.mismatch(KeyedDecodingContainer<Key>.self, codingPath, "a keyed container", node)
    }
    return KeyedDecodingContainer(KeyedDecoder<Key>(decoder: self, keys: keys, values: values))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try UnkeyedDecoder(decoder: self, values: elements(of: node, codingPath))
  }

  /// The elements of an unkeyed node, or of a block seen as an array of scalars.
  func elements(of node: DecodedNode, _ path: [any CodingKey]) throws -> [DecodedNode] {
    switch node {
    case .unkeyed(let v): return v
    case .block(.floats, let r): return ByteReader.rawArray(bytes, r, as: Float.self).map { .float($0) }
    case .block(.doubles, let r): return ByteReader.rawArray(bytes, r, as: Double.self).map { .double($0) }
    case .block(.int32s, let r): return ByteReader.rawArray(bytes, r, as: Int32.self).map { .int(Int64($0)) }
    case .block(.ints, let r): return ByteReader.rawArray(bytes, r, as: Int64.self).map { .int($0) }
    case .block(.bytes, let r): return bytes[r].map { .uint(UInt64($0)) }
    case .block(.bools, let r): return bytes[r].map { .bool($0 == 1) }
    default: throw Self.mismatch([Any].self, path, "an unkeyed container", node)
    }
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

  // MARK: SingleValueDecodingContainer

  func decodeNil() -> Bool {
    if case .null = node { return true }
    return false
  }
  func decode(_ type: Bool.Type) throws -> Bool { try bool(node, codingPath) }
  func decode(_ type: String.Type) throws -> String { try string(node, codingPath) }
  func decode(_ type: Double.Type) throws -> Double { try double(node, codingPath) }
  func decode(_ type: Float.Type) throws -> Float { try float(node, codingPath) }
  func decode(_ type: Int.Type) throws -> Int { try integer(node, type, codingPath) }
  func decode(_ type: Int8.Type) throws -> Int8 { try integer(node, type, codingPath) }
  func decode(_ type: Int16.Type) throws -> Int16 { try integer(node, type, codingPath) }
  func decode(_ type: Int32.Type) throws -> Int32 { try integer(node, type, codingPath) }
  func decode(_ type: Int64.Type) throws -> Int64 { try integer(node, type, codingPath) }
  func decode(_ type: UInt.Type) throws -> UInt { try integer(node, type, codingPath) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(node, type, codingPath) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(node, type, codingPath) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(node, type, codingPath) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(node, type, codingPath) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(node, as: type, path: codingPath) }
}

struct KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let decoder: BinaryDecoderImpl
  let keys: [String]
  let values: [String: DecodedNode]
  var codingPath: [any CodingKey] { decoder.codingPath }

  var allKeys: [Key] { keys.compactMap { Key(stringValue: $0) } }
  func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

  private func entry(_ key: Key) throws -> DecodedNode {
    guard let node = values[key.stringValue] else {
      let present = keys.isEmpty ? "none" : keys.joined(separator: ", ")
      throw DecodingError.keyNotFound(
        key,
        .init(
          codingPath: codingPath,
          debugDescription: "no field '\(key.stringValue)' (fields present: \(present))")
      )
    }
    return node
  }

  private func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

  func decodeNil(forKey key: Key) throws -> Bool {
    if case .null = try entry(key) { return true }
    return false
  }
  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.bool(entry(key), path(key)) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String {
    try decoder.string(entry(key), path(key))
  }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
    try decoder.double(entry(key), path(key))
  }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
    try decoder.float(entry(key), path(key))
  }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
    try decoder.integer(entry(key), type, path(key))
  }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try decoder.unbox(entry(key), as: type, path: path(key))
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try BinaryDecoderImpl(node: entry(key), bytes: decoder.bytes, codingPath: path(key)).container(
      keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try BinaryDecoderImpl(node: entry(key), bytes: decoder.bytes, codingPath: path(key)).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder {
    guard let node = values[BinaryKey.super.stringValue] else {
      throw DecodingError.keyNotFound(
        BinaryKey.super, .init(codingPath: codingPath, debugDescription: "no superclass field 'super'"))
    }
    return BinaryDecoderImpl(node: node, bytes: decoder.bytes, codingPath: codingPath + [BinaryKey.super])
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    BinaryDecoderImpl(node: try entry(key), bytes: decoder.bytes, codingPath: path(key))
  }
}

struct UnkeyedDecoder: UnkeyedDecodingContainer {
  let decoder: BinaryDecoderImpl
  let values: [DecodedNode]
  var currentIndex = 0
  var codingPath: [any CodingKey] { decoder.codingPath }
  var count: Int? { values.count }
  var isAtEnd: Bool { currentIndex >= values.count }

  init(decoder: BinaryDecoderImpl, values: [DecodedNode]) {
    self.decoder = decoder
    self.values = values
  }

  private var path: [any CodingKey] { codingPath + [BinaryKey(intValue: currentIndex)] }

  /// The next element (consumed only when `body` succeeds, as the protocol asks).
  private mutating func next<T>(
    _ type: T.Type, _ body: (DecodedNode, [any CodingKey], BinaryDecoderImpl) throws -> T
  ) throws -> T {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        type,
        .init(codingPath: path, debugDescription: "the unkeyed container has only \(values.count) elements"))
    }
    let v = try body(values[currentIndex], path, decoder)
    currentIndex += 1
    return v
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Any?.self,
        .init(codingPath: path, debugDescription: "the unkeyed container has only \(values.count) elements"))
    }
    if case .null = values[currentIndex] {
      currentIndex += 1
      return true
    }
    return false
  }
  mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try $2.bool($0, $1) } }
  mutating func decode(_ type: String.Type) throws -> String { try next(type) { try $2.string($0, $1) } }
  mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try $2.double($0, $1) } }
  mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try $2.float($0, $1) } }
  mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try $2.integer($0, type, $1) } }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try $2.integer($0, type, $1) } }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try $2.integer($0, type, $1) } }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try $2.integer($0, type, $1) } }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try $2.integer($0, type, $1) } }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try $2.integer($0, type, $1) } }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try $2.integer($0, type, $1) } }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
    try next(type) { try $2.integer($0, type, $1) }
  }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
    try next(type) { try $2.integer($0, type, $1) }
  }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
    try next(type) { try $2.integer($0, type, $1) }
  }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try next(type) { try $2.unbox($0, as: type, path: $1) }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try next(KeyedDecodingContainer<NestedKey>.self) {
      try BinaryDecoderImpl(node: $0, bytes: $2.bytes, codingPath: $1).container(keyedBy: type)
    }
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try next((any UnkeyedDecodingContainer).self) {
      try BinaryDecoderImpl(node: $0, bytes: $2.bytes, codingPath: $1).unkeyedContainer()
    }
  }

  mutating func superDecoder() throws -> any Decoder {
    try next((any Decoder).self) { BinaryDecoderImpl(node: $0, bytes: $2.bytes, codingPath: $1) }
  }
}
