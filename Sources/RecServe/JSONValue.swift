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

  /// UTF-8 JSON text with keys sorted by their UTF-8 bytes, so equal values give equal bytes
  /// (tests compare exact text). Integral numbers print without a fraction (`"rank":1`).
  ///
  /// Written by hand rather than through `JSONEncoder`: under load, Foundation's encoder spent
  /// more CPU per `/v1/recommend` answer (generic `Encodable` dispatch, metadata lookups, one
  /// container per value) than scoring 3,706 items did: 28% of the server's CPU in a profile.
  /// With `indent > 0`, one element or member per line, nested `indent` more spaces per level
  /// (`"key": value`), for people to read.
  func encoded(indent: Int = 0) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(256)
    write(to: &out, indent: indent, level: 0)
    return out
  }

  /// A new line and `level * indent` spaces (nothing when compact).
  private static func newline(_ out: inout [UInt8], indent: Int, level: Int) {
    guard indent > 0 else { return }
    out.append(0x0A)
    out += repeatElement(UInt8(ascii: " "), count: indent * level)
  }

  private func write(to out: inout [UInt8], indent: Int, level: Int) {
    switch self {
    case .null: out += "null".utf8
    case .bool(let b): out += (b ? "true" : "false").utf8
    case .number(let x):
      if !x.isFinite {
        out += "null".utf8
      } else if x == x.rounded(), abs(x) < 1e15 {
        out += String(Int64(x)).utf8
      } else {
        out += x.description.utf8
      }
    case .string(let s): Self.writeString(s, to: &out)
    case .array(let a):
      out.append(UInt8(ascii: "["))
      for (n, v) in a.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        Self.newline(&out, indent: indent, level: level + 1)
        v.write(to: &out, indent: indent, level: level + 1)
      }
      if !a.isEmpty { Self.newline(&out, indent: indent, level: level) }
      out.append(UInt8(ascii: "]"))
    case .object(let o):
      out.append(UInt8(ascii: "{"))
      for (n, key) in o.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        Self.newline(&out, indent: indent, level: level + 1)
        Self.writeString(key, to: &out)
        out += indent > 0 ? [UInt8(ascii: ":"), UInt8(ascii: " ")] : [UInt8(ascii: ":")]
        o[key]?.write(to: &out, indent: indent, level: level + 1)
      }
      if !o.isEmpty { Self.newline(&out, indent: indent, level: level) }
      out.append(UInt8(ascii: "}"))
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// A JSON string: `"` and `\` escaped, control characters as `\n`-style or `\u00XX`
  /// escapes, everything else (including `/` and non-ASCII) as its UTF-8 bytes.
  private static func writeString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
      case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
      case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
      case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
      case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
      case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
      case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
      case 0..<0x20: out += Array("\\u00".utf8) + [hexDigits[Int(b >> 4)], hexDigits[Int(b & 15)]]
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Parses UTF-8 JSON text.
  /// - Throws: `DecodingError` from Foundation's parser; its `dataCorrupted` context carries the
  ///   position of a syntax error (`around line 1, column 12`).
  static func parse(_ data: Data) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: data)
  }
}

extension JSONValue: Decodable {
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
}
