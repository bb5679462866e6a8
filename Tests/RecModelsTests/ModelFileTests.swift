import Foundation
import RecData
import RecEval
import TestSupport
import Testing

@testable import RecModels

/// `ModelFile`: round trips, and every way a file can be damaged (cut short, a byte changed,
/// a newer version, the wrong file) reported as what it is, never a crash.
@Suite struct ModelFileTests {
  static func header(_ d: Interactions, type: String = "pop", fallback: String? = nil) -> ModelFileHeader {
    ModelFileHeader(
      recbookVersion: "0.0-test", modelType: type, name: "m1", options: ["window": "5"],
      created: Date(timeIntervalSince1970: 1_700_000_000.75), users: d.users, items: d.items,
      fingerprint: ModelFileHeader.fingerprint(of: d), metrics: ["ndcg@10": 0.25, "odd": .nan],
      fallback: fallback, fallbackType: fallback,
      itemColumns: [.init(name: "title", values: (0..<d.itemCount).map { $0 == 3 ? nil : "item \($0)" })])
  }

  /// A small file: 4 users, 3 items, string ids.
  static func small() throws -> (ModelFile, [UInt8]) {
    let t = Table(columns: [
      ("u", Column(strings: ["a", "b", "a", "d", "c"])), ("i", Column(ints: [10, 20, 30, 10, 20])),
    ])
    let d = try Interactions(table: t, roles: InteractionRoles(user: "u", item: "i"))
    let f = ModelFile(header: header(d), state: Data([1, 2, 3, 4, 5]), seen: d.byUser)
    return (f, try f.encoded())
  }

  func path(_ name: String) -> (dir: URL, path: String) {
    let dir = TestPaths.temporaryDirectory()
    return (dir, dir.appendingPathComponent(name).path)
  }

  @Test func headerStateAndSeenItemsRoundTripAndNoTemporaryFileRemains() throws {
    let (f, _) = try Self.small()
    let (dir, p) = path("m.rbm")
    defer { try? FileManager.default.removeItem(at: dir) }
    try ModelFile.write(header: f.header, state: f.state, seen: f.seen, to: p)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.rbm"])
    let back = try ModelFile.read(p)
    #expect(back.header.name == "m1" && back.header.created == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(back.header.metrics["ndcg@10"] == 0.25 && back.header.metrics["odd"]?.isNaN == true)
    var expected = f.header
    expected.metrics["odd"] = 0
    var got = back.header
    got.metrics["odd"] = 0
    #expect(got == expected)
    #expect(back.state == f.state)
    #expect(back.seen.offsets == f.seen.offsets && back.seen.columns == f.seen.columns)
    // Overwriting goes through a temporary file too, and leaves only the file.
    try ModelFile.write(header: f.header, state: Data(), seen: f.seen, to: p)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.rbm"])
    #expect(try ModelFile.read(p).state.isEmpty)
  }

  @Test func aWriteThatFailsLeavesNothingAndSaysWhy() throws {
    let (f, _) = try Self.small()
    let missing = "/nonexistent-dir-\(UUID().uuidString)/m.rbm"
    do {
      try ModelFile.write(header: f.header, state: f.state, seen: f.seen, to: missing)
      Issue.record("wrote into a missing directory")
    } catch {
      #expect(error.description == "cannot write '\(missing)': No such file or directory")
    }
  }

  @Test func everyCutPointIsTruncationOrNotAModelFile() throws {
    let (_, bytes) = try Self.small()
    let cuts = Set((0..<50).map { $0 * bytes.count / 50 } + [1, 15, 16, 19, 20, 31, 32, 39, bytes.count - 1])
    for cut in cuts.sorted() {
      do {
        _ = try ModelFile.decode(Array(bytes.prefix(cut)), path: "m")
        Issue.record("a file cut at \(cut) of \(bytes.count) bytes loaded")
      } catch {
        switch error {
        case .truncated(_, let offset, let expected, let size):
          #expect(size == cut && offset + expected > cut, "cut \(cut): \(error)")
        case .notAModelFile(_, let first): #expect(cut == 0 && first.isEmpty)
        default: Issue.record("cut \(cut): \(error)")
        }
      }
    }
    // The block the cut falls in is named: the state payload starts after the header.
    let headerLength = Int(bytes[32]) | Int(bytes[33]) << 8
    let stateStart = 32 + 8 + headerLength + 8
    #expect(
      throws: ModelFileError.truncated(
        block: "state payload", offset: stateStart, expected: 5, fileSize: stateStart + 2)
    ) {
      try ModelFile.decode(Array(bytes.prefix(stateStart + 2)), path: "m")
    }
  }

  @Test func everySingleByteChangeIsDetected() throws {
    let (_, bytes) = try Self.small()
    for i in 0..<bytes.count {
      for mask: UInt8 in [0x01, 0x80, 0xFF] {
        var b = bytes
        b[i] ^= mask
        do {
          _ = try ModelFile.decode(b, path: "m")
          Issue.record("byte \(i) ^ \(mask) went unnoticed")
        } catch {
          switch error {
          case .checksumMismatch: #expect(i >= 16)
          case .notAModelFile: #expect(i < 16)
          case .newerVersion, .corrupt("format version 0 does not exist"): #expect((16..<20).contains(i))
          default: Issue.record("byte \(i) ^ \(mask): \(error)")
          }
        }
      }
    }
  }

  @Test func aNewerVersionAsksToUpgrade() throws {
    var (_, bytes) = try Self.small()
    bytes[16] = 2
    #expect(throws: ModelFileError.newerVersion(found: 2, supported: 1)) {
      try ModelFile.decode(bytes, path: "m")
    }
    #expect(
      ModelFileError.newerVersion(found: 2, supported: 1).description
        == "the model file was written by a newer Recbook (format version 2); this build reads format versions "
        + "up to 1: upgrade recbook")
  }

  @Test func anotherFileIsNotAModelFileAndSaysWhatItStartsWith() throws {
    let csv = Array("user,item\n1,2\n3,4\n".utf8)
    #expect(throws: ModelFileError.notAModelFile(path: "x.csv", firstBytes: Array(csv.prefix(16)))) {
      try ModelFile.decode(csv, path: "x.csv")
    }
    #expect(
      ModelFileError.notAModelFile(path: "x.csv", firstBytes: Array("user,".utf8)).description
        == "'x.csv' is not a Recbook model file: it starts with 75 73 65 72 2c (\"user,\"), not RECBOOK")
  }

  @Test func aBadHeaderIsReportedWithTheParseError() throws {
    let (f, _) = try Self.small()
    var bytes = try f.encoded()
    // Replace the header's first byte ('{') with '[' and re-seal the checksum: a file a
    // buggy writer produced, which only the JSON parse can catch.
    bytes[40] = UInt8(ascii: "[")
    bytes = Self.resealed(bytes)
    do {
      _ = try ModelFile.decode(bytes, path: "m")
      Issue.record("loaded a bad header")
    } catch {
      guard case .badHeader(let reason) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(!reason.isEmpty)
    }
  }

  /// `bytes` with its whole-file checksum recomputed.
  static func resealed(_ bytes: [UInt8]) -> [UInt8] {
    var b = Array(bytes.dropLast(4))
    let crc = CRC32C.checksum(b, 0..<b.count)
    withUnsafeBytes(of: crc.littleEndian) { b.append(contentsOf: $0) }
    return b
  }

  @Test(arguments: ["pop", "random", "random+pop"])
  func fittedModelsSaveAndLoadWithTheSameScores(kind: String) throws {
    let d = try CatalogContractTests.planted()
    var model: any Recommender
    switch kind {
    case "pop": model = PopularityModel()
    case "random": model = RandomModel(seed: 3)
    default:
      model = FallbackModel(primary: RandomModel(seed: 3), fallback: PopularityModel(), fallbackName: "pop")
    }
    try model.fit(d)
    let type = kind == "pop" ? "pop" : "random"
    let (dir, p) = path("m.rbm")
    defer { try? FileManager.default.removeItem(at: dir) }
    let h = Self.header(d, type: type, fallback: kind == "random+pop" ? "pop" : nil)
    try ModelFile.save(model, header: h, seen: d.byUser, to: p)
    let (file, loaded) = try ModelFile.load(p)
    #expect(file.header.fingerprint == ModelFileHeader.fingerprint(of: d))
    #expect(loaded.itemCount == d.itemCount && (loaded is FallbackModel) == (kind == "random+pop"))
    for u in [0, 3, 39, 40, 99] {
      var a = [Float](repeating: 0, count: d.itemCount)
      var b = a
      model.score(user: u, into: &a)
      loaded.score(user: u, into: &b)
      #expect(a == b, "user \(u)")
      #expect(
        loaded.recommend(for: u, count: 5, excludingSeen: d)
          == model.recommend(for: u, count: 5, excludingSeen: d))
    }
  }

  @Test func anUnknownTypeAndAStateOfTheWrongTypeAreNamed() throws {
    let d = try CatalogContractTests.planted()
    var random = RandomModel(seed: 1)
    try random.fit(d)
    let state = try RandomModel.type.encodeState(random)
    let unknown = ModelFile(header: Self.header(d, type: "neumf-9000"), state: state, seen: d.byUser)
    #expect(throws: ModelFileError.unknownModelType("neumf-9000", known: ModelCatalog.names)) {
      try unknown.decodeModel()
    }
    let wrong = ModelFile(header: Self.header(d, type: "pop"), state: state, seen: d.byUser)
    #expect(
      throws: ModelFileError.undecodableState(
        type: "pop", path: "counts", reason: "no field 'counts' (fields present: seed, itemCount)")
    ) {
      try wrong.decodeModel()
    }
    // A model whose type cannot be saved says so.
    var notSaved = RandomModel.type
    notSaved.decodeState = nil
    #expect(throws: ModelFileError.notPersistable(type: "random")) { try notSaved.encodeState(random) }
  }

  @Test func theFingerprintIsFNV1aOfCountsAndIndices() throws {
    let d = try CatalogContractTests.planted()
    // The definition, byte by byte: counts as UInt64 LE, then users and items as Int32 LE.
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    func eat(_ v: UInt64, bytes n: Int) {
      for k in 0..<n { h = (h ^ ((v >> (8 * UInt64(k))) & 0xFF)) &* 0x100_0000_01B3 }
    }
    for v in [d.userCount, d.itemCount, d.count] { eat(UInt64(v), bytes: 8) }
    for v in d.user + d.item { eat(UInt64(UInt32(bitPattern: v)), bytes: 4) }
    let hex = String(h, radix: 16)
    #expect(ModelFileHeader.fingerprint(of: d) == String(repeating: "0", count: 16 - hex.count) + hex)
    #expect(
      ModelFileHeader.fingerprint(of: d.subset(Array(1..<d.count))) != ModelFileHeader.fingerprint(of: d))
  }

  @Test func crc32cMatchesItsCheckValueAndTheBitwiseDefinition() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    var g = SeededGenerator(seed: 1)
    let bytes = (0..<300).map { _ in UInt8(g.next() % 256) }
    for (lo, hi) in [(0, 0), (0, 1), (3, 10), (1, 300), (7, 64), (0, 300)] {
      #expect(CRC32C.checksum(bytes, lo..<hi) == CRC32C.reference(bytes[lo..<hi]))
    }
  }
}
