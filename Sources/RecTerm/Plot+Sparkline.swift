extension Plot {
  /// Sparkline levels from lowest to highest.
  static let sparkUnicode: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
  static let sparkASCII: [Character] = ["_", ".", ",", "-", "~", "=", "*", "#"]

  /// One line of eight-level bars, one per value: `▁▂▄█▆▃`.
  ///
  /// The lowest value maps to `▁` and the highest to `█`; all-equal values draw the
  /// middle level. `nil`, NaN and infinities draw a space. With a `width` smaller
  /// than the number of values, consecutive values are averaged into `width`
  /// buckets (missing ones ignored) so the whole series still shows.
  public static func sparkline(_ values: [Double?], width: Int? = nil, unicode: Bool = true) -> String {
    var series = values.map { v -> Double? in v.flatMap { $0.isFinite ? $0 : nil } }
    if let width, width >= 0, series.count > width {
      series = (0..<width).map { b in
        let start = b * series.count / width
        let end = (b + 1) * series.count / width
        let present = series[start..<end].compactMap { $0 }
        return present.isEmpty ? nil : present.reduce(0) { $0 + $1 / Double(present.count) }
      }
    }
    let present = series.compactMap { $0 }
    guard let lo = present.min(), let hi = present.max() else {
      return String(repeating: " ", count: series.count)
    }
    let levels = unicode ? sparkUnicode : sparkASCII
    return String(
      series.map { v -> Character in
        guard let v else { return " " }
        if lo == hi { return levels[levels.count / 2 - 1] }
        let t = fraction(v, lo: lo, hi: hi)
        return levels[max(0, min(levels.count - 1, Int((t * Double(levels.count - 1)).rounded())))]
      })
  }
}
