import Foundation
import RecData
import RecEval
import RecNN
import TestSupport
import Testing

@testable import RecModels

@Suite(.serialized) struct BPRModelTests {
  @Test(arguments: [BPRModel.Loss.bpr, .warp])
  func lossDecreasesAndPositivesRankAbovePlantedNegatives(loss: BPRModel.Loss) throws {
    let data = try PlantedData.twoGroups()
    var m = BPRModel(
      factors: 8, learningRate: 0.1, regularization: 0.001, epochs: 200, loss: loss, seed: 2)
    let report = try m.fit(data)
    let losses = report.epochs.map(\.loss)
    #expect(losses.count == 200)
    // Mean of the first and last ten epochs (single epochs are noisy: a handful of samples).
    let first = losses.prefix(10).reduce(0, +) / 10
    let last = losses.suffix(10).reduce(0, +) / 10
    #expect(last < 0.5 * first, "\(loss): \(first) -> \(last)")
    var correct = 0
    for u in 0..<data.userCount {
      var s = [Float](repeating: 0, count: data.itemCount)
      m.score(user: u, into: &s)
      let missing = PlantedData.missing(user: u)
      let group = (missing / 6) * 6
      let other = (6 - group)..<(12 - group)
      // Every training positive ranks above every item of the other group.
      for i in data.byUser.columns(ofRow: u) {
        #expect(other.allSatisfy { s[Int(i)] > s[$0] }, "\(loss): user \(u), item \(i)")
      }
      // The held-out in-group item too, for nearly every user (it is a negative of its own user,
      // so an occasional user ranks one other-group item above it).
      if other.allSatisfy({ s[missing] > s[$0] }) { correct += 1 }
    }
    #expect(correct >= data.userCount - 2, "\(loss): \(correct) of \(data.userCount)")
  }

  /// One WARP step by hand: user 0 has item 0 of three; every negative violates the margin on
  /// the first draw, so the rank weight is L = log(floor((3 - 1) / 1)) = log 2 and each parameter
  /// moves by lr / sqrt(1) * gradient (Adagrad sums start at 1).
  @Test func oneWarpStepMatchesTheHandComputedUpdate() throws {
    let rows = WeightedRows(
      CSR(rows: [0], columns: [0], rowCount: 1, columnCount: 3), weights: nil)
    let step = SGDStep(
      factors: 3, stride: 8, learningRate: 0.05, regularization: 0, maxSampled: 10, itemCount: 3)
    let x: [Float] = [0.1, 0.2, 0.3, 1, 0, 0, 0, 0]
    let y: [[Float]] = [[0.1, 0, 0, 0], [0, 0.1, 0, 0], [0, 0, 0.1, 0]]
    var users = x
    var items: [Float] = y.flatMap { row -> [Float] in row + [0, 0, 0, 0] }
    var us = [Float](repeating: 1, count: 8)
    var its = [Float](repeating: 1, count: 24)
    var rng = SeededGenerator(seed: 1)
    let loss = try #require(
      step.warpEpoch(
        users: &users, items: &items, userSquares: &us, itemSquares: &its, rows: rows, pairs: [0],
        rng: &rng
      ) { _, _ in true })
    let l: Float = log(2)
    let lr: Float = 0.05
    // Which negative was drawn: the row that moved.
    let j = Array(items[8..<12]) == y[1] ? 2 : 1
    let pos: Float = 0.1 * 0.1
    let neg: Float = j == 1 ? 0.2 * 0.1 : 0.3 * 0.1
    #expect(abs(loss - Double(l * (1 - pos + neg))) < 1e-6)
    for k in 0..<4 {
      let step: Float = lr * l * x[k]
      let positiveAfter: Float = y[0][k] + step
      let negativeAfter: Float = y[j][k] - step
      let square: Float = 1 + l * l * x[k] * x[k]
      #expect(abs(items[k] - positiveAfter) < 1e-6, "positive \(k)")
      #expect(abs(items[j * 8 + k] - negativeAfter) < 1e-6, "negative \(k)")
      #expect(abs(its[k] - square) < 1e-6)
    }
    for k in 0..<3 {
      let userAfter: Float = x[k] - lr * l * (y[j][k] - y[0][k])
      #expect(abs(users[k] - userAfter) < 1e-6, "user \(k)")
    }
    #expect(users[3] == 1)
    // The third item was not touched.
    let other = 3 - j
    #expect(Array(items[(other * 8)..<(other * 8 + 4)]) == y[other])
  }

  @Test(arguments: [BPRModel.Loss.bpr, .warp])
  func seededFitIsBitIdenticalWhateverTheThreads(loss: BPRModel.Loss) throws {
    let data = try PlantedData.random(users: 60, items: 40, perUser: 8, seed: 3)
    let saved = Parallel.threads
    defer { Parallel.threads = saved }
    var runs = [[Float]]()
    for threads in [1, 2] {
      Parallel.threads = threads
      var m = BPRModel(factors: 16, epochs: 5, loss: loss, seed: 7)
      try m.fit(data)
      runs.append(m.userFactors + m.itemFactors)
    }
    #expect(runs[0] == runs[1])
    var other = BPRModel(factors: 16, epochs: 5, loss: loss, seed: 8)
    try other.fit(data)
    #expect(other.userFactors + other.itemFactors != runs[0])
  }

  @Test func coldUsersScoreByItemBiasAndBatchEqualsSingle() throws {
    let data = try PlantedData.twoGroups()
    var m = BPRModel(factors: 8, epochs: 20, seed: 1)
    try m.fit(data)
    let n = data.itemCount
    var cold = [Float](repeating: 0, count: n)
    m.score(user: 1000, into: &cold)
    for i in 0..<n { #expect(cold[i] == m.itemFactors[i * m.stride + 8]) }
    let users = [5, 1000, 0]
    var batch = [Float](repeating: 0, count: users.count * n)
    m.score(users: users, itemCount: n, into: &batch)
    for (j, u) in users.enumerated() {
      var one = [Float](repeating: 0, count: n)
      m.score(user: u, into: &one)
      for i in 0..<n { #expect(abs(batch[j * n + i] - one[i]) <= 1e-5 * max(1, abs(one[i]))) }
    }
  }

  @Test func optionsFollowTheLoss() throws {
    let type = try #require(ModelCatalog.named("bpr"))
    let warp = try #require(try type.make(ModelOptions(["loss": .text("warp")])) as? BPRModel)
    #expect(warp.loss == .warp && warp.learningRate == 0.05 && warp.regularization == 0 && warp.epochs == 20)
    let bpr = try #require(try type.make(ModelOptions([:])) as? BPRModel)
    #expect(bpr.loss == .bpr && bpr.learningRate == 0.01 && bpr.regularization == 0.01 && bpr.epochs == 100)
    #expect(throws: ModelError.self) { _ = try type.make(ModelOptions(["loss": .text("hinge")])) }
    #expect(throws: ModelError.self) { _ = try type.make(ModelOptions(["max-sampled": .int(0)])) }
    #expect(throws: ModelError.self) { _ = try type.make(ModelOptions(["learning-rate": .double(0)])) }
  }
}
