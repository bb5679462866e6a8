import Foundation

/// Data a notebook says it needs in a `# needs: NAME` line of its opening prose, and where
/// that data is looked for. A notebook over data that may not be redistributed (MovieLens)
/// names it instead of shipping it; `recbook run` then skips the notebook with a message
/// saying what is missing and where it looked, instead of failing at its first `load`.
public enum NotebookNeeds {
  /// The folder holding the shared data sets: `$RECBOOK_DATA`, else `../shared/data` (the
  /// same default the notebooks' `${RECBOOK_DATA:-../shared/data}` paths expand to).
  public static var dataFolder: String {
    ProcessInfo.processInfo.environment["RECBOOK_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "../shared/data"
  }

  /// The data sets `# needs:` can name, each with the file that shows it is present.
  public static let known: [String: String] = [
    "ml-100k": "ml-100k/u.data", "ml-1m": "ml-1m/ratings.dat",
  ]

  /// The names in the notebook's `# needs: a, b` lines (prose before its first cell).
  public static func names(in notebook: NotebookFile) -> [String] {
    var names: [String] = []
    for item in notebook.items {
      guard case .prose(let line) = item else { break }
      let text = line.drop { $0 == "#" || $0 == " " }
      guard text.hasPrefix("needs:") else { continue }
      names += text.dropFirst("needs:".count).split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty }
    }
    return names
  }

  /// Why the notebook cannot run here, or `nil` when everything it needs is present:
  /// `needs MovieLens data ml-100k, not found at ../shared/data/ml-100k/u.data (set RECBOOK_DATA ...)`.
  public static func missing(for notebook: NotebookFile) -> String? {
    let folder = dataFolder
    var absent: [String] = []
    for name in names(in: notebook) {
      let file = known[name] ?? name
      let path = (folder as NSString).appendingPathComponent(file)
      if !FileManager.default.fileExists(atPath: path) { absent.append("\(name) (looked for \(path))") }
    }
    guard !absent.isEmpty else { return nil }
    return "needs \(absent.joined(separator: ", ")); set RECBOOK_DATA to the folder that holds it"
  }
}
