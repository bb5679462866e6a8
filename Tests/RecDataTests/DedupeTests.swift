import RecData
import Testing

/// Keys (user, item): (1,10) at rows 0, 1; (2,10) at rows 2, 4; (1,20) at row 3.
private let events = T.table(
  ("user", T.ints([1, 1, 2, 1, 2])),
  ("item", T.ints([10, 10, 10, 20, 10])),
  ("ts", T.ints([5, 3, 9, 1, 2])),
  ("rating", T.ints([1, 2, 3, 4, 5])))

@Test(arguments: [
  // keep first: rows 0, 2, 3; keep last: rows 1, 3, 4
  (Table.KeepPolicy.first, nil as String?, [1, 3, 4]),
  (.last, nil, [2, 4, 5]),
  // by ts: (1,10) earliest row 1 (ts 3), latest row 0 (ts 5); (2,10) earliest row 4 (ts 2), latest row 2 (ts 9)
  (.first, "ts", [2, 4, 5]),
  (.last, "ts", [1, 3, 4]),
])
func dedupeKeepsTheRightRow(keep: Table.KeepPolicy, order: String?, ratings: [Int]) throws {
  let (t, removed) = try events.deduplicated(by: ["user", "item"], keep: keep, order: order)
  #expect(removed == 2)
  #expect(T.values(t.column("rating")) == T.iv(ratings))
}

@Test func dedupeOnAllColumnsAndOnMissingKeys() throws {
  #expect(try events.deduplicated(by: nil, keep: .first, order: nil).removed == 0)
  let t = T.table(("user", T.ints([nil, nil, 1])), ("s", T.strings(["a", "a", "a"])))
  let (d, removed) = try t.deduplicated(by: nil, keep: .first, order: nil)
  #expect(removed == 1)  // two rows missing user and both "a" are duplicates
  #expect(T.values(d.column("user")) == T.iv([nil, 1]))
  #expect(try t.deduplicated(by: ["s"], keep: .last, order: nil).0.column("user")?[0] == .int(1))
}

@Test func dedupeErrors() {
  #expect(throws: DataError.unknownColumn(name: "usr", table: "", suggestions: ["user"], span: nil)) {
    try events.deduplicated(by: ["usr"], keep: .first, order: nil)
  }
  #expect(throws: DataError.invalidArgument("dedupe needs at least one column")) {
    try events.deduplicated(by: [], keep: .first, order: nil)
  }
}

private struct Key: Hashable {
  let user: Value
  let item: Value
}

private func keys(_ t: Table) -> [Key] {
  (0..<t.rowCount).map { Key(user: t.column("user")![$0], item: t.column("item")![$0]) }
}

/// Over many random tables: dedupe keeps exactly the distinct keys, once each, is
/// idempotent, and with keep=last and an order the survivor has the latest order value.
@Test(arguments: 0..<30)
func dedupeProperties(seed: Int) throws {
  let t = randomInteractions(seed: UInt64(seed), rows: 120, users: 6, items: 8, missingRate: 0.1)
  let (d, removed) = try t.deduplicated(by: ["user", "item"], keep: .first, order: nil)
  let distinct = Set(keys(t))
  #expect(Set(keys(d)) == distinct)
  #expect(d.rowCount == distinct.count)
  #expect(removed == t.rowCount - distinct.count)
  #expect(try d.deduplicated(by: ["user", "item"], keep: .first, order: nil).removed == 0)

  let (last, _) = try t.deduplicated(by: ["user", "item"], keep: .last, order: "ts")
  #expect(last.rowCount == distinct.count)
  var latest: [Key: Int] = [:]
  for (r, k) in keys(t).enumerated() {
    if case .int(let ts) = t.column("ts")![r] { latest[k] = max(latest[k] ?? Int.min, ts) }
  }
  for (r, k) in keys(last).enumerated() { #expect(last.column("ts")![r] == .int(latest[k]!)) }
}
