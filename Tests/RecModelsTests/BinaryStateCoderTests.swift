import Foundation
import RecData
import RecNN
import Testing

@testable import RecModels

/// `BinaryStateEncoder` / `BinaryStateDecoder`: round trips of every container kind, the exact
/// size of the raw blocks, and precise errors (never a trap) on corrupt or mismatched input.
@Suite struct BinaryStateCoderTests {
  enum Shape: Codable, Equatable {
    case circle(radius: Double)
    case polygon([Int32], closed: Bool)
    case empty
  }

  struct Inner: Codable, Equatable {
    var label: String
    var weights: [Float]
  }

  struct Everything: Codable, Equatable {
    var floats: [Float]
    var doubles: [Double]
    var int32s: [Int32]
    var ints: [Int]
    var bytes: [UInt8]
    var bools: [Bool]
    var data: Data
    var int8: Int8
    var uint64: UInt64
    var int64: Int64
    var text: String
    var missing: Double?
    var present: Float?
    var nested: [Inner]
    var byName: [String: Int]
    var byNumber: [Int: String]
    var shapes: [Shape]
    var matrix: [[Double]]
    var uint16s: [UInt16]
  }

  static func sample(seed: UInt64) -> Everything {
    var g = SeededGenerator(seed: seed)
    let n = Int(g.next() % 50)
    return Everything(
      floats: (0..<n).map { _ in g.nextFloat() - 0.5 }, doubles: (0..<n).map { _ in g.nextGaussian() },
      int32s: (0..<n).map { _ in Int32(truncatingIfNeeded: g.next()) },
      ints: (0..<n).map { _ in Int(truncatingIfNeeded: g.next()) },
      bytes: (0..<n).map { _ in UInt8(g.next() % 256) },
      bools: (0..<n).map { _ in g.next() % 2 == 0 }, data: Data((0..<n).map { UInt8($0) }), int8: .min,
      uint64: .max, int64: .min, text: "caf\u{e9} \u{1F37F} \(seed)", missing: nil, present: 1.5,
      nested: [Inner(label: "a", weights: [1, 2]), Inner(label: "", weights: [])], byName: ["x": 1, "y": -2],
      byNumber: [3: "three", -1: "minus one"],
      shapes: [.circle(radius: 2), .polygon([1, 2, 3], closed: true), .empty],
      matrix: [[1, 2], [], [3]], uint16s: [0, 65535])
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
  func roundTripsEveryKindOfValue(seed: UInt64) throws {
    let v = Self.sample(seed: seed)
    let data = try BinaryStateEncoder().encode(v)
    #expect(try BinaryStateDecoder().decode(Everything.self, from: data) == v)
  }

  @Test func aFloatArrayIsOneRawBlock() throws {
    let a = (0..<1000).map { Float($0) * 0.25 }
    let data = try BinaryStateEncoder().encode(a)
    // tag + UInt64 count + 4 bytes per float.
    #expect(data.count == 1 + 8 + 4 * 1000)
    #expect(data.first == BinaryTag.floats.rawValue)
    #expect(data[9..<13].elementsEqual(withUnsafeBytes(of: Float(0).bitPattern.littleEndian) { Array($0) }))
    #expect(
      data[13..<17].elementsEqual(withUnsafeBytes(of: Float(0.25).bitPattern.littleEndian) { Array($0) }))
    #expect(try BinaryStateDecoder().decode([Float].self, from: data) == a)
  }

  @Test func everyTruncationThrowsADecodingError() throws {
    let full = try BinaryStateEncoder().encode(Self.sample(seed: 3))
    for cut in 0..<full.count {
      #expect(throws: DecodingError.self) {
        try BinaryStateDecoder().decode(Everything.self, from: full.prefix(cut))
      }
    }
    // Trailing bytes are corrupt too.
    #expect(throws: DecodingError.self) {
      try BinaryStateDecoder().decode(Everything.self, from: full + [0])
    }
  }

  @Test func anAbsurdLengthIsRejectedBeforeAllocating() throws {
    var bytes: [UInt8] = [BinaryTag.floats.rawValue]
    withUnsafeBytes(of: UInt64(1 << 60).littleEndian) { bytes.append(contentsOf: $0) }
    bytes += [0, 0, 0, 0]
    let message = try decodingMessage([Float].self, bytes)
    #expect(message.contains("truncated") && message.contains("4 remain"))
    // A container claiming more entries than bytes left.
    var keyed: [UInt8] = [BinaryTag.keyed.rawValue]
    withUnsafeBytes(of: UInt64.max.littleEndian) { keyed.append(contentsOf: $0) }
    #expect(try decodingMessage(Inner.self, keyed).contains("truncated"))
  }

  @Test func aMismatchedTypeNamesTheFieldAndBothTypes() throws {
    struct Doubles: Codable { var x: Int; var weights: [Double] }
    let data = try BinaryStateEncoder().encode(Doubles(x: 1, weights: [1, 2]))
    do {
      _ = try BinaryStateDecoder().decode(Inner.self, from: data)
      Issue.record("decoded a mismatched value")
    } catch DecodingError.keyNotFound(let key, let c) {
      #expect(key.stringValue == "label" && c.debugDescription.contains("x, weights"))
    }
    struct Labelled: Codable { var label: String; var weights: [Double] }
    do {
      _ = try BinaryStateDecoder().decode(
        Inner.self, from: BinaryStateEncoder().encode(Labelled(label: "a", weights: [1])))
      Issue.record("decoded a mismatched value")
    } catch DecodingError.typeMismatch(_, let c) {
      #expect(c.codingPath.map(\.stringValue) == ["weights"])
      #expect(c.debugDescription == "expected a [Float] block, found a [Double] block of 1 elements")
    }
  }

  @Test func anIntegerThatDoesNotFitIsCorruptNotTruncated() throws {
    let data = try BinaryStateEncoder().encode([300, -1] as [Int16])
    do {
      _ = try BinaryStateDecoder().decode([Int8].self, from: data)
      Issue.record("decoded 300 as Int8")
    } catch DecodingError.dataCorrupted(let c) {
      #expect(c.codingPath.map { $0.intValue } == [0])
      #expect(c.debugDescription.contains("300 does not fit Int8"))
    }
  }

  @Test func aFieldAddedLaterDecodesFromOldBytesWithItsDefault() throws {
    struct V1: Codable { var counts: [Float] }
    struct V2: Codable {
      var counts: [Float]
      var window: Double
      init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        counts = try c.decode([Float].self, forKey: .counts)
        window = try c.decodeIfPresent(Double.self, forKey: .window) ?? 7
      }
    }
    let v2 = try BinaryStateDecoder().decode(V2.self, from: BinaryStateEncoder().encode(V1(counts: [1, 2])))
    #expect(v2.counts == [1, 2] && v2.window == 7)
  }

  @Test func aBoolByteOtherThanZeroOrOneIsCorrupt() throws {
    var bytes = [UInt8](try BinaryStateEncoder().encode([true, false, true]))
    bytes[10] = 2
    #expect(try decodingMessage([Bool].self, bytes).contains("must be 0 or 1, found 2"))
  }

  @Test func deepNestingIsRejectedNotAStackOverflow() throws {
    var bytes = [UInt8]()
    for _ in 0..<100_000 {
      bytes.append(BinaryTag.unkeyed.rawValue)
      withUnsafeBytes(of: UInt64(1).littleEndian) { bytes.append(contentsOf: $0) }
    }
    bytes.append(BinaryTag.null.rawValue)
    #expect(
      try decodingMessage([[Int]].self, bytes).contains("nested deeper than \(BinaryStateDecoder.maxDepth)"))
  }

  @Test func everySingleByteChangeOfAValueIsCaughtOrDecodesToSomething() throws {
    // Without a checksum a flipped byte may still decode (a flipped float is a float); what
    // must hold is that nothing traps. The model file's CRC catches the rest.
    let full = [UInt8](try BinaryStateEncoder().encode(Self.sample(seed: 5)))
    for i in 0..<full.count {
      var b = full
      b[i] ^= 0xFF
      _ = try? BinaryStateDecoder().decode(Everything.self, from: Data(b))
    }
  }

  @Test func factorModelAndLayersRoundTrip() throws {
    let f = FactorModel.random(users: 7, items: 5, dim: 3, seed: 9)
    let back = try BinaryStateDecoder().decode(FactorModel.self, from: BinaryStateEncoder().encode(f))
    #expect(back.userFactors == f.userFactors && back.itemFactors == f.itemFactors && back.name == f.name)

    var g = SeededGenerator(seed: 2)
    let linear = Linear(inputs: 4, outputs: 3, using: &g)
    let embedding = Embedding(count: 6, dim: 4, paddingIndex: 0, using: &g)
    let gru = GRU(inputs: 4, hidden: 5, using: &g)
    struct Net: Codable {
      var embedding: Embedding
      var gru: GRU
      var linear: Linear
    }
    let net = try BinaryStateDecoder().decode(
      Net.self, from: BinaryStateEncoder().encode(Net(embedding: embedding, gru: gru, linear: linear)))
    let x = embedding.forward([1, 2, 0, 5])
    #expect(net.embedding.forward([1, 2, 0, 5]) == x && net.embedding.paddingIndex == 0)
    #expect(net.embedding.weight.isSparse)
    #expect(net.linear.forward(x) == linear.forward(x))
    let seq = x.reshaped([2, 2, 4])
    #expect(net.gru.forward(seq, lengths: [2, 1]).outputs == gru.forward(seq, lengths: [2, 1]).outputs)
  }

  @Test func aTensorWhoseShapeDoesNotHoldItsScalarsIsCorrupt() throws {
    struct FakeTensor: Codable { var shape: [Int]; var scalars: [Float] }
    let bad = try BinaryStateEncoder().encode(FakeTensor(shape: [2, 3], scalars: [1, 2, 3]))
    let message = try decodingMessage(Tensor.self, [UInt8](bad))
    #expect(message == "scalars: shape [2, 3] needs 6 scalars, found 3")
    let badDim = try BinaryStateEncoder().encode(
      ["name": "f", "dim": "0"].mapValues { $0 })  // a keyed container with the wrong types
    #expect(throws: DecodingError.self) { try BinaryStateDecoder().decode(FactorModel.self, from: badDim) }
  }

  /// The path and message of the `DecodingError` decoding `bytes` as `T` throws.
  private func decodingMessage<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> String {
    do {
      _ = try BinaryStateDecoder().decode(type, from: Data(bytes))
    } catch let e as DecodingError {
      switch e {
      case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
        return c.codingPath.isEmpty ? c.debugDescription : "\(c.codingPath.dotted): \(c.debugDescription)"
      case .keyNotFound(let k, let c): return "\(k.stringValue): \(c.debugDescription)"
      @unknown default: return "\(e)"
      }
    }
    Issue.record("decoded corrupt bytes")
    return ""
  }
}
