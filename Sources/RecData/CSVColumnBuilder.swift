/// One column of a CSV file being built from a run of rows, in the narrowest
/// type seen so far (int, then double, then string).
///
/// Only the array of the current `kind` is used. Promotion from int to double
/// converts the values in place (exact: an `Int` converts to the same double
/// that its decimal text rounds to). Promotion to string needs the original
/// text, so the chunk parser restarts its range instead (see ``CSVChunkParser``).
struct CSVColumnBuilder {
  var kind: ColumnType
  /// A type forced by ``CSVOptions/types``: a value that does not fit is an error, not a promotion.
  let forced: Bool
  var ints: [Int] = []
  var doubles: [Double] = []
  var codes: [Int32] = []
  /// Distinct strings in order of first appearance; `codes` index it.
  var dictionary: [String] = []
  var index: [String: Int32] = [:]

  init(kind: ColumnType, forced: Bool, reserve: Int) {
    self.kind = kind
    self.forced = forced
    switch kind {
    case .int: ints.reserveCapacity(reserve)
    case .double: doubles.reserveCapacity(reserve)
    case .string: codes.reserveCapacity(reserve)
    }
  }

  var count: Int {
    switch kind {
    case .int: return ints.count
    case .double: return doubles.count
    case .string: return codes.count
    }
  }

  /// Converts the int values to doubles (missing stays missing).
  mutating func promoteToDouble() {
    precondition(kind == .int)
    var d = [Double]()
    d.reserveCapacity(Swift.max(ints.capacity, ints.count))
    for x in ints { d.append(x == Column.missingInt ? .nan : Double(x)) }
    doubles = d
    ints = []
    kind = .double
  }

  /// The code of `s`, adding it to the dictionary when new.
  @inline(__always)
  mutating func intern(_ s: String) -> Int32 {
    if let c = index[s] { return c }
    let c = Int32(dictionary.count)
    index[s] = c
    dictionary.append(s)
    return c
  }

  /// The finished column (the builder's arrays are moved out).
  mutating func take() -> Column {
    switch kind {
    case .int:
      defer { ints = [] }
      return Column(ints: ints)
    case .double:
      defer { doubles = [] }
      return Column(doubles: doubles)
    case .string:
      defer {
        codes = []
        index = [:]
      }
      return Column(codes: codes, dictionary: dictionary)
    }
  }
}
