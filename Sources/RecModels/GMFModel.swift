import RecData
import RecEval
import RecNN

/// Generalized matrix factorisation (He, Liao, Zhang, Nie, Hu and Chua, "Neural Collaborative
/// Filtering", WWW 2017, section 3.2): `y_hat(u, i) = sigmoid(h . (p_u (*) q_i) + c)`, trained
/// on log loss over each positive and `negatives` sampled non-positives per epoch (eq. 7) by
/// minibatch Adam, as the authors' code does. Scores are the logits. See ``NCFTrainer``.
public struct GMFModel: Recommender, NCFScoring, Codable {
  public var factors: Int
  public var training: NCFTraining
  /// The trained network, after `fit`.
  public internal(set) var network: NCFNetwork?

  public init(factors: Int = 8, training: NCFTraining = NCFTraining()) {
    self.factors = factors
    self.training = training
  }

  public var name: String { "gmf" }
  public var itemCount: Int { network?.items ?? 0 }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    guard factors > 0 else { throw ModelError("gmf needs factors >= 1, got \(factors)") }
    network = NCFNetwork(
      users: data.userCount, items: data.itemCount, factors: factors, layers: [], seed: training.seed)
    return try NCFTrainer.fit(&self, network: \.network, data: data, training: training, context: context)
  }

}

extension GMFModel {
  public static let type = ModelType(
    name: "gmf", family: "neural", paper: "He, Liao, Zhang, Nie, Hu and Chua, WWW 2017",
    summary:
      "generalized matrix factorisation: a learned weighting of p_u * q_i, log loss with sampled negatives",
    iterative: true,
    options: [ModelOption("factors", .int(min: 1, max: 4096), default: "8", "embedding size")]
      + NCFTraining.options,
    make: { o throws(ModelError) in
      GMFModel(factors: o.int("factors", 8), training: NCFTraining(o))
    })
}
