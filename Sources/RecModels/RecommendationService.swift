/// What a trained model answers by raw ids: the contract between a trained model (in the
/// session or loaded from a model file) and whoever asks it — the `recommend`, `similar` and
/// `explain` cells, and the HTTP service. Ids are the raw ids of the data as text (`"P0042"`,
/// `"196"`), never dense indices.
public protocol RecommendationService: Sendable {
  var info: ModelInfo { get }
  /// Top `k` items for a known user (`excludeSeen`: without the items they had in training).
  /// A user the model has no data for gets the model's cold-start answer, marked `coldStart`.
  func recommend(user: String, k: Int, excludeSeen: Bool) throws(ServiceError) -> RecommendationList
  /// Top `k` items after a history given now (a new user, a session), oldest first; the
  /// history's items are excluded. Unknown item ids are an error naming them.
  func recommend(history: [String], k: Int) throws(ServiceError) -> RecommendationList
  /// The `k` items most similar to `item`.
  func similar(item: String, k: Int) throws(ServiceError) -> RecommendationList
  /// Why `item` is recommended to `user`: the user's items that contributed most.
  func explain(user: String, item: String) throws(ServiceError) -> Explanation
}

/// A model's description: what `GET /v1/model` returns and `models` shows.
public struct ModelInfo: Sendable, Equatable, Codable {
  public var name: String
  public var type: String
  /// The options as written in the `model` cell.
  public var options: [String: String]
  public var users: Int
  public var items: Int
  public var trainedOn: String
  /// A hash of the training interactions (users, items, order), to tell data sets apart.
  public var fingerprint: String
  /// Metrics recorded at save time (`ndcg@10` -> value).
  public var metrics: [String: Double]
  /// The cold-start fallback's name, if any.
  public var fallback: String?
  public init(
    name: String, type: String, options: [String: String] = [:], users: Int, items: Int, trainedOn: String,
    fingerprint: String, metrics: [String: Double] = [:], fallback: String? = nil
  ) {
    self.name = name
    self.type = type
    self.options = options
    self.users = users
    self.items = items
    self.trainedOn = trainedOn
    self.fingerprint = fingerprint
    self.metrics = metrics
    self.fallback = fallback
  }
}

/// One recommended item: raw id, rank (1-based), score, and item metadata (`title`, `category`).
public struct Recommendation: Sendable, Equatable, Codable {
  public var item: String
  public var rank: Int
  public var score: Double
  public var metadata: [String: String]
  public init(item: String, rank: Int, score: Double, metadata: [String: String] = [:]) {
    self.item = item
    self.rank = rank
    self.score = score
    self.metadata = metadata
  }
}

/// A ranked list and how it was made.
public struct RecommendationList: Sendable, Equatable, Codable {
  public var items: [Recommendation]
  /// The user was unknown to the model (or had no training data): the fallback answered.
  public var coldStart: Bool
  /// Who answered: the model's name, or its fallback's (`pop`).
  public var source: String
  public init(items: [Recommendation], coldStart: Bool = false, source: String) {
    self.items = items
    self.coldStart = coldStart
    self.source = source
  }
}

/// Why an item is recommended: the user's items with their contribution to its score.
public struct Explanation: Sendable, Equatable, Codable {
  public struct Contribution: Sendable, Equatable, Codable {
    public var item: String
    public var weight: Double
    public var metadata: [String: String]
    public init(item: String, weight: Double, metadata: [String: String] = [:]) {
      self.item = item
      self.weight = weight
      self.metadata = metadata
    }
  }
  public var user: String
  public var item: String
  public var score: Double
  /// How the contributions were computed (`item-item similarity`, `leave-one-out change of the score`).
  public var method: String
  /// Largest first.
  public var contributions: [Contribution]
  public init(user: String, item: String, score: Double, method: String, contributions: [Contribution]) {
    self.user = user
    self.item = item
    self.score = score
    self.method = method
    self.contributions = contributions
  }
}

/// A request a model cannot answer, with what is wrong (the HTTP service maps these to 4xx).
public enum ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
  /// An item id the model does not know.
  case unknownItem(String)
  /// A user id the model does not know and cannot serve (no fallback).
  case unknownUser(String)
  /// A parameter out of range or malformed (`k=0`).
  case badArgument(String)
  /// The model cannot do this (`explain` for popularity).
  case unsupported(String)

  public var description: String {
    switch self {
    case .unknownItem(let id): return "unknown item '\(id)'"
    case .unknownUser(let id): return "unknown user '\(id)'"
    case .badArgument(let m): return m
    case .unsupported(let m): return m
    }
  }
}
