import Foundation

/// A JSON document as a tree: what the service writes (every response body) and how it reads
/// request bodies.
///
/// Why a tree and not `Codable` structs: responses carry free-form maps (item metadata, model
/// options, error details) whose keys must appear verbatim (`release_date`, `ndcg@10`), and
/// non-finite scores must become `null` rather than make the encoder throw; request bodies must
/// be checked field by field so a 400 can name the exact field, its expected type and what was
/// found, and reject unknown fields — a derived `Decodable` would silently ignore a misspelt
/// `"histroy"`.
enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// A number, or `null` when `x` is NaN or infinite (JSON has no spelling for them).
  static func finite(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }

  /// A string map as an object.
  static func strings(_ map: [String: String]) -> JSONValue { .object(map.mapValues { .string($0) }) }

  /// The name of this value's JSON type, for error messages (`expected string, found number`).
  var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .number: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  /// UTF-8 JSON text with sorted keys, so equal values give equal bytes (tests compare exact text).
  func encoded() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Cannot throw: every number is finite (`finite(_:)`) and every key is a string.
    return (try? encoder.encode(self)) ?? Data("null".utf8)
  }

  /// Parses UTF-8 JSON text.
  /// - Throws: `DecodingError` from Foundation's parser; its `dataCorrupted` context carries the
  ///   position of a syntax error (`around line 1, column 12`).
  static func parse(_ data: Data) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: data)
  }
}

extension JSONValue: Codable {
  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      // Bool before Double: Foundation on Linux does not decode `1` as `true` or `true` as 1, but
      // trying Bool first keeps that true on every platform.
      self = .bool(b)
    } else if let x = try? container.decode(Double.self) {
      self = .number(x)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let b): try container.encode(b)
    case .number(let x):
      // Integral values print without a fraction (`"rank":1`, not `1.0`).
      if x == x.rounded(), abs(x) < 1e15 { try container.encode(Int64(x)) } else { try container.encode(x) }
    case .string(let s): try container.encode(s)
    case .array(let a): try container.encode(a)
    case .object(let o): try container.encode(o)
    }
  }
}
