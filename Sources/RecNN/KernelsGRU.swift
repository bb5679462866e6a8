/// GRU kernels: the gate arithmetic of one cell (eight hidden units at a time, with `vsigmoid`
/// and `vtanh`) beside its plain reference, and the per-step loops over the batch that `GRU`
/// calls between its matrix products.
///
/// Gate rows follow `GRU`: `gi`, `gh: (3 hidden)` hold the input and hidden projections with
/// their biases, blocks r, z, n. Why kernels: written against `GRU`'s stored arrays, each element
/// access paid a dynamic exclusivity check and a uniqueness check, and each activation a libm
/// call; that cost about ten times the gate arithmetic itself.
extension Kernels {
  /// Lanes `0..<count` (`count <= 8`) from `p`: one vector load when the row has eight left.
  @inline(__always)
  private static func ld(_ p: UnsafePointer<Float>, _ count: Int) -> SIMD8<Float> {
    count == 8 ? load8(p) : loadPartial(p, count)
  }

  @inline(__always)
  private static func st(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
    if count == 8 { store8(v, p) } else { storePartial(v, p, count) }
  }

  /// One GRU cell forward over `hidden` units (PyTorch's formulation, see `GRU`):
  /// `r = s(gi_r + gh_r)`, `z = s(gi_z + gh_z)`, `n = tanh(gi_n + r gh_n)`,
  /// `h = (1 - z) n + z hPrev`; caches `r`, `z`, `n` and `ghn = gh_n` for the backward pass.
  static func gruCellForward(
    gi: UnsafePointer<Float>, gh: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, hidden H: Int,
    r: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>, n: UnsafeMutablePointer<Float>,
    ghn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    var o = 0
    while o < H {
      let c = min(8, H &- o)
      let rv = vsigmoid(ld(gi + o, c) + ld(gh + o, c))
      let zv = vsigmoid(ld(gi + (H &+ o), c) + ld(gh + (H &+ o), c))
      let hn = ld(gh + (2 &* H &+ o), c)
      let nv = vtanh(ld(gi + (2 &* H &+ o), c) + rv * hn)
      let hv = (1 - zv) * nv + zv * ld(hPrev + o, c)
      st(rv, r + o, c)
      st(zv, z + o, c)
      st(nv, n + o, c)
      st(hn, ghn + o, c)
      st(hv, h + o, c)
      o &+= 8
    }
  }

  /// Reference for `gruCellForward`: scalar, libm `expf` / `tanhf`.
  static func gruCellForwardReference(
    gi: UnsafePointer<Float>, gh: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, hidden H: Int,
    r: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>, n: UnsafeMutablePointer<Float>,
    ghn: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
  ) {
    for j in 0..<H {
      r[j] = sigmoid(gi[j] + gh[j])
      z[j] = sigmoid(gi[H + j] + gh[H + j])
      ghn[j] = gh[2 * H + j]
      n[j] = tanhf(gi[2 * H + j] + r[j] * ghn[j])
      h[j] = (1 - z[j]) * n[j] + z[j] * hPrev[j]
    }
  }

  /// One GRU cell backward over `hidden` units. `dh` is the gradient reaching the cell's output
  /// (plus `dOut` when given). Writes the gate pre-activation gradients `dGI: (3 hidden)` (input
  /// side) and `dGH: (3 hidden)` (hidden side; its n block is scaled by `r`), and
  /// `dhPrev = dh z` (the direct path; the caller adds `dGH W_hh`).
  static func gruCellBackward(
    dh: UnsafePointer<Float>, dOut: UnsafePointer<Float>?, r: UnsafePointer<Float>, z: UnsafePointer<Float>,
    n: UnsafePointer<Float>, ghn: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, hidden H: Int,
    dGI: UnsafeMutablePointer<Float>, dGH: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>
  ) {
    var o = 0
    while o < H {
      let c = min(8, H &- o)
      var g = ld(dh + o, c)
      if let dOut { g += ld(dOut + o, c) }
      let (rv, zv, nv) = (ld(r + o, c), ld(z + o, c), ld(n + o, c))
      let dan = g * (1 - zv) * (1 - nv * nv)
      let dar = dan * ld(ghn + o, c) * rv * (1 - rv)
      let daz = g * (ld(hPrev + o, c) - nv) * zv * (1 - zv)
      st(dar, dGI + o, c)
      st(daz, dGI + (H &+ o), c)
      st(dan, dGI + (2 &* H &+ o), c)
      st(dar, dGH + o, c)
      st(daz, dGH + (H &+ o), c)
      st(dan * rv, dGH + (2 &* H &+ o), c)
      st(g * zv, dhPrev + o, c)
      o &+= 8
    }
  }

  /// Reference for `gruCellBackward`: scalar, one formula per line.
  static func gruCellBackwardReference(
    dh: UnsafePointer<Float>, dOut: UnsafePointer<Float>?, r: UnsafePointer<Float>, z: UnsafePointer<Float>,
    n: UnsafePointer<Float>, ghn: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, hidden H: Int,
    dGI: UnsafeMutablePointer<Float>, dGH: UnsafeMutablePointer<Float>, dhPrev: UnsafeMutablePointer<Float>
  ) {
    for j in 0..<H {
      let g = dh[j] + (dOut?[j] ?? 0)
      let dn = g * (1 - z[j])
      let dz = g * (hPrev[j] - n[j])
      let dan = dn * (1 - n[j] * n[j])
      let dar = dan * ghn[j] * r[j] * (1 - r[j])
      let daz = dz * z[j] * (1 - z[j])
      dGI[j] = dar
      dGI[H + j] = daz
      dGI[2 * H + j] = dan
      dGH[j] = dar
      dGH[H + j] = daz
      dGH[2 * H + j] = dan * r[j]
      dhPrev[j] = g * z[j]
    }
  }

  /// Copies `x: (a, b, width)` to `out: (b, a, width)` (batch-major <-> time-major); rows of
  /// `width` floats move whole. Calling it again with `a` and `b` swapped undoes it.
  static func swapLeadingAxes(_ x: [Float], _ a: Int, _ b: Int, width: Int, into out: inout [Float]) {
    precondition(x.count >= a * b * width && out.count >= a * b * width)
    guard width > 0 else { return }
    x.withUnsafeBufferPointer { xb in
      out.withUnsafeMutableBufferPointer { ob in
        guard let xp = xb.baseAddress, let op = ob.baseAddress else { return }
        for i in 0..<a {
          for j in 0..<b {
            (op + (j &* a &+ i) &* width).update(from: xp + (i &* b &+ j) &* width, count: width)
          }
        }
      }
    }
  }

  /// Step `t` of the GRU forward pass over the batch. Time-major caches: `gi: (steps, batch, 3H)`,
  /// `states: (steps + 1, batch, H)`, `r`, `z`, `n`, `ghn: (steps, batch, H)`; `gh: (batch, 3H)` is
  /// this step's hidden projection. Rows with `t >= lengths[b]` carry their state unchanged.
  static func gruForwardStep(
    t: Int, batch B: Int, hidden H: Int, lengths: [Int], gi: [Float], gh: [Float], states: inout [Float],
    r: inout [Float], z: inout [Float], n: inout [Float], ghn: inout [Float]
  ) {
    let G = 3 &* H
    guard B > 0, H > 0 else { return }
    precondition(gi.count >= (t + 1) * B * G && gh.count >= B * G && states.count >= (t + 2) * B * H)
    precondition(
      r.count >= (t + 1) * B * H && z.count == r.count && n.count == r.count && ghn.count == r.count)
    gi.withUnsafeBufferPointer { gi in
      gh.withUnsafeBufferPointer { gh in
        states.withUnsafeMutableBufferPointer { s in
          r.withUnsafeMutableBufferPointer { r in
            z.withUnsafeMutableBufferPointer { z in
              n.withUnsafeMutableBufferPointer { n in
                ghn.withUnsafeMutableBufferPointer { ghn in
                  for b in 0..<B {
                    let prev = s.baseAddress! + (t &* B &+ b) &* H
                    let cur = prev + B &* H
                    guard t < lengths[b] else {
                      cur.update(from: prev, count: H)
                      continue
                    }
                    let cache = (t &* B &+ b) &* H
                    gruCellForward(
                      gi: gi.baseAddress! + (t &* B &+ b) &* G, gh: gh.baseAddress! + b &* G, hPrev: prev,
                      hidden: H, r: r.baseAddress! + cache, z: z.baseAddress! + cache,
                      n: n.baseAddress! + cache,
                      ghn: ghn.baseAddress! + cache, h: cur)
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// Step `t` of backpropagation through time over the batch: for valid rows the cell backward
  /// with `dh` plus `dOutputs[b, t]` (`dOutputs: (batch, steps, H)` or nil), writing rows `(t, b)`
  /// of `dGI`, `dGH: (steps, batch, 3H)` and row `b` of `dhPrev: (batch, H)`; padded rows pass
  /// `dh` through unchanged and leave their `dGI` / `dGH` rows as they are (zero).
  static func gruBackwardStep(
    t: Int, batch B: Int, steps T: Int, hidden H: Int, lengths: [Int], dOutputs: [Float]?, dh: [Float],
    r: [Float], z: [Float], n: [Float], ghn: [Float], states: [Float], dGI: inout [Float],
    dGH: inout [Float], dhPrev: inout [Float]
  ) {
    let G = 3 &* H
    guard B > 0, H > 0 else { return }
    precondition(dh.count >= B * H && dhPrev.count >= B * H && dGI.count >= (t + 1) * B * G)
    precondition(dGH.count == dGI.count && r.count >= (t + 1) * B * H && states.count >= (t + 1) * B * H)
    precondition(z.count == r.count && n.count == r.count && ghn.count == r.count)
    precondition(dOutputs.map { $0.count >= B * T * H } ?? true)
    let dOut = dOutputs ?? []
    dOut.withUnsafeBufferPointer { dOut in
      dh.withUnsafeBufferPointer { dh in
        r.withUnsafeBufferPointer { r in
          z.withUnsafeBufferPointer { z in
            n.withUnsafeBufferPointer { n in
              ghn.withUnsafeBufferPointer { ghn in
                states.withUnsafeBufferPointer { s in
                  dGI.withUnsafeMutableBufferPointer { dGI in
                    dGH.withUnsafeMutableBufferPointer { dGH in
                      dhPrev.withUnsafeMutableBufferPointer { dhPrev in
                        for b in 0..<B {
                          let k = b &* H
                          guard t < lengths[b] else {
                            (dhPrev.baseAddress! + k).update(from: dh.baseAddress! + k, count: H)
                            continue
                          }
                          let c = (t &* B &+ b) &* H
                          gruCellBackward(
                            dh: dh.baseAddress! + k,
                            dOut: dOutputs == nil ? nil : dOut.baseAddress.map { $0 + (b &* T &+ t) &* H },
                            r: r.baseAddress! + c, z: z.baseAddress! + c, n: n.baseAddress! + c,
                            ghn: ghn.baseAddress! + c, hPrev: s.baseAddress! + c, hidden: H,
                            dGI: dGI.baseAddress! + (t &* B &+ b) &* G,
                            dGH: dGH.baseAddress! + (t &* B &+ b) &* G,
                            dhPrev: dhPrev.baseAddress! + k)
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The GRU's outputs `(batch, steps, H)` from the time-major `states: (steps + 1, batch, H)`:
  /// `states[t + 1, b]` where `t < lengths[b]`, zero at padded positions.
  static func gruOutputs(states: [Float], batch B: Int, steps T: Int, hidden H: Int, lengths: [Int])
    -> [Float]
  {
    precondition(states.count >= (T + 1) * B * H && lengths.count == B)
    var out = [Float](repeating: 0, count: B * T * H)
    guard H > 0 else { return out }
    states.withUnsafeBufferPointer { s in
      out.withUnsafeMutableBufferPointer { o in
        for b in 0..<B {
          for t in 0..<min(T, lengths[b]) {
            (o.baseAddress! + (b &* T &+ t) &* H).update(
              from: s.baseAddress! + ((t &+ 1) &* B &+ b) &* H, count: H)
          }
        }
      }
    }
    return out
  }
}

#if canImport(Glibc)
  import Glibc
#else
  import Darwin
#endif
