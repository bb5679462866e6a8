import RecEval

/// Each user's training events as a chronological item sequence: what the sequence models
/// (GRU4Rec, Caser) learn from and score from.
enum UserSequences {
  /// `result[u]`: the dense items of user `u`'s events, ordered by the time role, ties by event
  /// (row) order, each item once, where the user first met it. Recommending and evaluating leave
  /// out the items a user has, so the models learn to predict the next *new* item: a view,
  /// cart and purchase of one item are one step, not three (two of them targets no ranking
  /// ever asks for). Throws when the data have no time role, naming `model` in the message.
  /// - Complexity: O(events log events) for the sort of each user's events.
  static func chronological(_ data: Interactions, model: String) throws(ModelError) -> [[Int32]] {
    guard let time = data.time else {
      throw ModelError(
        "\(model) needs a time role to order each user's events: give the split one (split ... time=COL)")
    }
    return (0..<data.userCount).map { u in
      firstTouches(
        data.byUser.events(ofRow: u).sorted { a, b in
          time[Int(a)] != time[Int(b)] ? time[Int(a)] < time[Int(b)] : a < b
        }.map { data.item[Int($0)] })
    }
  }

  /// The known items (`0..<itemCount`) of a history given at request time, each once where
  /// it first occurs: the same reading of a history as training's.
  static func known(_ history: [Int], itemCount: Int) -> [Int32] {
    firstTouches(history.filter { $0 >= 0 && $0 < itemCount }.map { Int32($0) })
  }

  /// `items` with every repeat of an earlier item removed, in order.
  static func firstTouches(_ items: [Int32]) -> [Int32] {
    var seen = Set<Int32>()
    return items.filter { seen.insert($0).inserted }
  }

  /// The last `maxLength` items of `sequence` (all of them when `maxLength` is 0).
  static func suffix(_ sequence: [Int32], maxLength: Int) -> ArraySlice<Int32> {
    maxLength > 0 ? sequence.suffix(maxLength) : sequence[...]
  }
}
