import RecData
import RecEval
import RecNN

/// The multi-layer perceptron of neural collaborative filtering (He, Liao, Zhang, Nie, Hu and
/// Chua, WWW 2017, section 3.3): user and item embeddings of `layers[0] / 2` each, concatenated,
/// through `Linear + ReLU` layers of sizes `layers[1...]` (the "tower" 64 -> 32 -> 16 -> 8 by
/// default, as in the authors' code), then `y_hat = sigmoid(h . a_L + c)`. Log loss over each
/// positive and `negatives` sampled non-positives per epoch (eq. 7), minibatch Adam. Scores are
/// the logits. See ``NCFTrainer``.
public struct MLPModel: Recommender, NCFScoring, Codable {
  public var layers: [Int]
  public var training: NCFTraining
  /// The trained network, after `fit`.
  public internal(set) var network: NCFNetwork?

  public init(layers: [Int] = [64, 32, 16, 8], training: NCFTraining = NCFTraining()) {
    self.layers = layers
    self.training = training
  }

  public var name: String { "mlp" }
  public var itemCount: Int { network?.items ?? 0 }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    try NCFTraining.checkLayers(layers, model: "mlp")
    network = NCFNetwork(
      users: data.userCount, items: data.itemCount, factors: 0, layers: layers, seed: training.seed)
    return try NCFTrainer.fit(&self, network: \.network, data: data, training: training, context: context)
  }

}

extension MLPModel {
  public static let type = ModelType(
    name: "mlp", family: "neural", paper: "He, Liao, Zhang, Nie, Hu and Chua, WWW 2017",
    summary: "an MLP tower over concatenated user and item embeddings, log loss with sampled negatives",
    iterative: true,
    options: [
      ModelOption(
        "layers", .ints(min: 1, max: 4096), default: "64,32,16,8",
        "layer sizes; the first is the concatenated embeddings (layers[0]/2 each)")
    ] + NCFTraining.options,
    make: { o throws(ModelError) in
      let layers = o.ints("layers", [64, 32, 16, 8])
      try NCFTraining.checkLayers(layers, model: "mlp")
      return MLPModel(layers: layers, training: NCFTraining(o))
    })
}
