import Foundation
import RecData
import Testing

@testable import RecNN

/// Outputs and gradients against PyTorch, to 1e-4. The numbers come from
/// `reference/make_reference.py` (rerun it with PyTorch installed to regenerate `reference.json`).
@Suite struct ReferenceTests {
  struct Flat: Decodable {
    let shape: [Int]
    let data: [Double]
    var tensor: Tensor { Tensor(shape: shape, scalars: data.map { Float($0) }) }
  }
  struct NeuMFCase: Decodable {
    let users: [Int]
    let items: [Int]
    let labels: [Float]
    let params: [String: Flat]
    let logits: Flat
    let loss: Double
    let grads: [String: Flat]
  }
  struct GRUCase: Decodable {
    let lengths: [Int]
    let x, weightIH, weightHH, biasIH, biasHH, dOutputs, dLast: Flat
    let outputs, last, dx, dWeightIH, dWeightHH, dBiasIH, dBiasHH: Flat
  }
  struct CaserCase: Decodable {
    let heights: [Int]
    let x, dOut, out, dx, vWeight, vBias, dVWeight, dVBias: Flat
    let hWeights, hBiases, dHWeights, dHBiases: [Flat]
  }
  struct File: Decodable {
    let neumf: NeuMFCase
    let gru: GRUCase
    let caser: CaserCase
  }

  static func load() throws -> File {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("reference/reference.json")
    return try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
  }

  /// Largest absolute difference, checked against 1e-4 with shapes equal.
  func expectClose(
    _ got: Tensor, _ want: Flat, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(got.count == want.data.count, "\(what): count", sourceLocation: sourceLocation)
    let err = zip(got.scalars, want.data).map { abs(Double($0) - $1) }.max() ?? 0
    #expect(err <= 1e-4, "\(what): max abs error \(err)", sourceLocation: sourceLocation)
  }

  @Test func neumfMatchesPyTorch() throws {
    let c = try Self.load().neumf
    let p = c.params
    let gmfUser = Embedding(weight: p["gmfUser"]!.tensor)
    let gmfItem = Embedding(weight: p["gmfItem"]!.tensor)
    let mlpUser = Embedding(weight: p["mlpUser"]!.tensor)
    let mlpItem = Embedding(weight: p["mlpItem"]!.tensor)
    let l1 = Linear(weight: p["w1"]!.tensor, bias: p["b1"]!.tensor)
    let l2 = Linear(weight: p["w2"]!.tensor, bias: p["b2"]!.tensor)
    let out = Linear(weight: p["wOut"]!.tensor, bias: p["bOut"]!.tensor)
    let (prod, catIn, catOut, r1, r2) = (ElementwiseProduct(), Concat(), Concat(), ReLU(), ReLU())

    let gmf = prod.forward(gmfUser.forward(c.users), gmfItem.forward(c.items))
    let h1 = r1.forward(l1.forward(catIn.forward([mlpUser.forward(c.users), mlpItem.forward(c.items)])))
    let h2 = r2.forward(l2.forward(h1))
    let logits = out.forward(catOut.forward([gmf, h2])).reshaped([c.users.count])
    let (loss, dLogits) = Loss.binaryCrossEntropyWithLogits(
      logits: logits, targets: Tensor(shape: [c.labels.count], scalars: c.labels))
    expectClose(logits, c.logits, "logits")
    #expect(abs(Double(loss) - c.loss) <= 1e-4)

    let dCat = catOut.backward(out.backward(dLogits.reshaped([c.users.count, 1])))
    let (dGU, dGI) = prod.backward(dCat[0])
    gmfUser.backward(dGU)
    gmfItem.backward(dGI)
    let dIn = catIn.backward(l1.backward(r1.backward(l2.backward(r2.backward(dCat[1])))))
    mlpUser.backward(dIn[0])
    mlpItem.backward(dIn[1])

    let g = c.grads
    expectClose(gmfUser.weight.grad, g["gmfUser"]!, "dGmfUser")
    expectClose(gmfItem.weight.grad, g["gmfItem"]!, "dGmfItem")
    expectClose(mlpUser.weight.grad, g["mlpUser"]!, "dMlpUser")
    expectClose(mlpItem.weight.grad, g["mlpItem"]!, "dMlpItem")
    expectClose(l1.weight.grad, g["w1"]!, "dW1")
    expectClose(l1.bias!.grad, g["b1"]!, "dB1")
    expectClose(l2.weight.grad, g["w2"]!, "dW2")
    expectClose(l2.bias!.grad, g["b2"]!, "dB2")
    expectClose(out.weight.grad, g["wOut"]!, "dWOut")
    expectClose(out.bias!.grad, g["bOut"]!, "dBOut")
  }

  /// Lengths 5, 2, 1, 0: full, padded, single-step and empty sequences.
  @Test func gruMatchesPyTorch() throws {
    let c = try Self.load().gru
    var rng = SeededGenerator(seed: 1)
    let gru = GRU(inputs: c.x.shape[2], hidden: c.last.shape[1], using: &rng)
    gru.weightIH.value = c.weightIH.tensor
    gru.weightHH.value = c.weightHH.tensor
    gru.biasIH.value = c.biasIH.tensor
    gru.biasHH.value = c.biasHH.tensor
    let (outputs, last) = gru.forward(c.x.tensor, lengths: c.lengths)
    expectClose(outputs, c.outputs, "outputs")
    expectClose(last, c.last, "last")
    let dx = gru.backward(dOutputs: c.dOutputs.tensor, dLast: c.dLast.tensor)
    expectClose(dx, c.dx, "dx")
    expectClose(gru.weightIH.grad, c.dWeightIH, "dWeightIH")
    expectClose(gru.weightHH.grad, c.dWeightHH, "dWeightHH")
    expectClose(gru.biasIH.grad, c.dBiasIH, "dBiasIH")
    expectClose(gru.biasHH.grad, c.dBiasHH, "dBiasHH")
  }

  /// Caser's block: vertical filters, and horizontal filters of heights 1, 2, 3 with ReLU and
  /// max-pooling over time, concatenated.
  @Test func caserBlockMatchesPyTorch() throws {
    let c = try Self.load().caser
    let (B, L, d) = (c.x.shape[0], c.x.shape[1], c.x.shape[2])
    var rng = SeededGenerator(seed: 1)
    let vertical = VerticalConvolution(length: L, filters: c.vWeight.shape[0], using: &rng)
    vertical.weight.value = c.vWeight.tensor.reshaped([c.vWeight.shape[0], L])
    vertical.bias.value = c.vBias.tensor
    let horizontal = c.heights.enumerated().map { i, h in
      let conv = HorizontalConvolution(height: h, dim: d, filters: c.hWeights[i].shape[0], using: &rng)
      conv.weight.value = c.hWeights[i].tensor.reshaped(conv.weight.value.shape)
      conv.bias.value = c.hBiases[i].tensor
      return conv
    }
    let relus = horizontal.map { _ in ReLU() }
    let pools = horizontal.map { _ in MaxPoolOverTime() }
    let cat = Concat()
    let x = c.x.tensor
    let v = vertical.forward(x)
    let pooled = (0..<horizontal.count).map {
      pools[$0].forward(relus[$0].forward(horizontal[$0].forward(x)))
    }
    let out = cat.forward([v.reshaped([B, v.count / B])] + pooled)
    expectClose(out, c.out, "out")

    let parts = cat.backward(c.dOut.tensor)
    var dx = vertical.backward(parts[0].reshaped(v.shape))
    for k in 0..<horizontal.count {
      let dk = horizontal[k].backward(relus[k].backward(pools[k].backward(parts[k + 1])))
      for i in 0..<dx.count { dx.scalars[i] += dk.scalars[i] }
    }
    expectClose(dx, c.dx, "dx")
    expectClose(vertical.weight.grad, c.dVWeight, "dVWeight")
    expectClose(vertical.bias.grad, c.dVBias, "dVBias")
    for k in 0..<horizontal.count {
      expectClose(horizontal[k].weight.grad, c.dHWeights[k], "dHWeight h=\(c.heights[k])")
      expectClose(horizontal[k].bias.grad, c.dHBiases[k], "dHBias h=\(c.heights[k])")
    }
  }
}
