import Foundation
import Testing

@testable import RecData

/// MovieLens files: names, columns, types, and the real ml-100k when it is present.
@Suite struct MovieLensTests {
  static let dir = "../shared/data/ml-100k"
  static var present: Bool { FileManager.default.fileExists(atPath: dir + "/u.data") }

  @Test(
    arguments: [
      ("data/ml-100k/u.data", MovieLens.Kind.ratings100k), ("ua.base", .ratings100k),
      ("x/ub.test", .ratings100k),
      ("u3.base", .ratings100k), ("u5.test", .ratings100k), ("u.item", .items100k), ("u.user", .users100k),
      ("ml-1m/ratings.dat", .ratings1m), ("movies.dat", .movies1m), ("users.dat", .users1m),
    ] as [(String, MovieLens.Kind)])
  func kindByName(path: String, kind: MovieLens.Kind) {
    #expect(MovieLens.kind(ofPath: path) == kind)
  }

  @Test(arguments: ["u.genre", "ratings.csv", "u6x.base", "u.data.bak", "data"])
  func notMovieLens(path: String) {
    #expect(MovieLens.kind(ofPath: path) == nil)
  }

  @Test(.enabled(if: present, "ml-100k is absent at ../shared/data/ml-100k: skipped"))
  func ratings() throws {
    let (t, report) = try MovieLens.read(path: Self.dir + "/u.data")
    #expect(t.columnNames == ["user", "item", "rating", "timestamp"])
    #expect(t.columns.map(\.type) == [.int, .int, .int, .int])
    #expect(t.rowCount == 100_000)
    #expect(report.rows == 100_000)
    #expect(t.row(0) == [.int(196), .int(242), .int(3), .int(881_250_949)])
    #expect(t.columns.allSatisfy { $0.missingCount == 0 })
    let (base, _) = try MovieLens.read(path: Self.dir + "/ua.base")
    let (test, _) = try MovieLens.read(path: Self.dir + "/ua.test")
    #expect(base.rowCount + test.rowCount == 100_000)
    #expect(test.rowCount == 943 * 10)  // ua.test holds 10 ratings per user
  }

  @Test(.enabled(if: present, "ml-100k is absent at ../shared/data/ml-100k: skipped"))
  func items() throws {
    let (t, _) = try MovieLens.read(path: Self.dir + "/u.item")
    #expect(t.rowCount == 1682)
    #expect(
      t.columnNames == ["item", "title", "release_date", "video_release_date", "url"] + MovieLens.genres + [
        "genres"
      ])
    #expect(t.column("item")?.type == .int)
    #expect(t.column("video_release_date")?.type == .string)
    #expect(t.column("video_release_date")?.missingCount == 1682)
    #expect(t.column("title")?[0] == .string("Toy Story (1995)"))
    #expect(t.column("genres")?[0] == .string("Animation|Childrens|Comedy"))
    // Latin-1: item 543 is "Misérables, Les (1995)" (0xE9 in the file).
    #expect(t.column("title")?[542] == .string("Misérables, Les (1995)"))
    // Item 267 has no title data but the `unknown` genre.
    #expect(t.column("genres")?[266] == .string("unknown"))
    #expect(t.column("release_date")?[266] == .missing)
    for g in MovieLens.genres { #expect(t.column(g)?.type == .int) }
  }

  @Test(.enabled(if: present, "ml-100k is absent at ../shared/data/ml-100k: skipped"))
  func users() throws {
    let (t, _) = try MovieLens.read(path: Self.dir + "/u.user")
    #expect(t.rowCount == 943)
    #expect(t.columnNames == ["user", "age", "gender", "occupation", "zip"])
    #expect(t.columns.map(\.type) == [.int, .int, .string, .string, .string])
    #expect(t.row(0) == [.int(1), .int(24), .string("M"), .string("technician"), .string("85711")])
  }

  @Test func ml1mDoubleColonFiles() throws {
    let dir = try CSVTest.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let movies: [UInt8] =
      Array(
        "1::Toy Story (1995)::Animation|Children's|Comedy\n2::Star Wars: Episode IV (1977)::Sci-Fi\n3::Caf"
          .utf8) + [0xE9] + Array(" (1999)::Drama\n".utf8)
    #expect(FileManager.default.createFile(atPath: dir + "/movies.dat", contents: Data(movies)))
    let (m, report) = try MovieLens.read(path: dir + "/movies.dat")
    #expect(m.columnNames == ["item", "title", "genres"])
    #expect(m.row(1) == [.int(2), .string("Star Wars: Episode IV (1977)"), .string("Sci-Fi")])
    #expect(m.row(2)[1] == .string("Café (1999)"))
    #expect(report.bytes == movies.count)
    let ratings = "1::1193::5::978300760\n1::661::3::978302109\n"
    #expect(FileManager.default.createFile(atPath: dir + "/ratings.dat", contents: Data(ratings.utf8)))
    let (r, _) = try MovieLens.read(path: dir + "/ratings.dat")
    #expect(
      CSVTest.rows(r) == [
        [.int(1), .int(1193), .int(5), .int(978_300_760)], [.int(1), .int(661), .int(3), .int(978_302_109)],
      ])
    let users = "1::F::1::10::48067\n2::M::56::16::L9G2B\n"
    #expect(FileManager.default.createFile(atPath: dir + "/users.dat", contents: Data(users.utf8)))
    let (u, _) = try MovieLens.read(path: dir + "/users.dat")
    #expect(u.row(1) == [.int(2), .string("M"), .int(56), .int(16), .string("L9G2B")])
  }

  @Test func errors() throws {
    let dir = try CSVTest.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    #expect(
      CSVTest.error { () throws(DataError) in _ = try MovieLens.read(path: dir + "/u.data") }
        == .io(path: dir + "/u.data", message: "no such file or directory"))
    #expect(FileManager.default.createFile(atPath: dir + "/u.data", contents: Data("1\t2\t4.5\t9\n".utf8)))
    #expect(
      CSVTest.error { () throws(DataError) in _ = try MovieLens.read(path: dir + "/u.data") }
        == .badValue(path: dir + "/u.data", line: 1, column: "rating", text: "4.5", expected: .int))
    #expect(
      CSVTest.error { () throws(DataError) in _ = try MovieLens.read(path: dir + "/other.csv") }
        == .invalidArgument(
          "\(dir)/other.csv: not a MovieLens file name (u.data, u.item, u.user, ratings.dat, ...)"))
  }
}
