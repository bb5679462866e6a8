import Foundation

@testable import RecData

/// Helpers shared by the CSV test files.
enum CSVTest {
  /// Reads `text` (UTF-8) as a CSV file called `name`.
  static func load(
    _ text: String, name: String = "t.csv", _ configure: (inout CSVOptions) -> Void = { _ in }
  ) throws(DataError) -> (Table, LoadReport) {
    try load(bytes: Array(text.utf8), name: name, configure)
  }

  static func load(
    bytes: [UInt8], name: String = "t.csv", _ configure: (inout CSVOptions) -> Void = { _ in }
  ) throws(DataError) -> (Table, LoadReport) {
    var o = CSVOptions()
    configure(&o)
    return try CSVReader.read(data: bytes, name: name, options: o)
  }

  /// The error `body` throws, or `nil`.
  static func error(_ body: () throws(DataError) -> Void) -> DataError? {
    do throws(DataError) {
      try body()
      return nil
    } catch {
      return error
    }
  }

  /// A fresh temporary directory (removed by the caller with `FileManager.removeItem`).
  static func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "recbook-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.path
  }

  /// The rows of `t` as values.
  static func rows(_ t: Table) -> [[Value]] { (0..<t.rowCount).map { t.row($0) } }
}
