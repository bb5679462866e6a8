import Foundation
import RecData

/// Shared helpers for Recbook's tests: paths, data availability, seeded random
/// tables, tolerant comparisons.
public enum TestPaths {
  /// The repository root, found from this file's path.
  public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  /// `../shared/data/ml-100k` next to the repository (or `$RECBOOK_DATA/ml-100k`).
  public static var ml100k: String {
    let base =
      ProcessInfo.processInfo.environment["RECBOOK_DATA"]
      ?? root.deletingLastPathComponent().appendingPathComponent("shared/data").path
    return base + "/ml-100k"
  }

  /// Whether MovieLens 100K is present; tests that need it are disabled (with this
  /// reason shown) when it is not.
  public static var hasML100K: Bool { FileManager.default.fileExists(atPath: ml100k + "/u.data") }
  public static let ml100kMissing = "MovieLens 100K not found at ../shared/data/ml-100k (set RECBOOK_DATA)"

  /// A fresh temporary directory.
  public static func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "recbook-test-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// Random tables for property tests, the same for a seed on every machine.
public enum RandomTables {
  /// A table of `rows` rows with int `user` and `item` (skewed), a double `rating`
  /// with some missing values, and a string `tag` with some missing values.
  public static func interactions(seed: UInt64, rows: Int, users: Int = 30, items: Int = 20) -> Table {
    var g = SeededGenerator(seed: seed)
    var u = [Int]()
    var i = [Int]()
    var r = [Double]()
    var tags = [String?]()
    for _ in 0..<rows {
      // Squaring a uniform draw skews ids toward 0, like real activity.
      let x = g.nextDouble()
      u.append(Int(x * x * Double(users)))
      let y = g.nextDouble()
      i.append(Int(y * y * Double(items)))
      r.append(g.nextInt(below: 10) == 0 ? .nan : Double(1 + g.nextInt(below: 5)))
      tags.append(g.nextInt(below: 8) == 0 ? nil : ["a", "b", "c", "d"][g.nextInt(below: 4)])
    }
    return Table(columns: [
      ("user", Column(ints: u)), ("item", Column(ints: i)), ("rating", Column(doubles: r)),
      ("tag", Column(strings: tags)),
    ])
  }
}

/// `|a - b| <= tolerance * max(1, |a|, |b|)`.
public func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
  if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
  return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}
