import RecData
import Testing

@Test func describeNumbersAndStrings() {
  let t = T.table(("a", T.ints([1, 2, 2, nil, 5])), ("s", T.strings(["b", "a", "b", nil, nil])))
  let d = t.describe()
  #expect(d.count == 2)
  let a = d[0]
  #expect(a.name == "a")
  #expect(a.type == .int)
  let counts: [Int] = [a.count, a.missing, a.distinct]
  #expect(counts == [4, 1, 3])
  #expect(a.min == .int(1))
  #expect(a.max == .int(5))
  let mean: Double = (1 + 2 + 2 + 5) / 4
  #expect(a.mean == mean)
  // deviations from 2.5: -1.5, -0.5, -0.5, 2.5; squares sum to 9; sample variance 9 / 3
  #expect(abs(a.std! - 3.0.squareRoot()) < 1e-12)
  #expect(
    a.top == [
      .init(value: .int(2), count: 2), .init(value: .int(1), count: 1), .init(value: .int(5), count: 1),
    ])
  let s = d[1]
  #expect(s.type == .string)
  let sc: [Int] = [s.count, s.missing, s.distinct]
  #expect(sc == [3, 2, 2])
  #expect(s.min == .string("a"))
  #expect(s.max == .string("b"))
  #expect(s.mean == nil)
  #expect(s.std == nil)
  #expect(s.top == [.init(value: .string("b"), count: 2), .init(value: .string("a"), count: 1)])
}

@Test func describeAllMissing() {
  let d = T.table(("x", T.doubles([nil, nil]))).describe()[0]
  let dc: [Int] = [d.count, d.missing, d.distinct]
  #expect(dc == [0, 2, 0])
  #expect(d.min == nil)
  #expect(d.mean == nil)
  #expect(d.top.isEmpty)
}
