extension Loss {
  /// BPR-max (Hidasi and Karatzoglou, CIKM 2018): BPR against a softmax-weighted mix of the
  /// sampled negatives, so that the gradient concentrates on the negatives scored highest.
  ///
  /// Per row, with `s = softmax(q)` over the row's valid negatives (`mask[r, j] != 0`) and
  /// `sigma_j = sigmoid(r - q_j)`:
  ///
  ///     l = -log(sum_j s_j sigma_j + 1e-24) + regularization * sum_j s_j q_j^2
  ///
  /// (the score regularisation of the paper, `bpreg` in its code). Gradients, with
  /// `A = sum_j s_j sigma_j` and `B = sum_j s_j q_j^2`:
  ///
  ///     dr   = -(1/A) sum_j s_j sigma_j (1 - sigma_j)
  ///     dq_k = -(1/A) s_k (sigma_k - A - sigma_k (1 - sigma_k)) + reg s_k (q_k^2 - B + 2 q_k)
  ///
  /// Mean over rows with at least one valid negative; other rows get zero gradient.
  /// Shapes: `positive: (rows)`, `negatives: (rows, samples)`, `mask: (rows * samples)` or nil
  /// (all valid). Masked negatives are those equal to the row's positive item.
  public static func bprMax(
    positive: Tensor, negatives: Tensor, mask: [Float]? = nil, regularization: Float = 1
  ) -> (loss: Float, dPositive: Tensor, dNegatives: Tensor) {
    rankingMax(positive: positive, negatives: negatives, mask: mask) { r, q, s, dq in
      var a = 0.0
      var b = 0.0
      var dr = 0.0
      let reg = Double(regularization)
      for j in q.indices where s[j] > 0 {
        let sg = sigmoidD(r - q[j])
        a += s[j] * sg
        b += s[j] * q[j] * q[j]
        dr += s[j] * sg * (1 - sg)
      }
      let inv = 1 / (a + 1e-24)
      for j in q.indices where s[j] > 0 {
        let sg = sigmoidD(r - q[j])
        dq[j] = -inv * s[j] * (sg - a - sg * (1 - sg)) + reg * s[j] * (q[j] * q[j] - b + 2 * q[j])
      }
      return (-log(a + 1e-24) + reg * b, -inv * dr)
    }
  }

  /// TOP1-max (Hidasi and Karatzoglou, CIKM 2018): TOP1 against a softmax-weighted mix of the
  /// sampled negatives. Per row, with `s = softmax(q)` over valid negatives and
  /// `g_j = sigmoid(q_j - r) + sigmoid(q_j^2)`:
  ///
  ///     l = sum_j s_j g_j
  ///     dr   = -sum_j s_j sigmoid'(q_j - r)
  ///     dq_k = s_k (g_k - l) + s_k (sigmoid'(q_k - r) + 2 q_k sigmoid'(q_k^2))
  ///
  /// with `sigmoid'(x) = sigmoid(x) (1 - sigmoid(x))`. Mean over rows; shapes as ``bprMax``.
  public static func top1Max(positive: Tensor, negatives: Tensor, mask: [Float]? = nil) -> (
    loss: Float, dPositive: Tensor, dNegatives: Tensor
  ) {
    rankingMax(positive: positive, negatives: negatives, mask: mask) { r, q, s, dq in
      var l = 0.0
      var dr = 0.0
      for j in q.indices where s[j] > 0 {
        let a = sigmoidD(q[j] - r)
        let b = sigmoidD(q[j] * q[j])
        l += s[j] * (a + b)
        dr -= s[j] * a * (1 - a)
      }
      for j in q.indices where s[j] > 0 {
        let a = sigmoidD(q[j] - r)
        let b = sigmoidD(q[j] * q[j])
        dq[j] = s[j] * (a + b - l) + s[j] * (a * (1 - a) + 2 * q[j] * b * (1 - b))
      }
      return (l, dr)
    }
  }

  /// The shared frame of the `-max` losses: per row, the masked softmax weights `s` of the
  /// negatives (shifted by the row max, so scores of +-400 stay finite), then `row(r, q, s, &dq)`
  /// returns the row's loss and `dr` and writes `dq`; results are averaged over the valid rows.
  /// Rows are independent and few (a batch), so this runs on one thread in Double.
  private static func rankingMax(
    positive: Tensor, negatives: Tensor, mask: [Float]?,
    row: (Double, [Double], [Double], inout [Double]) -> (loss: Double, dr: Double)
  ) -> (loss: Float, dPositive: Tensor, dNegatives: Tensor) {
    let n = positive.count
    let k = n == 0 ? 0 : negatives.count / n
    precondition(negatives.count == n * k && (mask?.count ?? n * k) == n * k)
    var losses = [Double](repeating: 0, count: n)
    var dps = [Double](repeating: 0, count: n)
    var dqs = [Double](repeating: 0, count: n * k)
    var valid = 0
    var q = [Double](repeating: 0, count: k)
    var s = q
    var dq = q
    for i in 0..<n {
      var mx = -Double.infinity
      for j in 0..<k {
        q[j] = Double(negatives.scalars[i * k + j])
        if mask?[i * k + j] ?? 1 != 0 { mx = max(mx, q[j]) }
      }
      guard mx > -.infinity else { continue }
      valid += 1
      var z = 0.0
      for j in 0..<k {
        s[j] = mask?[i * k + j] ?? 1 != 0 ? exp(q[j] - mx) : 0
        z += s[j]
      }
      for j in 0..<k { s[j] /= z }
      for j in 0..<k { dq[j] = 0 }
      let (l, dr) = row(Double(positive.scalars[i]), q, s, &dq)
      losses[i] = l
      dps[i] = dr
      for j in 0..<k { dqs[i * k + j] = dq[j] }
    }
    guard valid > 0 else {
      return (0, Tensor(shape: positive.shape), Tensor(shape: negatives.shape))
    }
    let inv = 1 / Double(valid)
    return (
      Float(losses.reduce(0, +) * inv),
      Tensor(shape: positive.shape, scalars: dps.map { Float($0 * inv) }),
      Tensor(shape: negatives.shape, scalars: dqs.map { Float($0 * inv) })
    )
  }

  /// The logistic function in Double, stable at both ends.
  @inline(__always)
  static func sigmoidD(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + exp(-x)) }
    let e = exp(x)
    return e / (1 + e)
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
