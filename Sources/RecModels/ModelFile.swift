import Foundation
import RecEval

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A saved model: `save model NAME to PATH` writes one, `load model NAME from PATH` reads it.
///
/// Layout, version 1 (integers little-endian):
///
///     offset  size  field
///     0       16    magic "RECBOOK\0MODEL\r\n\x1A" (the \r\n and ^Z catch text-mode
///                   transfers and stop `type` on Windows, as PNG's signature does)
///     16      4     format version, UInt32 (1)
///     20      8     file length in bytes, UInt64 (the whole file, checksum included)
///     28      4     CRC-32C of bytes 0..<28 (so a flipped length is reported as corruption,
///                   not as truncation)
///     32      8+n   JSON header (`ModelFileHeader`), UInt64 length then UTF-8
///             8+m   state payload (`BinaryStateEncoder`), UInt64 length then bytes
///             16    seen items: UInt64 rows (users), UInt64 entries
///             8(r+1) offsets, Int64 each;  4e  columns (items), Int32 each
///     end-4   4     CRC-32C of every byte before it
///
/// Reading checks, in order: the magic, the version (a newer one asks to upgrade), the
/// preamble checksum, the length (a short file reports the block it ends in), the whole-file
/// checksum, the JSON header, then the seen items' structure. Writing goes to
/// `PATH.tmp-<pid>`, is flushed to disk, and is renamed over `PATH`, so a crash leaves the old
/// file or the new one, never half of one.
public struct ModelFile: Sendable {
  /// The 16 bytes every model file starts with.
  public static let magic: [UInt8] = Array("RECBOOK".utf8) + [0] + Array("MODEL\r\n".utf8) + [0x1A]
  /// The format version this build writes, and the newest it reads.
  public static let formatVersion: UInt32 = 1
  static let preambleSize = 32

  public var header: ModelFileHeader
  /// The model's state, `BinaryStateEncoder`'s bytes (see `ModelType.encodeState`).
  public var state: Data
  /// The training events by user (items ascending), to exclude seen items when serving.
  /// Loaded files rebuild it, so its `events` are positions, not the original event numbers.
  public var seen: CSR

  public init(header: ModelFileHeader, state: Data, seen: CSR) {
    self.header = header
    self.state = state
    self.seen = seen
  }

  // MARK: - Writing

  /// Writes a model file atomically (temporary file, fsync, rename).
  /// `seen` must have one row per user of `header.users` (a programmer invariant).
  public static func write(header: ModelFileHeader, state: Data, seen: CSR, to path: String)
    throws(ModelFileError)
  {
    let bytes = try ModelFile(header: header, state: state, seen: seen).encoded()
    let tmp = path + ".tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // The message names the file asked for, not the temporary one (whose pid would change).
    guard fd >= 0 else { throw .io(path: path, operation: "write", reason: errnoText()) }
    var failure: String? = nil
    bytes.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count, let base = raw.baseAddress {
        let n = posixWrite(fd, base + done, raw.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          failure = errnoText()
          return
        }
        done += n
      }
    }
    if failure == nil, fsync(fd) != 0 { failure = errnoText() }
    if close(fd) != 0, failure == nil { failure = errnoText() }
    if let failure {
      unlink(tmp)
      throw .io(path: path, operation: "write", reason: failure)
    }
    guard rename(tmp, path) == 0 else {
      let reason = errnoText()
      unlink(tmp)
      throw .io(path: path, operation: "rename \(tmp) to", reason: reason)
    }
  }

  /// The file's bytes.
  func encoded() throws(ModelFileError) -> [UInt8] {
    precondition(seen.rowCount == header.users.count, "seen items need one row per user")
    let json: Data
    do {
      json = try ModelFileHeader.jsonEncoder().encode(header)
    } catch {
      throw .badHeader("cannot encode the header: \(error)")
    }
    let seenSize = 16 + 8 * seen.offsets.count + 4 * seen.columns.count
    var w = ByteWriter(capacity: ModelFile.preambleSize + 16 + json.count + state.count + seenSize + 4)
    w.append(contentsOf: ModelFile.magic)
    w.append(ModelFile.formatVersion)
    w.append(UInt64(0))  // the file length, patched below
    w.append(UInt32(0))  // the preamble checksum, patched below
    w.append(UInt64(json.count))
    w.appendRaw([UInt8](json))
    w.append(UInt64(state.count))
    w.appendRaw([UInt8](state))
    w.append(UInt64(seen.rowCount))
    w.append(UInt64(seen.columns.count))
    w.appendRaw(seen.offsets.map { Int64($0) })
    w.appendRaw(seen.columns)
    var bytes = w.bytes
    let total = bytes.count + 4
    withUnsafeBytes(of: UInt64(total).littleEndian) { for i in 0..<8 { bytes[20 + i] = $0[i] } }
    let pre = CRC32C.checksum(bytes, 0..<28)
    withUnsafeBytes(of: pre.littleEndian) { for i in 0..<4 { bytes[28 + i] = $0[i] } }
    let crc = CRC32C.checksum(bytes, 0..<bytes.count)
    withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
    return bytes
  }

  // MARK: - Reading

  /// Reads and checks a model file (framing, checksums, header, seen items); the state is
  /// returned undecoded (`decodeModel(catalog:)` decodes it).
  public static func read(_ path: String) throws(ModelFileError) -> ModelFile {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw .io(path: path, operation: "read", reason: (error as NSError).localizedDescription)
    }
    return try decode([UInt8](data), path: path)
  }

  /// Checks and splits the bytes of a model file.
  static func decode(_ bytes: [UInt8], path: String) throws(ModelFileError) -> ModelFile {
    let size = bytes.count
    let m = magic.count
    guard size >= m, Array(bytes[0..<m]) == magic else {
      if size > 0, size < m, Array(magic[0..<size]) == bytes {
        throw .truncated(block: "magic", offset: 0, expected: m, fileSize: size)
      }
      throw .notAModelFile(path: path, firstBytes: Array(bytes.prefix(m)))
    }
    var r = ByteReader(bytes, from: m)
    let version: UInt32
    do throws(ShortRead) { version = try r.read(UInt32.self) } catch {
      throw .truncated(block: "format version", offset: m, expected: 4, fileSize: size)
    }
    guard version <= formatVersion else { throw .newerVersion(found: version, supported: formatVersion) }
    guard version >= 1 else { throw .corrupt("format version 0 does not exist") }
    let declared: UInt64
    let storedPreamble: UInt32
    do throws(ShortRead) {
      declared = try r.read(UInt64.self)
      storedPreamble = try r.read(UInt32.self)
    } catch {
      throw .truncated(block: "preamble", offset: 0, expected: preambleSize, fileSize: size)
    }
    let computedPreamble = CRC32C.checksum(bytes, 0..<28)
    guard storedPreamble == computedPreamble else {
      throw .checksumMismatch(
        region: "the preamble (bytes 0-27)", stored: storedPreamble, computed: computedPreamble)
    }
    guard declared >= UInt64(preambleSize + 4), declared <= UInt64(Int.max) else {
      throw .corrupt("the preamble declares an impossible file length \(declared)")
    }
    let total = Int(declared)
    if size < total {
      // Name the block the file ends in; if the lengths all fit, the tail is what is missing.
      _ = try blocks(bytes, end: size, fileSize: size)
      throw .truncated(block: "checksum", offset: total - 4, expected: 4, fileSize: size)
    }
    guard size == total else {
      throw .corrupt(
        "\(size - total) bytes follow the end of the model (the file has \(size), its preamble says \(total))"
      )
    }
    let stored =
      UInt32(bytes[total - 4]) | UInt32(bytes[total - 3]) << 8 | UInt32(bytes[total - 2]) << 16
      | UInt32(bytes[total - 1]) << 24
    let computed = CRC32C.checksum(bytes, 0..<(total - 4))
    guard stored == computed else {
      throw .checksumMismatch(region: "the whole file", stored: stored, computed: computed)
    }
    let b = try blocks(bytes, end: total - 4, fileSize: size)
    guard b.end == total - 4 else {
      throw .corrupt("\(total - 4 - b.end) unexplained bytes before the checksum at offset \(b.end)")
    }
    let header: ModelFileHeader
    do {
      header = try ModelFileHeader.jsonDecoder().decode(ModelFileHeader.self, from: Data(bytes[b.header]))
    } catch let e as DecodingError {
      throw .badHeader(describe(e))
    } catch {
      throw .badHeader("\(error)")
    }
    try header.validate()
    let seen = try seenItems(bytes, b, users: header.users.count, items: header.items.count)
    return ModelFile(header: header, state: Data(bytes[b.state]), seen: seen)
  }

  /// Where each block of a file is, from the lengths it declares.
  struct Blocks {
    var header: Range<Int>
    var state: Range<Int>
    var rows: Int
    var offsets: Range<Int>
    var columns: Range<Int>
    var end: Int
  }

  /// Walks the length-prefixed blocks of `bytes[32..<end]`; a block that does not fit is
  /// reported as truncation at its offset (lengths are read as counts, checked before use).
  static func blocks(_ bytes: [UInt8], end: Int, fileSize: Int) throws(ModelFileError) -> Blocks {
    var r = ByteReader(bytes, from: preambleSize, to: end)
    func take(_ name: String, _ count: Int) throws(ModelFileError) -> Range<Int> {
      do throws(ShortRead) { return try r.skip(count) } catch {
        throw .truncated(block: name, offset: r.offset, expected: count, fileSize: fileSize)
      }
    }
    func length(_ name: String, elementSize: Int = 1) throws(ModelFileError) -> Int {
      let at = r.offset
      let raw: UInt64
      do throws(ShortRead) { raw = try r.read(UInt64.self) } catch {
        throw .truncated(block: "length of the " + name, offset: at, expected: 8, fileSize: fileSize)
      }
      guard raw <= UInt64(Int.max / 16) else {
        throw .truncated(block: name, offset: r.offset, expected: Int.max, fileSize: fileSize)
      }
      return Int(raw) * elementSize
    }
    let header = try take("JSON header", try length("JSON header"))
    let state = try take("state payload", try length("state payload"))
    let rowsRaw = try length("seen items (users)")
    let entries = try length("seen items (entries)")
    let offsets = try take("seen-items offsets", (rowsRaw + 1) * 8)
    let columns = try take("seen-items columns", entries * 4)
    return Blocks(
      header: header, state: state, rows: rowsRaw, offsets: offsets, columns: columns, end: r.offset)
  }

  /// The seen-items CSR, checked: one row per user, offsets from 0 rising to the entry count,
  /// items in range and ascending within each row.
  static func seenItems(_ bytes: [UInt8], _ b: Blocks, users: Int, items: Int) throws(ModelFileError) -> CSR {
    guard b.rows == users else {
      throw .corrupt("the seen items have \(b.rows) rows for \(users) users")
    }
    let offsets = ByteReader.rawArray(bytes, b.offsets, as: Int64.self)
    let columns = ByteReader.rawArray(bytes, b.columns, as: Int32.self)
    guard offsets.first == 0, offsets.last == Int64(columns.count) else {
      throw .corrupt("the seen-items offsets must run from 0 to \(columns.count)")
    }
    var rowIndex = [Int32](repeating: 0, count: columns.count)
    for u in 0..<users {
      let (lo, hi) = (offsets[u], offsets[u + 1])
      guard lo <= hi else { throw .corrupt("the seen-items offsets decrease at user \(u)") }
      for k in Int(lo)..<Int(hi) {
        let c = columns[k]
        guard c >= 0, Int(c) < items else {
          throw .corrupt("seen item \(c) of user \(u) is outside the \(items) items")
        }
        guard k == Int(lo) || columns[k - 1] <= c else {
          throw .corrupt("the seen items of user \(u) are not in ascending order")
        }
        rowIndex[k] = Int32(u)
      }
    }
    return CSR(rows: rowIndex, columns: columns, rowCount: users, columnCount: items)
  }

  private static func describe(_ e: DecodingError) -> String {
    switch e {
    case .typeMismatch(_, let c), .valueNotFound(_, let c):
      return "\(c.codingPath.dotted): \(c.debugDescription)"
    case .keyNotFound(let k, let c): return "missing field '\((c.codingPath + [k]).dotted)'"
    case .dataCorrupted(let c):
      let under = (c.underlyingError.map { " (\($0))" } ?? "")
      return c.codingPath.isEmpty
        ? c.debugDescription + under : "\(c.codingPath.dotted): \(c.debugDescription)"
    @unknown default: return "\(e)"
    }
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}

// MARK: - Models

extension ModelFile {
  /// The state of a model with a cold-start fallback: both models' states and who is warm.
  struct FallbackState: Codable {
    var primary: Data
    var fallback: Data
    var warm: [Bool]
  }

  /// Saves a fitted model: looks up `header.modelType` (and `header.fallbackType` for a
  /// `FallbackModel`) in `catalog`, encodes the state, and writes the file atomically.
  public static func save(
    _ model: any Recommender, header: ModelFileHeader, seen: CSR, to path: String,
    catalog: [ModelType] = ModelCatalog.all
  ) throws(ModelFileError) {
    try header.validate()
    let type = try persistable(header.modelType, catalog)
    let state: Data
    if let f = model as? FallbackModel {
      guard let name = header.fallbackType else {
        throw .badHeader("a model with a fallback needs fallbackType")
      }
      let fallbackType = try persistable(name, catalog)
      let s = FallbackState(
        primary: try type.encodeState(f.primary), fallback: try fallbackType.encodeState(f.fallback),
        warm: f.warm)
      do {
        state = try BinaryStateEncoder().encode(s)
      } catch {
        throw .unencodableState(type: type.name, reason: "\(error)")
      }
    } else {
      state = try type.encodeState(model)
    }
    try write(header: header, state: state, seen: seen, to: path)
  }

  /// Reads a model file and decodes its model.
  public static func load(_ path: String, catalog: [ModelType] = ModelCatalog.all) throws(ModelFileError)
    -> (file: ModelFile, model: any Recommender)
  {
    let file = try read(path)
    return (file, try file.decodeModel(catalog: catalog))
  }

  /// Decodes the model of the header's type (with its fallback, if the header names one) and
  /// checks it scores the header's catalogue.
  public func decodeModel(catalog: [ModelType] = ModelCatalog.all) throws(ModelFileError) -> any Recommender {
    let type = try ModelFile.persistable(header.modelType, catalog)
    let model: any Recommender
    if let fallbackName = header.fallback, let ft = header.fallbackType {
      let fallbackType = try ModelFile.persistable(ft, catalog)
      let s: FallbackState
      do {
        s = try BinaryStateDecoder().decode(FallbackState.self, from: state)
      } catch {
        throw .state(type: type.name, error)
      }
      guard s.warm.count == header.users.count else {
        throw .corrupt("the fallback state marks \(s.warm.count) users for \(header.users.count) users")
      }
      model = FallbackModel(
        primary: try type.decodeModel(s.primary), fallback: try fallbackType.decodeModel(s.fallback),
        fallbackName: fallbackName, warm: s.warm)
    } else {
      model = try type.decodeModel(state)
    }
    guard model.itemCount == header.items.count else {
      throw .corrupt(
        "the \(type.name) model scores \(model.itemCount) items, the file's item map has \(header.items.count)"
      )
    }
    return model
  }

  /// The catalogue's type named `name`, if its models can be saved.
  static func persistable(_ name: String, _ catalog: [ModelType]) throws(ModelFileError) -> ModelType {
    guard let t = catalog.first(where: { $0.name == name }) else {
      throw .unknownModelType(name, known: catalog.filter(\.isPersistable).map(\.name))
    }
    guard t.isPersistable else { throw .notPersistable(type: name) }
    return t
  }
}

/// POSIX `write`, named apart from `ModelFile.write`.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
  #else
    Darwin.write(fd, buffer, count)
  #endif
}
