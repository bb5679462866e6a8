import Foundation

extension Table {
  /// One-hot (or, with `separator`, multi-hot) encoding of a categorical column: one
  /// int 0/1 column per category, added after the existing columns (the source
  /// column is kept).
  ///
  /// Categories are ordered by how many rows have them, then by value. With `top`,
  /// only the `top` most frequent get a column and a row with any other category gets
  /// 1 in `<prefix>other`. With `separator` (a string column such as MovieLens genres,
  /// `"Action|Comedy"`), each row may have several categories; pieces are trimmed and
  /// empty ones ignored. A missing value gives 0 in every column.
  ///
  /// Column names are `<prefix><value>` (default prefix `<column>_`) made into
  /// identifiers: lowercased, accents dropped, runs of other characters turned into
  /// one `_`, no trailing `_` (`"Children's"` -> `genre_children_s`); names that come
  /// out equal get `_2`, `_3`, ...
  /// - Throws: ``DataError/typeMismatch`` for a double column; ``DataError/invalidArgument``
  ///   for `top < 1`, a separator on an int column, or a name the table already has.
  /// - Returns: the table and the names of the added columns, in order.
  public func oneHot(_ column: String, separator: String? = nil, top: Int? = nil, prefix: String? = nil)
    throws(DataError) -> (Table, added: [String])
  {
    let col = try requireColumn(column)
    if let top, top < 1 { throw .invalidArgument("one-hot top must be at least 1 (got \(top))") }
    if separator == "" { throw .invalidArgument("one-hot separator must not be empty") }
    let n = rowCount
    // Per row, the category ids it has, through per-key lists: `rowKey[r]` indexes
    // `keyCategories` (or is -1 for missing).
    var categories: [Value] = []
    var keyCategories: [[Int]] = []
    var rowKey = [Int32](repeating: -1, count: n)
    switch col.storage {
    case .double:
      throw .typeMismatch(message: "cannot one-hot double column '\(column)' (bucket it first)", span: nil)
    case .int:
      if separator != nil {
        throw .invalidArgument("one-hot separator needs a string column; '\(column)' holds ints")
      }
      let keys = KeyCodes(col)
      for k in 0..<keys.groupCount {
        if keys.isMissing[k] {
          keyCategories.append([])
        } else {
          keyCategories.append([categories.count])
          categories.append(col[keys.firstRows[k]])
        }
      }
      rowKey = keys.codes
    case .string(let codes, let dictionary):
      var index: [String: Int] = [:]
      for entry in dictionary {
        var pieces: [String]
        if let separator {
          pieces = entry.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
          pieces.removeAll { $0.isEmpty }
        } else {
          pieces = [entry]
        }
        var ids: [Int] = []
        for p in pieces {
          let id: Int
          if let i = index[p] {
            id = i
          } else {
            id = categories.count
            index[p] = id
            categories.append(.string(p))
          }
          if !ids.contains(id) { ids.append(id) }
        }
        keyCategories.append(ids)
      }
      rowKey = codes
    }
    // Frequency of each category: rows per key, then per category.
    var keyRows = [Int](repeating: 0, count: keyCategories.count)
    for k in rowKey where k >= 0 { keyRows[Int(k)] += 1 }
    var frequency = [Int](repeating: 0, count: categories.count)
    for (k, ids) in keyCategories.enumerated() { for id in ids { frequency[id] += keyRows[k] } }
    var order = Array(categories.indices)
    order.sort {
      frequency[$0] != frequency[$1]
        ? frequency[$0] > frequency[$1] : SortKeys.valueLess(categories[$0], categories[$1])
    }
    // Categories that occur in no row (a dictionary entry no row uses) get no column.
    order.removeAll { frequency[$0] == 0 }
    let kept = min(top ?? order.count, order.count)
    let hasOther = kept < order.count
    var slot = [Int](repeating: kept, count: categories.count)  // `kept` = the other column
    for (rank, id) in order.prefix(kept).enumerated() { slot[id] = rank }

    let pre = prefix ?? "\(column)_"
    var names: [String] = []
    var used = Set(columnNames)
    var taken = Set<String>()
    for id in order.prefix(kept) + (hasOther ? [-1] : []) {
      let base = Table.identifier(pre + (id < 0 ? "other" : categories[id].description))
      var name = base
      var k = 2
      while taken.contains(name) {
        name = "\(base)_\(k)"
        k += 1
      }
      if used.contains(name) {
        throw .invalidArgument("one-hot column '\(name)' already exists in the table; choose another prefix")
      }
      taken.insert(name)
      names.append(name)
    }
    used.formUnion(taken)

    var outputs = [[Int]](repeating: [Int](repeating: 0, count: n), count: names.count)
    for r in 0..<n {
      let k = rowKey[r]
      if k < 0 { continue }
      for id in keyCategories[Int(k)] { outputs[slot[id]][r] = 1 }
    }
    var t = self
    for (name, values) in zip(names, outputs) { t = t.setting(name, to: Column(ints: values)) }
    return (t, names)
  }

  /// `text` as an identifier: lowercase ASCII letters, digits and single `_`s, not
  /// starting with a digit, not ending with `_`.
  static func identifier(_ text: String) -> String {
    let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
    var out = ""
    var lastUnderscore = false
    for s in folded.unicodeScalars {
      if ("a"..."z").contains(s) || ("0"..."9").contains(s) {
        out.unicodeScalars.append(s)
        lastUnderscore = false
      } else if !lastUnderscore {
        out.append("_")
        lastUnderscore = true
      }
    }
    while out.count > 1 && out.hasSuffix("_") { out.removeLast() }
    if out.isEmpty || out.first?.isNumber == true { out = "_" + out }
    return out
  }
}
