import RecData
import Testing

private func interactions(_ pairs: [(Int?, String?)]) -> Table {
  T.table(("user", T.ints(pairs.map(\.0))), ("item", T.strings(pairs.map(\.1))))
}

@Test func kcoreRemovesALightUser() throws {
  let t = interactions([(1, "a"), (1, "b"), (2, "a"), (2, "b"), (3, "a")])
  let (k, report) = try t.kcore(user: "user", item: "item", minUser: 2, minItem: 2)
  #expect(T.values(k.column("user")) == T.iv([1, 1, 2, 2]))
  #expect(
    report
      == KCoreReport(
        usersBefore: 3, itemsBefore: 2, rowsBefore: 5, usersAfter: 2, itemsAfter: 2, rowsAfter: 4,
        iterations: 1))
}

/// Removing user 3 and item a leaves user 1 and item c short, then user 2 and item b:
/// three rounds and nothing left.
@Test func kcoreCascades() throws {
  let t = interactions([(1, "a"), (1, "b"), (2, "b"), (2, "c"), (3, "c")])
  let (k, report) = try t.kcore(user: "user", item: "item", minUser: 2, minItem: 2)
  #expect(k.rowCount == 0)
  #expect(report.iterations == 3)
  #expect(report.usersAfter == 0 && report.itemsAfter == 0 && report.rowsAfter == 0)
}

@Test func kcoreDropsMissingKeysAndChecksArguments() throws {
  let t = interactions([(1, "a"), (nil, "a"), (1, nil)])
  let (k, report) = try t.kcore(user: "user", item: "item", minUser: 1, minItem: 1)
  #expect(k.rowCount == 1)
  #expect(report.usersBefore == 1 && report.itemsBefore == 1 && report.rowsAfter == 1)
  #expect(throws: DataError.invalidArgument("kcore minimums must be at least 1 (got user 0, item 2)")) {
    try t.kcore(user: "user", item: "item", minUser: 0, minItem: 2)
  }
}

/// The classic loop: drop short users, then short items, until nothing changes.
private func referenceKCore(_ t: Table, _ minUser: Int, _ minItem: Int) -> Table {
  var t = t
  while true {
    var userCount: [Value: Int] = [:]
    var itemCount: [Value: Int] = [:]
    for r in 0..<t.rowCount {
      userCount[t.column("user")![r], default: 0] += 1
      itemCount[t.column("item")![r], default: 0] += 1
    }
    let keep = (0..<t.rowCount).map { r in
      let u = t.column("user")![r]
      let i = t.column("item")![r]
      return !u.isMissing && !i.isMissing && userCount[u]! >= minUser && itemCount[i]! >= minItem
    }
    if keep.allSatisfy({ $0 }) { return t }
    t = t.filtering(keep)
  }
}

/// Over many seeds: every user and item left meets its minimum, the result equals the
/// classic iterative algorithm's, and k-core of the result changes nothing.
@Test(arguments: 0..<30)
func kcoreProperties(seed: Int) throws {
  let t = randomInteractions(seed: UInt64(seed), rows: 300, users: 40, items: 25, missingRate: 0.02)
  let minUser = 1 + seed % 4
  let minItem = 1 + (seed / 4) % 5
  let (k, report) = try t.kcore(user: "user", item: "item", minUser: minUser, minItem: minItem)
  var userCount: [Value: Int] = [:]
  var itemCount: [Value: Int] = [:]
  for r in 0..<k.rowCount {
    userCount[k.column("user")![r], default: 0] += 1
    itemCount[k.column("item")![r], default: 0] += 1
  }
  #expect(userCount.values.allSatisfy { $0 >= minUser })
  #expect(itemCount.values.allSatisfy { $0 >= minItem })
  #expect(report.usersAfter == userCount.count && report.itemsAfter == itemCount.count)
  #expect(sameRows(k, referenceKCore(t, minUser, minItem)))
  let (again, second) = try k.kcore(user: "user", item: "item", minUser: minUser, minItem: minItem)
  #expect(sameRows(again, k))
  #expect(second.iterations == 0)
}

/// Tables equal value by value (`==` on tables is false for NaN-marked missing doubles).
func sameRows(_ a: Table, _ b: Table) -> Bool {
  a.columnNames == b.columnNames && zip(a.columns, b.columns).allSatisfy { T.values($0) == T.values($1) }
}
