import RecData
import Testing

private let movies = T.table(
  ("genre", T.strings(["Action|Comedy", "Comedy", nil, "Drama | Comedy", "Action"])),
  ("c", T.ints([3, 1, 3, 2, nil])),
  ("x", T.doubles([1, 2, 3, 4, 5])))

@Test func multiHotOrderedByFrequency() throws {
  // Comedy in 3 rows, Action 2, Drama 1
  let (t, added) = try movies.oneHot("genre", separator: "|")
  #expect(added == ["genre_comedy", "genre_action", "genre_drama"])
  #expect(T.values(t.column("genre_comedy")) == T.iv([1, 1, 0, 1, 0]))
  #expect(T.values(t.column("genre_action")) == T.iv([1, 0, 0, 0, 1]))
  #expect(T.values(t.column("genre_drama")) == T.iv([0, 0, 0, 1, 0]))
  #expect(t.column("genre") != nil)
}

@Test func topKeepsTheMostFrequentAndAddsOther() throws {
  let (t, added) = try movies.oneHot("genre", separator: "|", top: 1, prefix: "g_")
  #expect(added == ["g_comedy", "g_other"])
  #expect(T.values(t.column("g_other")) == T.iv([1, 0, 0, 1, 1]))
}

@Test func intColumnsTieBrokenByValue() throws {
  // 3 twice; 1 and 2 once each (1 first by value); missing gives all zeros
  let (t, added) = try movies.oneHot("c")
  #expect(added == ["c_3", "c_1", "c_2"])
  #expect(T.values(t.column("c_3")) == T.iv([1, 0, 1, 0, 0]))
  #expect(T.values(t.column("c_1")) == T.iv([0, 1, 0, 0, 0]))
  #expect(T.values(t.column("c_2")) == T.iv([0, 0, 0, 1, 0]))
}

@Test(arguments: [
  ("Children's", "genre_children_s"),
  ("Sci-Fi", "genre_sci_fi"),
  ("(no genres listed)", "genre_no_genres_listed"),
  ("Café Noir", "genre_cafe_noir"),
])
func columnNamesAreIdentifiers(value: String, name: String) throws {
  let t = T.table(("genre", T.strings([value])))
  #expect(try t.oneHot("genre").added == [name])
}

@Test func clashingNamesGetASuffix() throws {
  let t = T.table(("g", T.strings(["Sci-Fi", "sci fi", "sci fi"])))
  #expect(try t.oneHot("g").added == ["g_sci_fi", "g_sci_fi_2"])
}

@Test func oneHotErrors() {
  #expect(
    throws: DataError.typeMismatch(message: "cannot one-hot double column 'x' (bucket it first)", span: nil)
  ) {
    try movies.oneHot("x")
  }
  #expect(throws: DataError.invalidArgument("one-hot top must be at least 1 (got 0)")) {
    try movies.oneHot("genre", top: 0)
  }
  let t = T.table(("g", T.strings(["a"])), ("g_a", T.ints([1])))
  #expect(
    throws: DataError.invalidArgument(
      "one-hot column 'g_a' already exists in the table; choose another prefix")
  ) {
    try t.oneHot("g")
  }
}
