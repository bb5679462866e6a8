import Foundation
import RecData
import Testing

private let t = T.table(
  ("user", T.ints([1, 1, 2, 2, nil])),
  ("r", T.ints([1, 3, 5, 5, 4])),
  ("rd", T.doubles([1, 3, 5, nil, 2])))

@Test func minmaxAndZscore() throws {
  let (m, report) = try t.normalized("rd", method: .minmax)
  // min 1, max 5: (x - 1) / 4
  #expect(T.close(T.values(m.column("rd")), T.dv([0, 0.5, 1, nil, 0.25])))
  #expect(report.overall.min == 1)
  #expect(report.overall.max == 5)
  #expect(report.overall.count == 4)
  #expect(report.transform(3) == 0.5)

  let (z, zr) = try t.normalized("r", method: .zscore, into: "rz")
  // mean (1+3+5+5+4)/5 = 3.6; population variance (6.76+0.36+1.96+1.96+0.16)/5 = 2.24
  let s = 2.24.squareRoot()
  #expect(T.close(T.values(z.column("rz")), T.dv([(1 - 3.6) / s, (3 - 3.6) / s, 1.4 / s, 1.4 / s, 0.4 / s])))
  #expect(T.values(z.column("r")) == T.iv([1, 3, 5, 5, 4]))  // the source is kept with `into`
  #expect(abs(zr.overall.std - s) < 1e-12)
}

@Test func constantColumnsBecomeZero() throws {
  let c = T.table(("x", T.ints([2, 2, nil])))
  #expect(T.values(try c.normalized("x", method: .minmax).0.column("x")) == T.dv([0, 0, nil]))
  #expect(T.values(try c.normalized("x", method: .zscore).0.column("x")) == T.dv([0, 0, nil]))
}

@Test func log1pSumAndUserMean() throws {
  let l = T.table(("x", T.doubles([0, M_E - 1, nil])))
  #expect(T.close(T.values(try l.normalized("x", method: .log1p).0.column("x")), T.dv([0, 1, nil])))
  let (s, sr) = try t.normalized("r", method: .sum)
  #expect(sr.overall.total == 18)
  #expect(T.close(T.values(s.column("r")), T.dv([1.0 / 18, 3.0 / 18, 5.0 / 18, 5.0 / 18, 4.0 / 18])))
  // user 1: r 1, 3 (mean 2); user 2: 5, 5 (mean 5); the missing user stays missing
  let (u, ur) = try t.normalized("r", method: .userMean, by: "user")
  #expect(T.values(u.column("r")) == T.dv([-1, 1, 0, 0, nil]))
  #expect(ur.groups[.int(1)]?.mean == 2)
  #expect(ur.groups[.int(2)]?.mean == 5)
  #expect(ur.groups.count == 2)
  #expect(ur.transform(4, group: .int(1)) == 2)
  #expect(ur.transform(4, group: .int(9)) == nil)
  // per-group minmax: user 1 -> [0, 1]; user 2 constant -> 0
  #expect(
    T.values(try t.normalized("r", method: .minmax, by: "user").0.column("r")) == T.dv([0, 1, 0, 0, nil]))
}

@Test func normalizeErrors() {
  let neg = T.table(("x", T.ints([-1, 2, -3])), ("s", T.strings(["a", "b", "c"])))
  #expect(throws: DataError.invalidArgument("log1p needs values >= 0, but column 'x' has 2 negative values"))
  {
    try neg.normalized("x", method: .log1p)
  }
  #expect(
    throws: DataError.invalidArgument(
      "normalize method=user-mean needs by=<group column> (for example by=user)")
  ) {
    try neg.normalized("x", method: .userMean)
  }
  #expect(
    throws: DataError.typeMismatch(
      message: "cannot normalize string column 's' (it needs numbers)", span: nil)
  ) {
    try neg.normalized("s", method: .minmax)
  }
  #expect(throws: DataError.unknownColumn(name: "usr", table: "", suggestions: [], span: nil)) {
    try neg.normalized("x", method: .zscore, by: "usr")
  }
}

/// Over many seeds: minmax lies in [0, 1] with both ends reached; zscore has mean 0
/// and population std 1, overall and per group.
@Test(arguments: 0..<25)
func normalizeProperties(seed: Int) throws {
  var g = SeededGenerator(seed: UInt64(seed))
  let x = (0..<80).map { _ in g.nextDouble() < 0.1 ? nil : g.nextGaussian() * 10 + 3 }
  let groups = (0..<80).map { _ in g.nextInt(below: 4) }
  let t = T.table(("x", T.doubles(x)), ("g", T.ints(groups)))
  let mm = try t.normalized("x", method: .minmax).0.column("x")!.doubles!.filter { !$0.isNaN }
  #expect(mm.allSatisfy { (0...1).contains($0) })
  #expect(mm.min() == 0 && mm.max() == 1)
  let z = try t.normalized("x", method: .zscore).0.column("x")!.doubles!.filter { !$0.isNaN }
  let mean = z.reduce(0, +) / Double(z.count)
  let std = (z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(z.count)).squareRoot()
  #expect(abs(mean) < 1e-9)
  #expect(abs(std - 1) < 1e-9)
  let zg = try t.normalized("x", method: .zscore, by: "g").0.column("x")!.doubles!
  for k in 0..<4 {
    let v = zip(zg, groups).filter { $0.1 == k && !$0.0.isNaN }.map(\.0)
    guard v.count > 1 else { continue }
    let m = v.reduce(0, +) / Double(v.count)
    #expect(abs(m) < 1e-9)
    let sd = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)).squareRoot()
    #expect(abs(sd - 1) < 1e-9)
  }
}
