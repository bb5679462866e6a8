/// Why a model file could not be written or read, with the facts its message needs.
public enum ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file could not be opened, read, written or renamed (the system's reason).
  case io(path: String, operation: String, reason: String)
  /// The file does not start with the Recbook magic; `firstBytes` are its first bytes (up to 16).
  case notAModelFile(path: String, firstBytes: [UInt8])
  /// Written by a newer format version than this build reads.
  case newerVersion(found: UInt32, supported: UInt32)
  /// The file ends inside `block`: it needed `expected` bytes at `offset`, the file has `fileSize`.
  case truncated(block: String, offset: Int, expected: Int, fileSize: Int)
  /// The stored checksum of `region` differs from the one computed over the bytes read.
  case checksumMismatch(region: String, stored: UInt32, computed: UInt32)
  /// The JSON header does not parse, or holds impossible values.
  case badHeader(String)
  /// The header names a model type this build does not know (or cannot load).
  case unknownModelType(String, known: [String])
  /// The model type exists but its models cannot be saved (not `Codable`).
  case notPersistable(type: String)
  /// The model's state could not be encoded (its `encode(to:)` threw).
  case unencodableState(type: String, reason: String)
  /// The state payload does not decode as the model type; `path` is the field (`itemFactors`).
  case undecodableState(type: String, path: String, reason: String)
  /// The framing is inconsistent though the checksum matched (a file written by a buggy or
  /// hostile writer): seen-items offsets out of order, trailing bytes, and the like.
  case corrupt(String)

  public var description: String {
    switch self {
    case .io(let path, let operation, let reason):
      return "cannot \(operation) '\(path)': \(reason)"
    case .notAModelFile(let path, let first):
      let hex = first.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: " ")
      let text = String(
        decoding: first.map { (32..<127).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
      return first.isEmpty
        ? "'\(path)' is not a Recbook model file: it is empty"
        : "'\(path)' is not a Recbook model file: it starts with \(hex) (\"\(text)\"), not RECBOOK"
    case .newerVersion(let found, let supported):
      return
        "the model file was written by a newer Recbook (format version \(found)); this build reads "
        + "format versions up to \(supported): upgrade recbook"
    case .truncated(let block, let offset, let expected, let size):
      return
        "the model file is truncated: expected \(expected) bytes for the \(block) at offset \(offset), "
        + "the file has \(size) bytes"
    case .checksumMismatch(let region, let stored, let computed):
      return
        "checksum mismatch over \(region): stored \(hex32(stored)), computed \(hex32(computed)): "
        + "the file is corrupt"
    case .badHeader(let reason): return "bad model file header: \(reason)"
    case .unknownModelType(let type, let known):
      return
        "unknown model type '\(type)' in the model file; this build loads: \(known.joined(separator: ", "))"
    case .notPersistable(let type): return "models of type '\(type)' cannot be saved to a file yet"
    case .unencodableState(let type, let reason):
      return "cannot encode the state of the '\(type)' model: \(reason)"
    case .undecodableState(let type, let path, let reason):
      return "the state of the '\(type)' model does not decode at \(path): \(reason)"
    case .corrupt(let reason): return "the model file is corrupt: \(reason)"
    }
  }
}

private func hex32(_ v: UInt32) -> String {
  let s = String(v, radix: 16)
  return "0x" + String(repeating: "0", count: 8 - s.count) + s
}

extension ModelFileError {
  /// The field path and reason of a decoding error, for `undecodableState`.
  static func state(type: String, _ error: any Error) -> ModelFileError {
    func parts(_ c: DecodingError.Context) -> (String, String) { (c.codingPath.dotted, c.debugDescription) }
    let (path, reason): (String, String)
    switch error as? DecodingError {
    case .typeMismatch(_, let c)?: (path, reason) = parts(c)
    case .valueNotFound(_, let c)?: (path, reason) = parts(c)
    case .keyNotFound(let key, let c)?:
      (path, reason) = ((c.codingPath + [key]).dotted, c.debugDescription)
    case .dataCorrupted(let c)?: (path, reason) = parts(c)
    default: (path, reason) = ("(top level)", "\(error)")
    }
    return .undecodableState(type: type, path: path, reason: reason)
  }
}
