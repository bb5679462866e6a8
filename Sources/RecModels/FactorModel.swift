import RecData
import RecEval
import RecNN

/// A latent-factor scorer: `score(u, i) = userFactors[u] . itemFactors[i]`.
///
/// Not trained here: it holds factors computed elsewhere (a trained model's, or random
/// ones for timing evaluation). Scoring one user is one sgemv over the item table
/// (`Kernels.scoreRows`; sgemm packs its operands and loses for a single row, PLATFORM.md).
public struct FactorModel: ItemScorer, Codable {
  public var name: String
  public let dim: Int
  /// `(users, dim)`, row-major.
  public let userFactors: [Float]
  /// `(items, dim)`, row-major.
  public let itemFactors: [Float]
  public var userCount: Int { userFactors.count / dim }
  public var itemCount: Int { itemFactors.count / dim }

  public init(name: String = "factors", dim: Int, userFactors: [Float], itemFactors: [Float]) {
    precondition(dim > 0 && userFactors.count % dim == 0 && itemFactors.count % dim == 0)
    self.name = name
    self.dim = dim
    self.userFactors = userFactors
    self.itemFactors = itemFactors
  }

  private enum CodingKeys: String, CodingKey {
    case name, dim, userFactors, itemFactors
  }

  /// Checks what `init` requires (a positive `dim` dividing both tables), throwing where it traps.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let dim = try c.decode(Int.self, forKey: .dim)
    guard dim > 0 else {
      throw DecodingError.dataCorruptedError(
        forKey: .dim, in: c, debugDescription: "dim must be positive, found \(dim)")
    }
    let u = try c.decode([Float].self, forKey: .userFactors)
    let v = try c.decode([Float].self, forKey: .itemFactors)
    for (key, t) in [(CodingKeys.userFactors, u), (.itemFactors, v)] where t.count % dim != 0 {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: c, debugDescription: "\(t.count) floats are not rows of dim \(dim)")
    }
    self.init(name: try c.decode(String.self, forKey: .name), dim: dim, userFactors: u, itemFactors: v)
  }

  /// Gaussian factors with standard deviation `1/sqrt(dim)`, seeded.
  public static func random(users: Int, items: Int, dim: Int, seed: UInt64) -> FactorModel {
    var g = SeededGenerator(seed: seed)
    let s = 1 / Double(dim).squareRoot()
    let u = (0..<(users * dim)).map { _ in Float(g.nextGaussian() * s) }
    let v = (0..<(items * dim)).map { _ in Float(g.nextGaussian() * s) }
    return FactorModel(name: "random factors d=\(dim)", dim: dim, userFactors: u, itemFactors: v)
  }

  /// Several users at once: their factor rows gathered into `(users, dim)`, then one sgemm
  /// against the item table, `(users, dim) . (items, dim)^T`.
  public func score(users: [Int], itemCount n: Int, into scores: inout [Float]) {
    guard !users.isEmpty else { return }
    precondition(n <= itemCount && scores.count >= users.count * n)
    var a = [Float](repeating: 0, count: users.count * dim)
    Kernels.gatherRows(table: userFactors, dim: dim, indices: users, into: &a)
    Kernels.gemm(
      transA: false, transB: true, m: users.count, n: n, k: dim, a: a, b: itemFactors, ldb: dim, beta: 0,
      c: &scores)
  }

  public func score(user: Int, into scores: inout [Float]) {
    let q = Array(userFactors[(user * dim)..<((user + 1) * dim)])
    Kernels.scoreRows(
      table: itemFactors, rows: min(itemCount, scores.count), dim: dim, query: q, into: &scores)
  }
}
