import Foundation
import RecData
import RecEval
import Testing

@testable import RecModels

/// EASE against its closed form computed here in Double, on 4 users x 3 items:
///
///     u0: 1 1 0
///     u1: 1 1 1
///     u2: 0 1 1
///     u3: 1 0 0
@Suite struct EASEModelTests {
  static let pairs: [(Int, Int)] = [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (3, 0)]

  /// The inverse of a 3 x 3 matrix by the adjugate formula, `A^-1 = adj(A) / det(A)`.
  static func inverse3(_ a: [[Double]]) -> [[Double]] {
    func m(_ r: Int, _ c: Int) -> Double { a[r % 3][c % 3] }
    // cof[i][j] = cofactor of a[i][j] (cyclic indices give the signs for free in 3 x 3).
    var cof = [[Double]](repeating: [0, 0, 0], count: 3)
    for i in 0..<3 {
      for j in 0..<3 { cof[i][j] = m(i + 1, j + 1) * m(i + 2, j + 2) - m(i + 1, j + 2) * m(i + 2, j + 1) }
    }
    let det = a[0][0] * cof[0][0] + a[0][1] * cof[0][1] + a[0][2] * cof[0][2]
    // adj = cof^T.
    return (0..<3).map { i in (0..<3).map { j in cof[j][i] / det } }
  }

  static func closedForm(lambda: Double) -> [[Double]] {
    // G = X^T X + lambda I: diagonal = item counts (3, 3, 2), co-counts i0i1 = 2, i0i2 = 1, i1i2 = 2.
    let g: [[Double]] = [[3 + lambda, 2, 1], [2, 3 + lambda, 2], [1, 2, 2 + lambda]]
    let p = inverse3(g)
    return (0..<3).map { i in (0..<3).map { j in i == j ? 0 : -p[i][j] / p[j][j] } }
  }

  @Test(arguments: [0.5, 2.0, 500.0])
  func weightsMatchTheClosedForm(lambda: Double) throws {
    var m = EASEModel(lambda: lambda)
    let d = try ModelTestData.interactions(Self.pairs)
    try m.fit(d)
    let b = Self.closedForm(lambda: lambda)
    for i in 0..<3 {
      for j in 0..<3 {
        #expect(abs(Double(m.weights[i * 3 + j]) - b[i][j]) < 1e-6 * max(1, abs(b[i][j])), "B[\(i), \(j)]")
      }
    }
    // score(u, .) = x_u B: u0 = row 0 + row 1; u3 = row 0.
    var s = [Float](repeating: 0, count: 3)
    m.score(user: 0, into: &s)
    for j in 0..<3 { #expect(abs(Double(s[j]) - (b[0][j] + b[1][j])) < 1e-6, "item \(j)") }
    m.score(user: 3, into: &s)
    for j in 0..<3 { #expect(abs(Double(s[j]) - b[0][j]) < 1e-6, "item \(j)") }
    // A history given at request time: x = (1, 0, 2).
    m.score(history: [2, 0, 2], into: &s)
    for j in 0..<3 { #expect(abs(Double(s[j]) - (b[0][j] + 2 * b[2][j])) < 1e-6, "item \(j)") }
  }

  /// Users with 3 of 10 items: 5 users (one cold) hold 12 of 50 entries (24%, the sgemm path);
  /// 4 users of which 3 are cold hold 3 of 40 (7.5%, the sparse path, bit-identical).
  @Test(arguments: [([3, 0, 17, 25, 11], Float(1e-5)), ([25, 26, 0, 27], Float(0))] as [([Int], Float)])
  func batchScoresEqualOneUserScores(users: [Int], tolerance: Float) throws {
    var m = EASEModel(lambda: 1)
    let d = try ModelTestData.interactions(ModelTestData.twoGroups)
    try m.fit(d)
    var batch = [Float](repeating: 0, count: users.count * 10)
    m.score(users: users, itemCount: 10, into: &batch)
    var one = [Float](repeating: 0, count: 10)
    for (k, u) in users.enumerated() {
      m.score(user: u, into: &one)
      for i in 0..<10 { #expect(abs(batch[k * 10 + i] - one[i]) <= tolerance, "user \(u) item \(i)") }
    }
  }

  @Test func recommendsWithinThePlantedGroup() throws {
    let d = try ModelTestData.interactions(ModelTestData.twoGroups)
    var m = EASEModel(lambda: 1)
    try m.fit(d)
    for u in 0..<20 {
      let rec = m.recommend(for: u, count: 2, excludingSeen: d)
      #expect(rec.allSatisfy { $0.item / 5 == u / 10 && $0.score > 0 }, "user \(u): \(rec)")
    }
    // Disjoint groups: B is block diagonal.
    for i in 0..<10 { for j in 0..<10 where i / 5 != j / 5 { #expect(m.weights[i * 10 + j] == 0) } }
    let similar = try #require(m.similarItems(to: 0, count: 3))
    #expect(!similar.isEmpty && similar.allSatisfy { $0.item < 5 && $0.item != 0 && $0.score > 0 })
  }

  @Test func coldUserScoresZero() throws {
    var m = EASEModel(lambda: 2)
    try m.fit(ModelTestData.interactions(Self.pairs))
    var s = [Float](repeating: 7, count: 4)
    m.score(user: 9, into: &s)
    #expect(s == [0, 0, 0, -.infinity])
  }

  @Test func refusesCataloguesAboveMaxItemsSayingTheMemory() throws {
    var m = EASEModel(lambda: 2, maxItems: 2)
    let d = try ModelTestData.interactions(Self.pairs)
    do {
      try m.fit(d)
      Issue.record("fit accepted 3 items with max-items=2")
    } catch let e as ModelError {
      #expect(e.message.contains("max-items=2") && e.message.contains("3 items"))
      #expect(e.message.contains("items^2 * 8 bytes * 2"))
    }
    // 20,000 items: 20000^2 * 16 bytes = 6.4 GB.
    #expect(EASEModel.memoryEstimate(items: 20_000) == 6.4e9)
    #expect(EASEModel.gigabytes(6.4e9) == "6.4 GB")
    let big = try #require(try EASEModel.type.make(ModelOptions(["max-items": .int(5)])) as? EASEModel)
    #expect(big.maxItems == 5 && big.lambda == 500)
  }

  @Test func lambdaMustBePositive() throws {
    // Items 0 and 1 always together: X^T X is singular, so lambda = 0 is refused up front.
    var m = EASEModel(lambda: 0)
    #expect(throws: ModelError.self) {
      try m.fit(ModelTestData.interactions([(0, 0), (0, 1), (1, 0), (1, 1), (2, 2)]))
    }
    #expect(throws: ModelError.self) { try EASEModel.type.make(ModelOptions(["lambda": .double(0)])) }
  }
}
