import RecData
import TestSupport
import Testing

@testable import RecEval

/// Splits: hand-checked cases, properties over many seeds, and bad input.
@Suite struct SplitTests {
  /// Users a (3 events) and b (2 events); times with a tie in user a.
  func small() throws -> Interactions {
    let t = Table(columns: [
      ("u", Column(strings: ["a", "a", "a", "b", "b"])), ("i", Column(ints: [10, 30, 20, 10, 20])),
      ("t", Column(ints: [1, 5, 5, 2, 3])),
    ])
    return try Interactions(table: t, roles: InteractionRoles(user: "u", item: "i", time: "t"))
  }

  @Test func leaveOneOutTakesTheLatestAndBreaksTiesTowardTheLargerItem() throws {
    let s = try Splitter.split(small(), method: .leaveOneOut, seed: 1)
    let test = s.test.table()
    #expect(test.column("u") == Column(codes: [0, 1], dictionary: ["a", "b"]))
    #expect(test.column("i") == Column(ints: [30, 20]))
    // Train per user by (time, item).
    #expect(s.train.table().column("i") == Column(ints: [10, 20, 10]))
    #expect(s.summary.testUsers == 2 && s.summary.testItemsUnseen == 1)
    #expect(s.warnings.contains(.unseenTestItems(items: 1, rows: 1)))
  }

  @Test func temporalCutByTimeAndQuantile() throws {
    let d = try small()
    let s = try Splitter.split(d, method: .temporal(.time(3)), seed: 1)
    #expect(s.test.count == 3 && s.train.count == 2)
    // Sorted times 1 2 3 5 5; quantile 0.6 -> index 3 -> cut at 5: two test events.
    let q = try Splitter.split(d, method: .temporal(.quantile(0.6)), seed: 1)
    #expect(q.test.count == 2)
  }

  @Test func badInputIsATypedError() throws {
    let d = try small()
    #expect(throws: EvalError.userWithoutTrainingData(user: "b", interactions: 2, split: "leave-2-out")) {
      try Splitter.split(d, method: .leaveKOut(2), seed: 1)
    }
    #expect(throws: EvalError.invalidK(0)) { try Splitter.split(d, method: .leaveKOut(0), seed: 1) }
    let t = Table(columns: [("user", Column(ints: [1])), ("item", Column(ints: [2]))])
    #expect(throws: EvalError.unknownColumn(role: "item", name: "itme", table: "", suggestions: ["item"])) {
      try Interactions(table: t, roles: InteractionRoles(item: "itme"))
    }
    let noTime = try Interactions(table: t, roles: InteractionRoles())
    #expect(throws: EvalError.missingRole(role: "time", neededBy: "a temporal split")) {
      try Splitter.split(noTime, method: .temporal(.quantile(0.5)), seed: 1)
    }
    #expect(throws: EvalError.invalidArgument("ratio must be between 0 and 1 (exclusive), got 1.5")) {
      try Splitter.split(noTime, method: .randomGlobal(ratio: 1.5), seed: 1)
    }
  }

  static let methods: [SplitMethod] = [
    .leaveOneOut, .leaveKOut(2), .temporal(.quantile(0.8)), .randomPerUser(ratio: 0.3),
    .randomGlobal(ratio: 0.2),
  ]

  @Test(arguments: methods)
  func trainAndTestPartitionTheInputOverManySeeds(method: SplitMethod) throws {
    for seed in UInt64(0)..<20 {
      var table = RandomTables.interactions(seed: seed, rows: 300)
      var g = SeededGenerator(seed: seed)
      table = table.setting("time", to: Column(ints: (0..<300).map { _ in g.nextInt(below: 50) }))
      // Keep only users with at least 3 events so per-user methods leave train for everyone.
      let d0 = try Interactions(table: table, roles: InteractionRoles(time: "time"))
      // Distinct (user, item) pairs, users with at least 3 of them (so per-user methods leave
      // everyone some train).
      var seen = Set<[Int32]>()
      let distinct = (0..<d0.count).filter { seen.insert([d0.user[$0], d0.item[$0]]).inserted }
      let d1 = d0.subset(distinct)
      let d = d1.subset((0..<d1.count).filter { d1.byUser.count(ofRow: Int(d1.user[$0])) >= 3 })
      for withTime in [true, false] {
        if case .temporal = method, !withTime { continue }  // needs time: checked in badInputIsATypedError
        let data =
          withTime
          ? d : Interactions(users: d.users, items: d.items, roles: d.roles, user: d.user, item: d.item)
        let s = try Splitter.split(data, method: method, seed: seed, validation: nil)
        // Partition: the multiset of (user, item, time) rows is preserved.
        func rows(_ x: Interactions) -> [[Double]] {
          (0..<x.count).map { [Double(x.user[$0]), Double(x.item[$0]), x.time?[$0] ?? 0] }
        }
        let joined = (rows(s.train) + rows(s.test)).sorted { $0.lexicographicallyPrecedes($1) }
        #expect(joined == rows(data).sorted { $0.lexicographicallyPrecedes($1) })
        // No test pair appears in train.
        for e in 0..<s.test.count {
          #expect(!s.train.byUser.contains(row: Int(s.test.user[e]), column: s.test.item[e]))
        }
        // Same seed, same split.
        let again = try Splitter.split(data, method: method, seed: seed)
        #expect(again.test.user == s.test.user && again.test.item == s.test.item)
        if method.isPerUser {
          for u in 0..<data.userCount where data.byUser.count(ofRow: u) > 0 {
            #expect(s.train.byUser.count(ofRow: u) > 0)
          }
        }
        if case .leaveOneOut = method, withTime {
          // No test event is earlier than a train event of the same user.
          for u in 0..<data.userCount where s.test.byUser.count(ofRow: u) > 0 {
            let tt = s.test.byUser.events(ofRow: u).map { s.test.time![Int($0)] }.min()!
            let tr = s.train.byUser.events(ofRow: u).map { s.train.time![Int($0)] }.max()!
            #expect(tt >= tr)
          }
        }
      }
    }
  }

  @Test func validationIsCarvedFromTrain() throws {
    let table = RandomTables.interactions(seed: 3, rows: 400, users: 10)
    let d = try Interactions(table: table, roles: InteractionRoles())
    let s = try Splitter.split(d, method: .leaveOneOut, seed: 7, validation: .leaveOneOut)
    let v = try #require(s.validation)
    #expect(s.train.count + v.count + s.test.count == d.count)
    #expect(v.activeUserCount == s.test.activeUserCount)
    #expect(s.summary.validationRows == v.count)
  }

  @Test func randomSplitOfTimestampedDataWarns() throws {
    let s = try Splitter.split(small(), method: .randomGlobal(ratio: 0.4), seed: 1)
    #expect(s.warnings.contains(.randomSplitOfTimestampedData))
  }
}
