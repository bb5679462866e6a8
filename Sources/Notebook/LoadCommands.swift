import Foundation
import RecData
import Synchronization

/// `load`: tables from CSV/TSV files, MovieLens files and the built-in samples.
enum LoadCommands {
  static let all: [Command] = [load]

  /// The last generated sample: a notebook loads events, users and items of the same
  /// sample in three cells, and generating it is deterministic, so it is made once.
  static let sampleCache = Mutex<(ShopSample.Parameters, ShopSample)?>(nil)

  static let samples = ["sample:shop", "sample:shop/events", "sample:shop/users", "sample:shop/items"]

  static let load = Command(
    name: "load", group: .load,
    summary: "Load a table from CSV/TSV, MovieLens files or a sample",
    details: """
      Files: RFC 4180 CSV (quoted fields, "" escapes), or any separator; column types
      are inferred (int, double, string; empty fields are missing). MovieLens ml-100k
      files (u.data, u.item, u.user, ua.base ...) are recognised by name.
      Samples: sample:shop (events), sample:shop/users, sample:shop/items: a synthetic
      shop with planted structure (help sample).
      Paths may use $VAR and ${VAR:-default}.
      """,
    params: [
      Param("NAME", .newTable, help: "the new table's name"), Param("from", .keyword("from")),
      Param("PATH", .path, help: "a file, or sample:shop[/users|/items]"),
    ],
    options: [
      Option("format", .choice(["auto", "csv", "tsv", "movielens"]), default: "auto", "file format"),
      Option("sep", .string, "field separator (a character, or tab, comma, semicolon, pipe)"),
      Option("header", .bool, "whether the first row names the columns (default: detected)"),
      Option("columns", .list, "names for the columns"),
      Option("types", .list, "forced column types, as col:int,col:double,col:string"),
      Option("encoding", .choice(["utf8", "latin1"]), default: "utf8", "text encoding"),
      Option("on-error", .choice(["fail", "skip"]), default: "fail", "what to do with a malformed row"),
      Option("users", .int(min: 1, max: 10_000_000), default: "2000", "sample: number of users"),
      Option("items", .int(min: 1, max: 10_000_000), default: "800", "sample: number of items"),
      Option("events", .int(min: 1, max: 100_000_000), default: "50000", "sample: number of events"),
      Option("seed", .int(min: 0, max: nil), default: "the session seed", "sample: generator seed"),
    ],
    examples: [
      "load events from sample:shop",
      "load items from sample:shop/items",
      "load ratings from ${RECBOOK_DATA:-../shared/data}/ml-100k/u.data",
      "load small from sample:shop users=100 items=50 events=2000 seed=7",
    ],
    run: { s, a, ctx throws(NotebookError) in
      let name = a.text("NAME") ?? ""
      let path = a.text("PATH") ?? ""
      let clock = ContinuousClock()
      let start = clock.now
      var out = CellOutput()
      let table: Table
      let lineage: String
      if path.hasPrefix("sample:") {
        for o in ["format", "sep", "header", "columns", "types", "encoding", "on-error"] where a.has(o) {
          throw NotebookError(.badValue, "option '\(o)' does not apply to a sample", span: a.span(o))
        }
        table = try loadSample(path, a, s, span: a.span("PATH"))
        lineage = "load \(path)"
      } else {
        for o in ["users", "items", "events", "seed"] where a.has(o) {
          throw NotebookError(.badValue, "option '\(o)' applies to samples only", span: a.span(o))
        }
        let (t, report) = try loadFile(path, a, ctx)
        table = t
        // The path as written (`${RECBOOK_DATA:-../shared/data}/...`), so a notebook that shows
        // its lineage replays the same wherever the data lives.
        lineage = "load \(a.span("PATH").map { a.source.slice($0) } ?? path)"
        if report.skipped > 0 {
          out.append(.warning("skipped \(Fmt.count(report.skipped, "malformed row")):"))
          for sample in report.skippedSamples { out.append(.text("  " + sample)) }
        }
      }
      s.setTable(name, TableEntry(table: table, lineage: [lineage]))
      out.blocks.insert(.text("\(name): \(table.shapeText)"), at: 0)
      let elapsed = clock.now - start
      out.append(.volatile("loaded in \(Fmt.seconds(elapsed.seconds))"))
      return out
    })

  static func loadSample(_ path: String, _ a: Arguments, _ s: Session, span: Range<Int>?)
    throws(NotebookError) -> Table
  {
    guard samples.contains(path) else {
      throw NotebookError(
        .io, "unknown sample '\(path)'", span: span,
        hint: NotebookError.didYouMean(Suggest.closest(to: path, in: samples))
          ?? "samples: \(samples.joined(separator: ", "))")
    }
    var p = ShopSample.Parameters()
    if let v = a.int("users") { p.users = v }
    if let v = a.int("items") { p.items = v }
    if let v = a.int("events") { p.events = v }
    p.seed = a.int("seed").map { UInt64($0) } ?? s.seed
    let sample: ShopSample
    if let cached = sampleCache.withLock({ $0?.0 == p ? $0?.1 : nil }) {
      sample = cached
    } else {
      do { sample = try ShopSample.generate(p) } catch { throw NotebookError(error, fallbackSpan: span) }
      sampleCache.withLock { $0 = (p, sample) }
    }
    switch path {
    case "sample:shop/users": return sample.users
    case "sample:shop/items": return sample.items
    default: return sample.events
    }
  }

  static func loadFile(_ path: String, _ a: Arguments, _ ctx: CellContext) throws(NotebookError) -> (
    Table, LoadReport
  ) {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
      let dir = (path as NSString).deletingLastPathComponent
      let base = (path as NSString).lastPathComponent
      let siblings = (try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir)) ?? []
      throw NotebookError(
        .io, "no such file: '\(path)'", span: a.span("PATH"),
        hint: NotebookError.didYouMean(Suggest.closest(to: base, in: siblings.sorted())))
    }
    if isDir.boolValue {
      throw NotebookError(.io, "'\(path)' is a folder, not a file", span: a.span("PATH"))
    }
    let format = a.text("format") ?? "auto"
    let progress: (@Sendable (Double) -> Bool)?
    if let report = ctx.progress {
      let cancelled = ctx.isCancelled
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      let megabytes = max(1, size / 1_000_000)
      let label = "load \((path as NSString).lastPathComponent) (MB)"
      progress = { f in
        report(WorkProgress(label: label, done: Int(f * Double(megabytes)), total: megabytes))
        return !cancelled()
      }
    } else {
      let cancelled = ctx.isCancelled
      progress = { _ in !cancelled() }
    }
    do {
      if format == "movielens" || (format == "auto" && MovieLens.kind(ofPath: path) != nil) {
        if format == "movielens", MovieLens.kind(ofPath: path) == nil {
          throw NotebookError(
            .io, "'\(path)' is not a MovieLens file name I know", span: a.span("PATH"),
            hint:
              "u.data, u.item, u.user, ua.base, ua.test, u1.base ... or ratings.dat, movies.dat, users.dat")
        }
        // A MovieLens file has a fixed layout; options that describe another layout would be
        // silently ignored, so they are refused with the way to get them.
        for o in ["sep", "header", "columns", "types", "encoding", "on-error"] where a.has(o) {
          throw NotebookError(
            .badValue,
            "option '\(o)' does not apply to a MovieLens file ('\((path as NSString).lastPathComponent)' is read "
              + "with its fixed columns and types)",
            span: a.span(o),
            hint: "to read it as a plain delimited file with your own options, add format=tsv or format=csv")
        }
        return try MovieLens.read(path: path, progress: progress)
      }
      var o = CSVOptions()
      if format == "csv" { o.format = .csv }
      if format == "tsv" { o.format = .tsv }
      if let sep = a.text("sep") {
        let named: [String: UInt8] = [
          "tab": 9, "\\t": 9, "\t": 9, "comma": 44, "semicolon": 59, "pipe": 124, "space": 32,
        ]
        if let b = named[sep] {
          o.separator = b
        } else if sep.utf8.count == 1, let b = sep.utf8.first {
          o.separator = b
        } else {
          throw NotebookError(
            .badValue, "sep must be one character (or tab, comma, semicolon, pipe, space), found '\(sep)'",
            span: a.span("sep"))
        }
      }
      o.header = a.bool("header")
      o.columnNames = a.list("columns")
      if let types = a.list("types") {
        for spec in types {
          let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
          guard parts.count == 2, let t = ColumnType(rawValue: parts[1]) else {
            throw NotebookError(
              .badValue, "types: expected COLUMN:TYPE (int, double or string), found '\(spec)'",
              span: a.span("types"))
          }
          o.types[parts[0]] = t
        }
      }
      if a.text("encoding") == "latin1" { o.encoding = .latin1 }
      if a.text("on-error") == "skip" { o.onError = .skip }
      return try CSVReader.read(path: path, options: o, progress: progress)
    } catch let e as DataError {
      // The file's own position is in the message (`PATH:LINE: ...`); the caret points at the
      // option that chose the failing reading, or at the path.
      var error = NotebookError(e, fallbackSpan: a.span("PATH"))
      switch e {
      case .malformedRow(_, _, _, let message):
        // Skipping works row by row; a quote that never closes or text in another encoding
        // spoils the rest of the file, and skip does not help there.
        let wholeFile = message == CSVReader.unterminatedMessage || message == CSVReader.utf8Message
        if a.text("on-error") != "skip" && !wholeFile {
          error.hint = "on-error=skip loads the other rows and reports the bad ones"
        }
      case .badValue:
        if let span = a.span("types") { error.span = span }
        error.hint = "drop that column's entry in types= to let the loader infer it"
      default: break
      }
      throw error
    } catch let e as NotebookError {
      throw e
    } catch {
      throw NotebookError(.io, "\(path): \(error)", span: a.span("PATH"))
    }
  }
}

extension Duration {
  /// The duration in seconds as a `Double`.
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}
