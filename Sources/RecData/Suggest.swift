/// "Did you mean ...?" candidates by edit distance, shared by every error that
/// names something unknown (verbs, options, tables, columns, functions).
public enum Suggest {
  /// The candidates within a small edit distance of `word`, closest first (at most 3).
  public static func closest(to word: String, in candidates: [String], limit: Int = 3) -> [String] {
    let w = word.lowercased()
    // One edit for short words, up to three for long ones: 'usr' -> 'user', not 'ts'.
    let maxDistance = max(1, min(3, w.count / 3))
    var scored: [(Int, String)] = []
    for c in candidates {
      let d = distance(w, c.lowercased())
      if d <= maxDistance || (w.count >= 3 && c.lowercased().hasPrefix(w)) { scored.append((d, c)) }
    }
    scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    var seen = Set<String>()
    return scored.compactMap { seen.insert($0.1).inserted ? $0.1 : nil }.prefix(limit).map { $0 }
  }

  /// Optimal-string-alignment distance (Levenshtein plus adjacent swaps).
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev2 = [Int](repeating: 0, count: b.count + 1)
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
        cur[j] = v
      }
      (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[b.count]
  }
}
