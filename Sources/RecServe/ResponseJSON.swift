import RecModels

/// The JSON shapes of the service's answers, one per model type. Keys are snake_case
/// (`cold_start`, `trained_on`); map keys from the model (metadata, options, metrics) are kept
/// verbatim; NaN and infinite scores become `null`.
extension Recommendation {
  /// `{"item": "50", "rank": 1, "score": 4.2, "metadata": {"title": "Star Wars (1977)"}}`
  var json: JSONValue {
    .object([
      "item": .string(item), "rank": .number(Double(rank)), "score": .finite(score),
      "metadata": .strings(metadata),
    ])
  }
}

extension RecommendationList {
  /// The list's fields, to merge into a response that also echoes the request (`user`, `item`).
  var jsonFields: [String: JSONValue] {
    ["items": .array(items.map(\.json)), "cold_start": .bool(coldStart), "source": .string(source)]
  }
}

extension Explanation {
  /// `{"user", "item", "score", "method", "contributions": [{"item", "weight", "metadata"}]}`
  var json: JSONValue {
    .object([
      "user": .string(user), "item": .string(item), "score": .finite(score), "method": .string(method),
      "contributions": .array(
        contributions.map {
          .object(["item": .string($0.item), "weight": .finite($0.weight), "metadata": .strings($0.metadata)])
        }),
    ])
  }
}

extension ModelInfo {
  /// `GET /v1/model`: every field of `ModelInfo`, `fallback` `null` when the model has none.
  var json: JSONValue {
    .object([
      "name": .string(name), "type": .string(type), "options": .strings(options),
      "users": .number(Double(users)), "items": .number(Double(items)), "trained_on": .string(trainedOn),
      "fingerprint": .string(fingerprint), "metrics": .object(metrics.mapValues { .finite($0) }),
      "fallback": fallback.map { .string($0) } ?? .null,
    ])
  }
}
