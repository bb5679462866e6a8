import RecData
import Testing

private let ratings = T.table(("item", T.ints([1, 2, 3, nil, 2])), ("rating", T.ints([5, 4, 3, 2, 1])))
private let items = T.table(
  ("item", T.ints([2, 1, 9])), ("title", T.strings(["b", "a", "z"])), ("rating", T.doubles([3.5, 4.5, 1])))

@Test func leftJoinKeepsEveryLeftRow() throws {
  let (t, matched) = try ratings.leftJoin(items, on: "item", otherName: "items")
  #expect(matched == 3)  // items 1, 2, 2; item 3 and the missing key find nothing
  #expect(t.columnNames == ["item", "rating", "title", "rating_items"])
  #expect(T.values(t.column("title")) == T.sv(["a", "b", nil, nil, "b"]))
  #expect(T.values(t.column("rating_items")) == T.dv([4.5, 3.5, nil, nil, 3.5]))
  #expect(T.values(t.column("rating")) == T.iv([5, 4, 3, 2, 1]))
}

@Test func keysMatchAcrossTypesByCanonicalText() throws {
  let left = T.table(("id", T.ints([5, 6, 7])))
  let right = T.table(("key", T.strings(["5", "06", "7.0"])), ("name", T.strings(["five", "six", "seven"])))
  let (t, matched) = try left.leftJoin(right, on: "id", otherKey: "key")
  #expect(matched == 1)
  #expect(t.columnNames == ["id", "name"])
  #expect(T.values(t.column("name")) == T.sv(["five", nil, nil]))
  let doubles = T.table(("id", T.doubles([6, 7.5])), ("v", T.ints([1, 2])))
  #expect(T.values(try left.leftJoin(doubles, on: "id").0.column("v")) == T.iv([nil, 1, nil]))
}

@Test func duplicateRightKeysAreAnError() {
  let dup = T.table(("item", T.ints([2, 1, 2])))
  #expect(
    throws: DataError.invalidArgument(
      "cannot join: 'items' has key 2 twice in column 'item' (rows 1 and 3); a left join needs unique keys on the right"
    )
  ) {
    try ratings.leftJoin(dup, on: "item", otherName: "items")
  }
  #expect(throws: DataError.unknownColumn(name: "itm", table: "items", suggestions: ["item"], span: nil)) {
    try ratings.leftJoin(items, on: "item", otherKey: "itm", otherName: "items")
  }
}
