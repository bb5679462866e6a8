import Foundation
import RecEval

/// The JSON block of a model file: what the model is, how it was made, and the id maps that
/// turn raw ids into the dense indices its state is indexed by.
///
/// JSON (not the binary state form) so `head -c 4000 model.rbm` shows a person what a file
/// holds; it is small next to the tensors except for very large id maps.
public struct ModelFileHeader: Codable, Sendable, Equatable {
  /// One column of item metadata (`title`, `category`) as text by dense item index; nil is missing.
  public struct ItemColumn: Codable, Sendable, Equatable {
    public var name: String
    public var values: [String?]
    public init(name: String, values: [String?]) {
      self.name = name
      self.values = values
    }
  }

  /// The file format version the file was written with (`ModelFile.formatVersion`).
  public var formatVersion: UInt32
  /// The Recbook that wrote the file (`0.4.0`), for messages.
  public var recbookVersion: String
  /// The model type's catalogue name (`pop`, `als`): picks the decoder of the state.
  public var modelType: String
  /// The model's name in the session that saved it.
  public var name: String
  /// The options as written in the `model` cell (`factors` -> `64`).
  public var options: [String: String]
  /// When the file was written (UTC, whole seconds; ISO-8601 in the JSON).
  public var created: Date
  public var users: IDMap
  public var items: IDMap
  /// `ModelFileHeader.fingerprint(of:)` of the training interactions.
  public var fingerprint: String
  /// Metrics recorded at save time (`ndcg@10` -> value).
  public var metrics: [String: Double]
  /// The cold-start fallback's name as written (`pop`, or a session model's name), if any.
  public var fallback: String?
  /// The fallback's model type (`pop`), which decodes its part of the state.
  public var fallbackType: String?
  /// Item metadata shown beside recommendations, each column with one value per item.
  public var itemColumns: [ItemColumn]

  public init(
    recbookVersion: String, modelType: String, name: String, options: [String: String] = [:],
    created: Date, users: IDMap, items: IDMap, fingerprint: String, metrics: [String: Double] = [:],
    fallback: String? = nil, fallbackType: String? = nil, itemColumns: [ItemColumn] = []
  ) {
    self.formatVersion = ModelFile.formatVersion
    self.recbookVersion = recbookVersion
    self.modelType = modelType
    self.name = name
    self.options = options
    // Whole seconds: the ISO-8601 form keeps no fraction, so the header round-trips exactly.
    self.created = Date(timeIntervalSince1970: created.timeIntervalSince1970.rounded(.down))
    self.users = users
    self.items = items
    self.fingerprint = fingerprint
    self.metrics = metrics
    self.fallback = fallback
    self.fallbackType = fallbackType
    self.itemColumns = itemColumns
  }

  /// A stable 64-bit FNV-1a over the training interactions, as 16 hex digits: the user and
  /// item counts and the event count (UInt64 LE), then every event's user index and every
  /// event's item index (Int32 LE). Equal for the same events in the same order over
  /// same-sized maps, on every machine; it tells data sets apart, it is not a secret.
  /// - Complexity: O(events), about 1 ns per byte.
  public static func fingerprint(of data: Interactions) -> String {
    var h = FNV1a64()
    h.combine(UInt64(data.userCount))
    h.combine(UInt64(data.itemCount))
    h.combine(UInt64(data.count))
    h.combine(data.user)
    h.combine(data.item)
    return h.hex
  }

  /// Checks what the JSON schema cannot: metadata columns cover the catalogue, a fallback
  /// has a type.
  func validate() throws(ModelFileError) {
    for c in itemColumns where c.values.count != items.count {
      throw .badHeader("item column '\(c.name)' has \(c.values.count) values for \(items.count) items")
    }
    if (fallback == nil) != (fallbackType == nil) {
      throw .badHeader(
        "a fallback needs both its name and its type (found \(fallback ?? "no name"), \(fallbackType ?? "no type"))"
      )
    }
  }

  /// The JSON encoder of headers: sorted keys (byte-identical files for identical models),
  /// ISO-8601 dates, non-finite metrics as strings.
  static func jsonEncoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    e.dateEncodingStrategy = .iso8601
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }

  static func jsonDecoder() -> JSONDecoder {
    let d = JSONDecoder()
    d.dateDecodingStrategy = .iso8601
    d.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return d
  }
}
