import Foundation
import RecData
import RecEval

/// A model's failure to fit or to be built, with a message for the user.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// One option of a model type (`factors=64`), declared once: `model` checks cells against
/// it and `help model TYPE` prints it.
public struct ModelOption: Sendable {
  public enum Kind: Sendable, Equatable {
    case int(min: Int, max: Int)
    case double(min: Double, max: Double)
    case choice([String])
    case bool
    /// Names of other models of the session (`init=gmf1,mlp1`).
    case models
    /// A list of integers (`layers=64,32,16,8`).
    case ints(min: Int, max: Int)
    /// The name of a table of the session (`items=items`): side data such as item features.
    case table
    /// Column names (`features=category,price_band`), checked by the model against its tables.
    case columns
  }
  public var name: String
  public var kind: Kind
  /// The default as written in a cell (`64`, `cosine`), or nil when absent means "off".
  public var defaultValue: String?
  public var help: String
  public init(_ name: String, _ kind: Kind, default defaultValue: String? = nil, _ help: String) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.help = help
  }
}

/// The option values of a `model` cell, already checked against the type's options.
public struct ModelOptions: Sendable {
  public enum Value: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case text(String)
    case bool(Bool)
    case ints([Int])
    case names([String])
  }
  /// Tables named by `.table` options, by option name (`items` -> the session's table).
  public var tables: [String: Table] = [:]
  public var values: [String: Value]
  /// The session seed, used when the cell gives no `seed=`.
  public var seed: UInt64
  /// Fitted models named by `.models` options, by name.
  public var models: [String: any Recommender]

  public init(_ values: [String: Value] = [:], seed: UInt64 = 42, models: [String: any Recommender] = [:]) {
    self.values = values
    self.seed = seed
    self.models = models
  }

  public func int(_ name: String, _ fallback: Int) -> Int {
    if case .int(let v) = values[name] { return v }
    return fallback
  }
  public func double(_ name: String, _ fallback: Double) -> Double {
    switch values[name] {
    case .double(let v): return v
    case .int(let v): return Double(v)
    default: return fallback
    }
  }
  public func text(_ name: String, _ fallback: String) -> String {
    if case .text(let v) = values[name] { return v }
    return fallback
  }
  public func bool(_ name: String, _ fallback: Bool) -> Bool {
    if case .bool(let v) = values[name] { return v }
    return fallback
  }
  public func ints(_ name: String, _ fallback: [Int]) -> [Int] {
    switch values[name] {
    case .ints(let v): return v
    case .int(let v): return [v]
    default: return fallback
    }
  }
  /// The table given to a `.table` option.
  public func table(_ name: String) -> Table? { tables[name] }

  public func names(_ name: String) -> [String]? {
    if case .names(let v) = values[name] { return v }
    return nil
  }
  /// `seed=` when given, else the session seed.
  public var modelSeed: UInt64 {
    values["seed"].flatMap { if case .int(let v) = $0 { UInt64(v) } else { nil } } ?? seed
  }
}

/// A model type as `model NAME = TYPE` knows it: its options, its paper, and how to build one.
public struct ModelType: Sendable {
  /// What the training data must hold.
  public enum Needs: Sendable, Equatable {
    /// Any interactions (implicit feedback; a rating or weight column is used as confidence when present).
    case interactions
    /// Explicit ratings (the split's rating role).
    case ratings
  }
  public var name: String
  /// `baseline`, `neighbourhood`, `factorization`, `neural`, `linear`.
  public var family: String
  /// The citation, e.g. `Hu, Koren and Volinsky, ICDM 2008`.
  public var paper: String
  public var summary: String
  public var needs: Needs
  /// Whether the model trains in epochs (accepts `fit ... epochs=` and `validate=`).
  public var iterative: Bool
  public var options: [ModelOption]
  /// What it does for users (and items) without training data, for `help models`.
  public var coldStart: String
  /// Typical fit time, measured, for `help models` (e.g. `0.05 s on ml-100k`).
  public var speed: String
  public var make: @Sendable (ModelOptions) throws(ModelError) -> any Recommender
  /// Decodes a model of this type from its state payload (`BinaryStateDecoder` bytes); nil
  /// when the type's models cannot be saved. Fill it with `ModelType.persisted(XModel.self)`:
  /// a model is persistable iff it is `Codable` and its type says so here.
  public var decodeState: (@Sendable (Data) throws -> any Recommender)?

  public init(
    name: String, family: String, paper: String, summary: String, needs: Needs = .interactions,
    iterative: Bool = false, options: [ModelOption], coldStart: String = "no (use fallback=pop)",
    speed: String = "", make: @escaping @Sendable (ModelOptions) throws(ModelError) -> any Recommender,
    decodeState: (@Sendable (Data) throws -> any Recommender)? = nil
  ) {
    self.name = name
    self.family = family
    self.paper = paper
    self.summary = summary
    self.needs = needs
    self.iterative = iterative
    self.options = options
    self.coldStart = coldStart
    self.speed = speed
    self.make = make
    self.decodeState = decodeState
  }
}

// MARK: - Saving and loading models

extension ModelType {
  /// The state decoder of a `Codable` model type, for `decodeState`.
  public static func persisted<M: Recommender & Codable>(_ type: M.Type)
    -> @Sendable (Data) throws -> any Recommender
  {
    { data in try BinaryStateDecoder().decode(M.self, from: data) }
  }

  /// Whether models of this type can be saved and loaded.
  public var isPersistable: Bool { decodeState != nil }

  /// The state payload of `model` (a model of this type): its `Encodable` conformance,
  /// opened from the existential, through `BinaryStateEncoder`.
  public func encodeState(_ model: any Recommender) throws(ModelFileError) -> Data {
    guard isPersistable, let encodable = model as? any Encodable else { throw .notPersistable(type: name) }
    do {
      return try BinaryStateEncoder().encode(encodable)
    } catch {
      throw .unencodableState(type: name, reason: "\(error)")
    }
  }

  /// Decodes a model of this type from its state payload; a failure names the field.
  public func decodeModel(_ state: Data) throws(ModelFileError) -> any Recommender {
    guard let decodeState else { throw .notPersistable(type: name) }
    do {
      return try decodeState(state)
    } catch {
      throw .state(type: name, error)
    }
  }
}

/// Every model type, in the order `help model` lists them. A new model adds its `ModelType`
/// (a `static let type` beside the model) here.
public enum ModelCatalog {
  public static let all: [ModelType] = [
    PopularityModel.type, RandomModel.type, ItemKNNModel.type, UserKNNModel.type, EASEModel.type,
    ALSModel.type, BPRModel.type, SVDModel.type, GMFModel.type, MLPModel.type, NeuMFModel.type,
    GRU4RecModel.type, CaserModel.type, ContentModel.type, DeepFMModel.type, DeepFMModel.wideAndDeepType,
  ].map { t in
    var t = t
    if t.decodeState == nil { t.decodeState = persisted[t.name] }
    return t
  }

  /// How each model type's state is read back from a model file (every model is `Codable`).
  static let persisted: [String: @Sendable (Data) throws -> any Recommender] = [
    "itemknn": ModelType.persisted(ItemKNNModel.self), "userknn": ModelType.persisted(UserKNNModel.self),
    "ease": ModelType.persisted(EASEModel.self), "als": ModelType.persisted(ALSModel.self),
    "bpr": ModelType.persisted(BPRModel.self), "svd": ModelType.persisted(SVDModel.self),
    "gmf": ModelType.persisted(GMFModel.self), "mlp": ModelType.persisted(MLPModel.self),
    "neumf": ModelType.persisted(NeuMFModel.self), "content": ModelType.persisted(ContentModel.self),
    "deepfm": ModelType.persisted(DeepFMModel.self), "widedeep": ModelType.persisted(DeepFMModel.self),
    "gru4rec": ModelType.persisted(GRU4RecModel.self),
    "caser": ModelType.persisted(CaserModel.self),
  ]

  public static func named(_ name: String) -> ModelType? { all.first { $0.name == name } }
  public static var names: [String] { all.map(\.name) }

  /// The `seed=` option every seeded model declares.
  public static let seedOption = ModelOption(
    "seed", .int(min: 0, max: Int.max), default: "the session seed", "the random seed of this model")
}

extension PopularityModel {
  public static let type = ModelType(
    name: "pop", family: "baseline", paper: "-",
    summary: "the most popular items of train, the same list for everyone",
    options: [
      ModelOption(
        "window", .double(min: 0, max: .greatestFiniteMagnitude),
        "count only events this recent (time units of the split)")
    ],
    coldStart: "yes (the same list for everyone)",
    make: { o throws(ModelError) in
      PopularityModel(window: o.values["window"] == nil ? nil : o.double("window", 0))
    }, decodeState: ModelType.persisted(PopularityModel.self))
}

extension RandomModel {
  public static let type = ModelType(
    name: "random", family: "baseline", paper: "-",
    summary: "a seeded random ranking, the floor any model must beat",
    options: [ModelCatalog.seedOption],
    coldStart: "yes (random)", make: { o throws(ModelError) in RandomModel(seed: o.modelSeed) },
    decodeState: ModelType.persisted(RandomModel.self))
}
