import RecData
import RecEval
import RecNN

/// Neural matrix factorisation (He, Liao, Zhang, Nie, Hu and Chua, "Neural Collaborative
/// Filtering", WWW 2017, section 3.4): a GMF branch `p_u (*) q_i` and an MLP tower over
/// `[x_u ; x_i]` with their own embeddings, fused by one prediction layer,
/// `y_hat = sigmoid(h . [p_u (*) q_i ; a_L] + c)`. Log loss over each positive and `negatives`
/// sampled non-positives per epoch (eq. 7). Scores are the logits. See ``NCFTrainer``.
///
/// From scratch it trains with minibatch Adam, as the authors' code does by default. With
/// `init=GMF,MLP` (two fitted models of the session) it starts from their weights (section
/// 3.4.1): the prediction layer becomes `[alpha h_GMF ; (1 - alpha) h_MLP]`, bias
/// `alpha c_GMF + (1 - alpha) c_MLP`, so before training its logit is
/// `alpha logit_GMF + (1 - alpha) logit_MLP`; `factors` and `layers` are then the pretrained
/// models'. The paper fine-tunes with vanilla SGD because Adam's moments are not saved with the
/// pretrained weights; `optimizer=sgd` does that, the default stays Adam (the code's default,
/// and what it uses with pretraining too).
public struct NeuMFModel: Recommender, NCFScoring, Codable {
  public var factors: Int
  public var layers: [Int]
  public var training: NCFTraining
  /// Weight of the GMF branch in the pretrained combination.
  public var alpha: Float
  /// Fitted GMF and MLP networks to start from (`init=`).
  var pretrained: (gmf: NCFNetwork, mlp: NCFNetwork)?

  /// The pretrained networks only seed a fit; the trained `network` is what a model file keeps.
  enum CodingKeys: String, CodingKey { case factors, layers, training, alpha, network }
  /// The trained network, after `fit`.
  public internal(set) var network: NCFNetwork?

  public init(
    factors: Int = 8, layers: [Int] = [64, 32, 16, 8], training: NCFTraining = NCFTraining(),
    alpha: Float = 0.5
  ) {
    self.factors = factors
    self.layers = layers
    self.training = training
    self.alpha = alpha
  }

  /// A NeuMF that starts from fitted `gmf` and `mlp` models.
  public init(gmf: GMFModel, mlp: MLPModel, training: NCFTraining = NCFTraining(), alpha: Float = 0.5)
    throws(ModelError)
  {
    guard let g = gmf.network else {
      throw ModelError("neumf init: the gmf model is not fitted yet (fit it first)")
    }
    guard let m = mlp.network else {
      throw ModelError("neumf init: the mlp model is not fitted yet (fit it first)")
    }
    guard g.users == m.users && g.items == m.items else {
      throw ModelError(
        "neumf init: the gmf model was fitted on \(g.users) users x \(g.items) items, the mlp model on "
          + "\(m.users) x \(m.items): fit both on the same split")
    }
    self.init(factors: g.factors, layers: m.layers, training: training, alpha: alpha)
    pretrained = (g, m)
  }

  public var name: String { "neumf" }
  public var itemCount: Int { network?.items ?? 0 }

  public mutating func fit(_ data: Interactions, context: FitContext) throws -> FitReport {
    if let (g, m) = pretrained {
      guard g.users == data.userCount && g.items == data.itemCount else {
        throw ModelError(
          "neumf init: the gmf and mlp models were fitted on \(g.users) users x \(g.items) items, this data "
            + "has \(data.userCount) x \(data.itemCount): fit them on the same split")
      }
      network = NCFNetwork(gmf: g, mlp: m, alpha: alpha)
    } else {
      guard factors > 0 else { throw ModelError("neumf needs factors >= 1, got \(factors)") }
      try NCFTraining.checkLayers(layers, model: "neumf")
      network = NCFNetwork(
        users: data.userCount, items: data.itemCount, factors: factors, layers: layers, seed: training.seed)
    }
    return try NCFTrainer.fit(&self, network: \.network, data: data, training: training, context: context)
  }

}

extension NeuMFModel {
  public static let type = ModelType(
    name: "neumf", family: "neural", paper: "He, Liao, Zhang, Nie, Hu and Chua, WWW 2017",
    summary: "GMF and an MLP tower fused in one prediction layer, log loss with sampled negatives",
    iterative: true,
    options: [
      ModelOption("factors", .int(min: 1, max: 4096), default: "8", "GMF embedding size"),
      ModelOption(
        "layers", .ints(min: 1, max: 4096), default: "64,32,16,8",
        "MLP layer sizes; the first is the concatenated embeddings (layers[0]/2 each)"),
      ModelOption("init", .models, "fitted GMF,MLP models to start from (their factors and layers are used)"),
      ModelOption("alpha", .double(min: 0, max: 1), default: "0.5", "weight of the GMF branch with init="),
      ModelOption(
        "optimizer", .choice(["adam", "sgd"]), default: "adam", "adam, or sgd (the paper's with init=)"),
    ] + NCFTraining.options,
    make: { o throws(ModelError) in
      let method = NCFTraining.Method(rawValue: o.text("optimizer", "adam")) ?? .adam
      let training = NCFTraining(o, method: method)
      let alpha = Float(o.double("alpha", 0.5))
      if let names = o.names("init") {
        guard names.count == 2 else {
          throw ModelError("neumf init= takes two fitted models, GMF first then MLP (init=gmf1,mlp1)")
        }
        guard let gmf = o.models[names[0]] as? GMFModel else {
          throw ModelError("neumf init: '\(names[0])' is not a gmf model (init=GMF,MLP)")
        }
        guard let mlp = o.models[names[1]] as? MLPModel else {
          throw ModelError("neumf init: '\(names[1])' is not an mlp model (init=GMF,MLP)")
        }
        return try NeuMFModel(gmf: gmf, mlp: mlp, training: training, alpha: alpha)
      }
      let layers = o.ints("layers", [64, 32, 16, 8])
      try NCFTraining.checkLayers(layers, model: "neumf")
      return NeuMFModel(factors: o.int("factors", 8), layers: layers, training: training, alpha: alpha)
    })
}
