/// A train/test (and optional validation) split of interaction data: a named session value.
///
/// All parts share the id maps of the data they came from. When a validation part exists
/// it was carved out of train, so `train` is what a model fits on while tuning; the
/// history a test user has is `train + validation` (``history``).
public struct Split: Sendable {
  public var name: String
  public let method: SplitMethod
  public let seed: UInt64
  public let train: Interactions
  public let test: Interactions
  public let validation: Interactions?
  /// Things the user should know (leakage, unseen items or users); repeated by every
  /// evaluation on the split. The caller adds what only it knows (how the table was prepared).
  public var warnings: [EvalWarning]
  /// The filters applied to the data before the split (`dedupe`, `kcore 5/5`), as the caller
  /// knows them; shown on every protocol card of the split.
  public var dataFilters: [String] = []

  public init(
    name: String, method: SplitMethod, seed: UInt64, train: Interactions, test: Interactions,
    validation: Interactions? = nil
  ) {
    self.name = name
    self.method = method
    self.seed = seed
    self.train = train
    self.test = test
    self.validation = validation
    var w = [EvalWarning]()
    let s = SplitSummary(train: validation.map { train.appending($0) } ?? train, test: test, validation: nil)
    if train.time != nil, case .randomPerUser = method { w.append(.randomSplitOfTimestampedData) }
    if train.time != nil, case .randomGlobal = method { w.append(.randomSplitOfTimestampedData) }
    if s.testItemsUnseen > 0 {
      w.append(.unseenTestItems(items: s.testItemsUnseen, rows: s.testRowsWithUnseenItem))
    }
    if s.testUsersUnseen > 0 { w.append(.unseenTestUsers(users: s.testUsersUnseen)) }
    warnings = w
  }

  /// How the split was made: `leave-one-out, validation leave-one-out, seed 42`.
  public var methodDescription: String {
    if case .given = method { return "\(method)" }
    // A temporal cut draws nothing at random: its seed would say nothing.
    if case .temporal = method { return "\(method)" + (validation == nil ? "" : ", with a validation part") }
    let v = validation == nil ? "" : ", with a validation part"
    return "\(method)\(v), seed \(seed)"
  }

  /// Everything a test user has interacted with before test: train plus validation.
  public var history: Interactions { validation.map { train.appending($0) } ?? train }

  /// Sizes and cold-start counts.
  public var summary: SplitSummary { SplitSummary(train: train, test: test, validation: validation) }
}

/// Sizes of a split and how much of test is unseen in train.
public struct SplitSummary: Sendable, Equatable {
  public var trainRows: Int
  public var testRows: Int
  public var validationRows: Int?
  public var trainUsers: Int
  public var testUsers: Int
  public var trainItems: Int
  public var testItems: Int
  /// Test users with no train (or validation) events.
  public var testUsersUnseen: Int
  /// Distinct test items with no train (or validation) events.
  public var testItemsUnseen: Int
  /// Test rows whose item has no train (or validation) events.
  public var testRowsWithUnseenItem: Int

  public init(train: Interactions, test: Interactions, validation: Interactions?) {
    let known = validation.map { train.appending($0) } ?? train
    trainRows = train.count
    testRows = test.count
    validationRows = validation?.count
    trainUsers = train.activeUserCount
    testUsers = test.activeUserCount
    trainItems = train.activeItemCount
    testItems = test.activeItemCount
    var uu = 0
    for u in 0..<test.userCount where test.byUser.count(ofRow: u) > 0 && known.byUser.count(ofRow: u) == 0 {
      uu += 1
    }
    var iu = 0
    var rows = 0
    for i in 0..<test.itemCount where test.byItem.count(ofRow: i) > 0 && known.byItem.count(ofRow: i) == 0 {
      iu += 1
      rows += test.byItem.count(ofRow: i)
    }
    testUsersUnseen = uu
    testItemsUnseen = iu
    testRowsWithUnseenItem = rows
  }
}
