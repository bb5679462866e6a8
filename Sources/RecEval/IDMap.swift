import RecData

/// A raw id <-> dense index map for users or items.
///
/// Dense indices follow the sorted order of the raw ids (ints numerically, strings by
/// their UTF-8 bytes), so "ties toward the smaller index" means "toward the smaller id",
/// as the shared protocol breaks them, and the map does not depend on row order.
public struct IDMap: Sendable, Equatable {
  /// The raw ids, indexed by dense index.
  public enum Keys: Sendable, Equatable {
    case int([Int])
    case string([String])
  }

  public let keys: Keys
  private let intIndex: [Int: Int32]
  private let stringIndex: [String: Int32]

  /// A map over sorted, distinct integer ids.
  public init(ints: [Int]) {
    let sorted = Array(Set(ints)).sorted()
    keys = .int(sorted)
    var d = [Int: Int32](minimumCapacity: sorted.count)
    for (i, v) in sorted.enumerated() { d[v] = Int32(i) }
    intIndex = d
    stringIndex = [:]
  }

  /// A map over sorted, distinct string ids.
  public init(strings: [String]) {
    let sorted = Array(Set(strings)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    keys = .string(sorted)
    var d = [String: Int32](minimumCapacity: sorted.count)
    for (i, v) in sorted.enumerated() { d[v] = Int32(i) }
    stringIndex = d
    intIndex = [:]
  }

  public static func == (a: IDMap, b: IDMap) -> Bool { a.keys == b.keys }

  /// How many distinct ids.
  public var count: Int {
    switch keys {
    case .int(let k): return k.count
    case .string(let k): return k.count
    }
  }

  /// The dense index of a raw id, or `nil` if the id is unknown.
  public func index(of value: Value) -> Int? {
    switch (keys, value) {
    case (.int, .int(let v)): return intIndex[v].map(Int.init)
    case (.int, .double(let v)):
      guard let i = Int(exactly: v) else { return nil }
      return intIndex[i].map(Int.init)
    case (.string, .string(let s)): return stringIndex[s].map(Int.init)
    case (.string, .int(let v)): return stringIndex[String(v)].map(Int.init)
    default: return nil
    }
  }

  /// The dense index of an id written as text (as in a candidates file), or `nil`.
  public func index(ofText text: Substring) -> Int? {
    switch keys {
    case .int: return Int(text).flatMap { intIndex[$0] }.map(Int.init)
    case .string: return stringIndex[String(text)].map(Int.init)
    }
  }

  /// The raw id at a dense index (`0..<count`, a programmer invariant).
  public func value(at index: Int) -> Value {
    switch keys {
    case .int(let k): return .int(k[index])
    case .string(let k): return .string(k[index])
    }
  }

  /// The raw id at a dense index as text, for messages and files.
  public func text(at index: Int) -> String { value(at: index).description }

  /// The raw ids of `indices` as a column of the map's type.
  public func column(_ indices: [Int32]) -> Column {
    switch keys {
    case .int(let k): return Column(ints: indices.map { k[Int($0)] })
    case .string(let k):
      // Codes index the map's own key list, so the dictionary is shared, not rebuilt.
      return Column(codes: indices, dictionary: k)
    }
  }
}

/// Stored as `{"ints": [...]}` or `{"strings": [...]}` (model files). Decoding checks the ids
/// are sorted and distinct, as `keys` always are, so a decoded map gives every id the index
/// it had when it was written.
extension IDMap: Codable {
  private enum CodingKeys: String, CodingKey {
    case ints, strings
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    if let ints = try c.decodeIfPresent([Int].self, forKey: .ints) {
      if let i = ints.indices.dropLast().first(where: { ints[$0] >= ints[$0 + 1] }) {
        throw DecodingError.dataCorruptedError(
          forKey: .ints, in: c,
          debugDescription: "ids must be sorted and distinct: \(ints[i]) before \(ints[i + 1])")
      }
      self.init(ints: ints)
    } else if let strings = try c.decodeIfPresent([String].self, forKey: .strings) {
      let bad = strings.indices.dropLast().first {
        !strings[$0].utf8.lexicographicallyPrecedes(strings[$0 + 1].utf8)
      }
      if let i = bad {
        throw DecodingError.dataCorruptedError(
          forKey: .strings, in: c,
          debugDescription: "ids must be sorted and distinct: '\(strings[i])' before '\(strings[i + 1])'")
      }
      self.init(strings: strings)
    } else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: c.codingPath, debugDescription: "an id map needs 'ints' or 'strings'"))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    switch keys {
    case .int(let k): try c.encode(k, forKey: .ints)
    case .string(let k): try c.encode(k, forKey: .strings)
    }
  }
}
