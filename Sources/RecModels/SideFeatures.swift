import RecData
import RecEval

/// Side features of users or items, read from a table of the session and laid out by the dense
/// indices of an `IDMap`: what the feature-aware models (`content`, `deepfm`) read.
///
/// One *field* per named column, its kind read from the column:
/// - a string column whose values contain `|` is **multi-hot** (`"camera|gift"`: one feature per
///   tag);
/// - any other string column is **categorical** (one feature per distinct value);
/// - an int or double column is **numeric** (one value, min-max scaled to [0, 1]);
/// - a column named as text (`text=title`) is **text**: lower-cased words (runs of letters and
///   digits), one feature per word, valued by its count in the row.
///
/// Rows are matched to entities by the key column through the map (`map.index(of:)`); rows whose
/// key the map does not know (items that occur in no interaction) are skipped, and entities
/// without a row have no features (`hasRow` is false). If a key occurs twice the first row wins.
/// Vocabularies are sorted (UTF-8 order), so the layout does not depend on row order.
///
/// Storage: for entity `e` and field `f`, the entries `start[e * fields.count + f] ..<
/// start[e * fields.count + f + 1]` of `feature` (index into the field's vocabulary) and `value`.
/// - Complexity: O(rows * fields) to build, plus sorting the vocabularies.
public struct SideFeatures: Sendable, Codable {
  /// How a column is encoded.
  public enum Kind: String, Sendable, Equatable, Codable {
    case categorical
    case multiHot = "multi-hot"
    case text
    case numeric
  }

  /// One column's encoding.
  public struct Field: Sendable, Equatable, Codable {
    public var name: String
    public var kind: Kind
    /// Feature names: values, tags or words; `[name]` for a numeric field.
    public var vocabulary: [String]
    /// The range used to scale a numeric field (over the rows the map knows); 0 and 0 otherwise.
    public var minimum: Double
    public var maximum: Double
  }

  public let fields: [Field]
  /// The number of entities (the size of the map).
  public let entityCount: Int
  /// Whether entity `e` has a row in the table.
  public let hasRow: [Bool]
  /// Entry offsets per (entity, field): `(entityCount * fields.count + 1)`.
  public let start: [Int]
  /// Per entry: the feature's index in its field's vocabulary.
  public let feature: [Int32]
  /// Per entry: 1 (categorical, multi-hot), the word count (text), the scaled value (numeric).
  public let value: [Float]

  /// The entries of entity `e` in field `f`.
  public func entries(_ e: Int, _ f: Int) -> Range<Int> {
    start[e * fields.count + f]..<start[e * fields.count + f + 1]
  }

  /// Checks that `table` has the key column and every named column, before any fit: the
  /// errors a `model` cell should show at once. `role` is "items" or "users".
  public static func check(
    table: Table, role: String, key: String?, columns: [String], text: [String] = []
  ) throws(ModelError) {
    if let key, table.column(key) == nil {
      throw ModelError(
        "the \(role) table has no key column '\(key)' (set \(role == "items" ? "item" : "user")-key=COLUMN); "
          + "its columns are \(table.columnNames.joined(separator: ", "))")
    }
    for name in columns + text {
      guard let c = table.column(name) else {
        let near = Suggest.closest(to: name, in: table.columnNames)
        throw ModelError(
          "the \(role) table has no column '\(name)'"
            + (near.isEmpty ? "" : " (did you mean '\(near[0])'?)")
            + "; its columns are \(table.columnNames.joined(separator: ", "))")
      }
      if text.contains(name) && c.type != .string {
        throw ModelError("text column '\(name)' of the \(role) table is \(c.type), not string")
      }
    }
  }

  /// Encodes `columns` (and the `text` columns, after them) of `table`, keyed by `key`, over `map`.
  public init(
    table: Table, role: String, key: String, columns: [String], text: [String] = [], map: IDMap
  ) throws(ModelError) {
    try Self.check(table: table, role: role, key: key, columns: columns, text: text)
    guard let keyColumn = table.column(key) else { throw ModelError("no key column '\(key)'") }
    // Row of each entity (first row wins).
    var rowOf = [Int](repeating: -1, count: map.count)
    for r in 0..<table.rowCount {
      var v = keyColumn[r]
      // An int map and a string key column ("42"), as a CSV read with all-string types gives.
      if case .string(let s) = v, case .int = map.keys, let n = Int(s) { v = .int(n) }
      if let e = map.index(of: v), rowOf[e] < 0 { rowOf[e] = r }
    }
    let names = columns + text.filter { !columns.contains($0) }
    var fields = [Field]()
    // Per field, per entity: (feature, value) pairs.
    var perField = [[[(Int32, Float)]]]()
    for name in names {
      guard let c = table.column(name) else { continue }
      var entries = [[(Int32, Float)]](repeating: [], count: map.count)
      switch c.storage {
      case .int, .double:
        let xs = (0..<map.count).map { rowOf[$0] < 0 ? nil : c.number(at: rowOf[$0]) }
        let present = xs.compactMap { $0 }
        let lo = present.min() ?? 0
        let hi = present.max() ?? 0
        for (e, x) in xs.enumerated() {
          guard let x else { continue }
          // A constant column scales to 0 (no information), not to a division by zero.
          entries[e] = [(0, hi > lo ? Float((x - lo) / (hi - lo)) : 0)]
        }
        fields.append(Field(name: name, kind: .numeric, vocabulary: [name], minimum: lo, maximum: hi))
      case .string(let codes, let dictionary):
        let isText = text.contains(name)
        let isMulti = !isText && dictionary.contains { $0.contains("|") }
        // Tokens of each dictionary entry, computed once.
        let tokens: [[String]] = dictionary.map { s in
          if isText { return Self.words(s) }
          if isMulti { return s.split(separator: "|").map(String.init).filter { !$0.isEmpty } }
          return [s]
        }
        var vocab = Set<String>()
        for e in 0..<map.count where rowOf[e] >= 0 {
          let code = Int(codes[rowOf[e]])
          if code >= 0 { vocab.formUnion(tokens[code]) }
        }
        let sorted = vocab.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var index = [String: Int32]()
        for (i, w) in sorted.enumerated() { index[w] = Int32(i) }
        for e in 0..<map.count where rowOf[e] >= 0 {
          let code = Int(codes[rowOf[e]])
          guard code >= 0 else { continue }
          var counts = [Int32: Float]()
          for t in tokens[code] { if let i = index[t] { counts[i, default: 0] += 1 } }
          // Multi-hot and categorical: presence (a tag listed twice is still one tag).
          entries[e] = counts.keys.sorted().map { ($0, isText ? counts[$0] ?? 0 : 1) }
        }
        fields.append(
          Field(
            name: name, kind: isText ? .text : (isMulti ? .multiHot : .categorical), vocabulary: sorted,
            minimum: 0, maximum: 0))
      }
      perField.append(entries)
    }
    var start = [0]
    var feature = [Int32]()
    var value = [Float]()
    start.reserveCapacity(map.count * fields.count + 1)
    for e in 0..<map.count {
      for f in 0..<fields.count {
        for (i, v) in perField[f][e] {
          feature.append(i)
          value.append(v)
        }
        start.append(feature.count)
      }
    }
    self.fields = fields
    self.entityCount = map.count
    self.hasRow = rowOf.map { $0 >= 0 }
    self.start = start
    self.feature = feature
    self.value = value
  }

  /// Lower-cased words of `s`: maximal runs of letters and digits ("Nova Phone 12" -> nova,
  /// phone, 12).
  public static func words(_ s: String) -> [String] {
    s.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
  }

  /// A copy whose numeric fields are categorical over at most `buckets` quantile buckets of the
  /// scaled value (a column with at most `buckets` distinct values gets one bucket per value):
  /// for models that embed every feature (DeepFM), so price bands get their own vectors rather
  /// than one vector scaled by price.
  public func bucketised(buckets: Int) -> SideFeatures {
    var fields = self.fields
    var value = self.value
    var feature = self.feature
    for (f, field) in self.fields.enumerated() where field.kind == .numeric {
      var xs = [Float]()
      for e in 0..<entityCount { for k in entries(e, f) { xs.append(value[k]) } }
      let distinct = Array(Set(xs)).sorted()
      // Upper edges: a value goes to the first bucket whose edge is >= it.
      var edges: [Float]
      if distinct.count <= buckets {
        edges = distinct
      } else {
        let s = xs.sorted()
        edges = (1...buckets).map { b in s[min(s.count - 1, (s.count * b) / buckets - 1)] }
        edges = Array(Set(edges)).sorted()
      }
      for e in 0..<entityCount {
        for k in entries(e, f) {
          let x = value[k]
          feature[k] = Int32(edges.firstIndex { x <= $0 } ?? max(edges.count - 1, 0))
          value[k] = 1
        }
      }
      fields[f].kind = .categorical
      fields[f].vocabulary = edges.map { e in
        "\(field.name)<=\(field.minimum + Double(e) * (field.maximum - field.minimum))"
      }
    }
    return SideFeatures(
      fields: fields, entityCount: entityCount, hasRow: hasRow, start: start, feature: feature, value: value)
  }

  private init(
    fields: [Field], entityCount: Int, hasRow: [Bool], start: [Int], feature: [Int32], value: [Float]
  ) {
    self.fields = fields
    self.entityCount = entityCount
    self.hasRow = hasRow
    self.start = start
    self.feature = feature
    self.value = value
  }
}
