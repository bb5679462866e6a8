import RecData
import RecEval

/// The random baseline: uniform scores in [0, 1), the same for a (seed, user) pair on every
/// run and every thread count (each user draws from its own stream of the seed).
public struct RandomModel: Recommender, Codable {
  public var seed: UInt64
  public private(set) var itemCount: Int = 0

  public init(seed: UInt64) { self.seed = seed }

  public var name: String { "random" }

  private enum CodingKeys: String, CodingKey {
    case seed, itemCount
  }

  /// Checks the item count is not negative (it sizes score buffers).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    seed = try c.decode(UInt64.self, forKey: .seed)
    itemCount = try c.decode(Int.self, forKey: .itemCount)
    guard itemCount >= 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: .itemCount, in: c, debugDescription: "the item count must not be negative, found \(itemCount)"
      )
    }
  }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    itemCount = data.itemCount
    context.onProgress(FitProgress(epoch: 1, epochs: 1, fraction: 1))
    return FitReport()
  }

  public func score(user: Int, into scores: inout [Float]) {
    var g = SeededGenerator(seed: seed, stream: UInt64(user))
    for i in 0..<scores.count { scores[i] = g.nextFloat() }
  }
}
