import RecData
import Testing

private let t = T.table(("a", T.ints([1, nil, 3])), ("s", T.strings(["x", "y", nil])))

@Test func dropMissing() throws {
  let (all, removedAll) = try t.droppingMissing(in: nil)
  #expect(removedAll == 2)
  #expect(T.values(all.column("a")) == T.iv([1]))
  let (some, removedSome) = try t.droppingMissing(in: ["a"])
  #expect(removedSome == 1)
  #expect(T.values(some.column("s")) == T.sv(["x", nil]))
}

private let gaps = T.table(("a", T.ints([1, nil, 4, nil])), ("s", T.strings(["b", "a", nil, "b"])))

@Test(arguments: [
  (Table.Fill.value(.int(0)), T.iv([1, 0, 4, 0]), 2),
  (.value(.double(2.5)), T.dv([1, 2.5, 4, 2.5]), 2),
  (.mean, T.dv([1, (1.0 + 4) / 2, 4, (1.0 + 4) / 2]), 2),
  (.median, T.dv([1, (1.0 + 4) / 2, 4, (1.0 + 4) / 2]), 2),
  (.mode, T.iv([1, 1, 4, 1]), 2),  // 1 and 4 tie; the smaller wins
  (.forward, T.iv([1, 1, 4, 4]), 2),
])
func fillNumbers(fill: Table.Fill, expected: [Value], filled: Int) throws {
  let (out, n) = try gaps.fillingMissing("a", with: fill)
  #expect(n == filled)
  #expect(T.close(T.values(out.column("a")), expected))
}

@Test func fillKeepsIntsForWholeValuesAndFillsStrings() throws {
  let odd = T.table(("a", T.ints([1, nil, 3])))
  #expect(T.values(try odd.fillingMissing("a", with: .median).0.column("a")) == T.iv([1, 2, 3]))
  #expect(T.values(try gaps.fillingMissing("s", with: .mode).0.column("s")) == T.sv(["b", "a", "b", "b"]))
  #expect(
    T.values(try gaps.fillingMissing("s", with: .value(.int(7))).0.column("s")) == T.sv(["b", "a", "7", "b"]))
  let lead = T.table(("a", T.ints([nil, 2, nil])))
  let (f, n) = try lead.fillingMissing("a", with: .forward)
  #expect(n == 1)
  #expect(T.values(f.column("a")) == T.iv([nil, 2, 2]))
}

@Test func fillErrors() {
  #expect(throws: DataError.typeMismatch(message: "cannot take the mean of string column 's'", span: nil)) {
    try gaps.fillingMissing("s", with: .mean)
  }
  #expect(
    throws: DataError.typeMismatch(message: "cannot fill int column 'a' with the string 'z'", span: nil)
  ) {
    try gaps.fillingMissing("a", with: .value(.string("z")))
  }
  let empty = T.table(("a", T.ints([nil, nil])))
  #expect(throws: DataError.invalidArgument("column 'a' has no values to fill from")) {
    try empty.fillingMissing("a", with: .mean)
  }
  #expect(throws: DataError.invalidArgument("fill value for 'a' is missing")) {
    try gaps.fillingMissing("a", with: .value(.missing))
  }
}

private let range = T.table(("r", T.ints([0, 3, 7, nil, 5])), ("k", T.ints([1, 2, 3, 4, 5])))

@Test func clipAndDrop() throws {
  let (c, affected) = try range.clipping("r", min: 1, max: 5, drop: false)
  #expect(affected == 2)
  #expect(T.values(c.column("r")) == T.iv([1, 3, 5, nil, 5]))
  let (d, dropped) = try range.clipping("r", min: 1, max: 5, drop: true)
  #expect(dropped == 2)
  #expect(T.values(d.column("k")) == T.iv([2, 4, 5]))
  let (h, half) = try range.clipping("r", min: nil, max: 4.5, drop: false)
  #expect(half == 2)
  #expect(T.values(h.column("r")) == T.dv([0, 3, 4.5, nil, 4.5]))
}

@Test func clipErrors() {
  #expect(throws: DataError.invalidArgument("clip 'r': min 5.0 is above max 1.0")) {
    try range.clipping("r", min: 5, max: 1, drop: false)
  }
  #expect(
    throws: DataError.typeMismatch(message: "cannot clip string column 's' to a numeric range", span: nil)
  ) {
    try t.clipping("s", min: 0, max: 1, drop: false)
  }
}
