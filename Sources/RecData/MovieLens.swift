#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Readers for the MovieLens files (GroupLens; Harper and Konstan 2015, "The
/// MovieLens Datasets: History and Context"), recognised by file name.
///
/// ml-100k: `u.data`, `ua.base`/`ua.test`, `ub.*`, `u1.base` ... `u5.test` (tab-separated
/// `user item rating timestamp`), `u.item` (pipe-separated, Latin-1: `item`, `title`,
/// `release_date`, `video_release_date`, `url`, 19 genre flags named after `u.genre`,
/// plus a derived `genres` string such as `"Action|Comedy"`, missing when no flag is
/// set), `u.user` (`user age gender occupation zip`; zip is a string: `L9G2B` exists).
/// ml-1m: `ratings.dat`, `movies.dat` (`item title genres`), `users.dat`
/// (`user gender age occupation zip`), separated by `::` (Latin-1).
/// The files have no header; quoting is off (titles may start with `"`).
public enum MovieLens {
  public enum Kind: String, Sendable, CaseIterable {
    case ratings100k, items100k, users100k, ratings1m, movies1m, users1m
  }

  /// The ml-100k genre flags, in file order (names from `u.genre`, made identifiers).
  public static let genres = [
    "unknown", "Action", "Adventure", "Animation", "Childrens", "Comedy", "Crime", "Documentary", "Drama",
    "Fantasy", "FilmNoir", "Horror", "Musical", "Mystery", "Romance", "SciFi", "Thriller", "War", "Western",
  ]

  /// The kind of MovieLens file at `path` (by its name), or `nil` if it is not one.
  public static func kind(ofPath path: String) -> Kind? {
    let file = path.split(separator: "/").last.map(String.init) ?? path
    switch file {
    case "u.data", "ua.base", "ua.test", "ub.base", "ub.test": return .ratings100k
    case "u.item": return .items100k
    case "u.user": return .users100k
    case "ratings.dat": return .ratings1m
    case "movies.dat": return .movies1m
    case "users.dat": return .users1m
    default: break
    }
    // u1.base ... u5.test
    let b = Array(file.utf8)
    if b.count == 7, b[0] == UInt8(ascii: "u"), (0x31...0x39).contains(b[1]),
      file.hasSuffix(".base") || file.hasSuffix(".test")
    {
      return .ratings100k
    }
    return nil
  }

  /// Reads a MovieLens file with its known columns and types.
  public static func read(
    path: String, progress: (@Sendable (Double) -> Bool)? = nil
  ) throws(DataError) -> (Table, LoadReport) {
    guard let kind = kind(ofPath: path) else {
      throw .invalidArgument("\(path): not a MovieLens file name (u.data, u.item, u.user, ratings.dat, ...)")
    }
    var o = CSVOptions()
    o.header = false
    o.quoting = false
    o.encoding = .latin1
    o.onError = .fail
    let ratings = ["user", "item", "rating", "timestamp"]
    switch kind {
    case .ratings100k, .ratings1m:
      o.columnNames = ratings
      o.types = Dictionary(uniqueKeysWithValues: ratings.map { ($0, .int) })
    case .items100k:
      o.columnNames = ["item", "title", "release_date", "video_release_date", "url"] + genres
      o.types = [
        "item": .int, "title": .string, "release_date": .string, "video_release_date": .string,
        "url": .string,
      ]
      for g in genres { o.types[g] = .int }
    case .users100k:
      o.columnNames = ["user", "age", "gender", "occupation", "zip"]
      o.types = ["user": .int, "age": .int, "gender": .string, "occupation": .string, "zip": .string]
    case .movies1m:
      o.columnNames = ["item", "title", "genres"]
      o.types = ["item": .int, "title": .string, "genres": .string]
    case .users1m:
      o.columnNames = ["user", "gender", "age", "occupation", "zip"]
      o.types = ["user": .int, "gender": .string, "age": .int, "occupation": .int, "zip": .string]
    }
    switch kind {
    case .ratings100k, .items100k, .users100k:
      o.separator = kind == .ratings100k ? 0x09 : 0x7C
      let (t, report) = try CSVReader.read(path: path, options: o, progress: progress)
      return (kind == .items100k ? withGenres(t) : t, report)
    case .ratings1m, .movies1m, .users1m:
      // "::" is two bytes; the reader takes one. 0x1F (unit separator) never occurs in these files.
      let (raw, _) = try readBytes(path)
      o.separator = 0x1F
      let (t, report) = try CSVReader.read(
        data: replacingDoubleColons(raw), name: path, options: o, progress: progress)
      return (
        t,
        LoadReport(
          rows: report.rows, bytes: raw.count, skipped: report.skipped, skippedSamples: report.skippedSamples)
      )
    }
  }

  /// `t` plus a `genres` column joining the names of the set flags with `|`.
  static func withGenres(_ t: Table) -> Table {
    let flags = genres.compactMap { t.column($0) }
    guard flags.count == genres.count else { return t }
    var strings = [String?]()
    strings.reserveCapacity(t.rowCount)
    for r in 0..<t.rowCount {
      var names: [String] = []
      for (g, column) in zip(genres, flags) where column[r] == .int(1) { names.append(g) }
      strings.append(names.isEmpty ? nil : names.joined(separator: "|"))
    }
    return t.setting("genres", to: Column(strings: strings))
  }

  private static func readBytes(_ path: String) throws(DataError) -> ([UInt8], Int) {
    var st = stat()
    guard stat(path, &st) == 0 else { throw .io(path: path, message: "no such file or directory") }
    if (st.st_mode & S_IFMT) == S_IFDIR { throw .io(path: path, message: "is a directory, not a file") }
    guard let f = fopen(path, "rb") else { throw .io(path: path, message: String(cString: strerror(errno))) }
    defer { fclose(f) }
    var bytes = [UInt8]()
    var block = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = block.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
      if n == 0 { break }
      bytes.append(contentsOf: block[0..<n])
    }
    return (bytes, bytes.count)
  }

  /// `::` replaced by the single byte 0x1F.
  static func replacingDoubleColons(_ b: [UInt8]) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(b.count)
    var i = 0
    while i < b.count {
      if b[i] == 0x3A && i + 1 < b.count && b[i + 1] == 0x3A {
        out.append(0x1F)
        i += 2
      } else {
        out.append(b[i])
        i += 1
      }
    }
    return out
  }
}
