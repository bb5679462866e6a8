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

  /// The GRU forward recurrence over all steps. Time-major: `gi: (steps, batch, 3H)` (input
  /// projections with `b_ih`), `states: (steps + 1, batch, H)` with `states[0]` the initial state,
  /// caches `r`, `z`, `n`, `ghn: (steps, batch, H)`. Per step: `gh = b_hh + h_{t-1} W_hh^T`, then
  /// the cell; rows with `t >= lengths[b]` carry their state unchanged.
  ///
  /// Batch rows are independent, so the batch is split into `chunks` fixed row ranges that each
  /// run the whole recurrence (their own `(rows, H) x (H, 3H)` sgemm per step): one fork-join
  /// for all steps instead of one per step, and the same arithmetic whatever the thread count.
  static func gruForwardRecurrence(
    batch B: Int, steps T: Int, hidden H: Int, lengths: [Int], chunks: Int, gi: [Float], wHH: [Float],
    bHH: [Float], states: inout [Float], r: inout [Float], z: inout [Float], n: inout [Float],
    ghn: inout [Float]
  ) {
    let G = 3 &* H
    guard B > 0, H > 0, T > 0 else { return }
    precondition(gi.count >= T * B * G && wHH.count >= G * H && bHH.count >= G && lengths.count == B)
    precondition(states.count >= (T + 1) * B * H && r.count >= T * B * H)
    precondition(z.count == r.count && n.count == r.count && ghn.count == r.count)
    var gh = [Float](repeating: 0, count: B * G)  // each chunk uses its own rows
    gi.withUnsafeBufferPointer { gi in
      wHH.withUnsafeBufferPointer { w in
        bHH.withUnsafeBufferPointer { bias in
          gh.withUnsafeMutableBufferPointer { gh in
            states.withUnsafeMutableBufferPointer { s in
              r.withUnsafeMutableBufferPointer { r in
                z.withUnsafeMutableBufferPointer { z in
                  n.withUnsafeMutableBufferPointer { n in
                    ghn.withUnsafeMutableBufferPointer { ghn in
                      let p = UncheckedBox(
                        (
                          gi.baseAddress!, w.baseAddress!, bias.baseAddress!, gh.baseAddress!, s.baseAddress!,
                          r.baseAddress!, z.baseAddress!, n.baseAddress!, ghn.baseAddress!
                        ))
                      Parallel.forEachChunk(chunks) { c in
                        let (gi, w, bias, gh, s, r, z, n, ghn) = p.value
                        let rows = Parallel.range(ofChunk: c, of: chunks, count: B)
                        guard let lo = rows.first else { return }
                        for t in 0..<T {
                          for b in rows { (gh + b &* G).update(from: bias, count: G) }
                          gemmSerial(
                            transA: false, transB: true, m: rows.count, n: G, k: H,
                            a: s + (t &* B &+ lo) &* H, lda: H,
                            b: w, ldb: H, beta: 1, c: gh + lo &* G, ldc: G)
                          for b in rows {
                            let prev = s + (t &* B &+ b) &* H
                            let cur = prev + B &* H
                            guard t < lengths[b] else {
                              cur.update(from: prev, count: H)
                              continue
                            }
                            let cache = (t &* B &+ b) &* H
                            gruCellForward(
                              gi: gi + (t &* B &+ b) &* G, gh: gh + b &* G, hPrev: prev, hidden: H,
                              r: r + cache,
                              z: z + cache, n: n + cache, ghn: ghn + cache, h: cur)
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
  }

  /// Backpropagation through time of `gruForwardRecurrence`, split over the batch the same way.
  /// From `dh = dLast` (or 0) at the last step back to the first: for valid rows the cell
  /// backward with `dh + dOutputs[b, t]` (`dOutputs: (batch, steps, H)` or nil) writes rows
  /// `(t, b)` of `dGI`, `dGH: (steps, batch, 3H)` (which must start at zero), then
  /// `dh_{t-1} = dh z + dGH_t W_hh`; padded rows pass `dh` through unchanged.
  static func gruBackwardRecurrence(
    batch B: Int, steps T: Int, hidden H: Int, lengths: [Int], chunks: Int, dOutputs: [Float]?,
    dLast: [Float]?, r: [Float], z: [Float], n: [Float], ghn: [Float], states: [Float], wHH: [Float],
    dGI: inout [Float], dGH: inout [Float]
  ) {
    let G = 3 &* H
    guard B > 0, H > 0, T > 0 else { return }
    precondition(lengths.count == B && dGI.count >= T * B * G && dGH.count == dGI.count)
    precondition(r.count >= T * B * H && states.count >= T * B * H && wHH.count >= G * H)
    precondition(z.count == r.count && n.count == r.count && ghn.count == r.count)
    precondition(dOutputs.map { $0.count >= B * T * H } ?? true && dLast.map { $0.count >= B * H } ?? true)
    var dh = dLast ?? [Float](repeating: 0, count: B * H)
    var dhPrev = [Float](repeating: 0, count: B * H)
    let dOut = dOutputs ?? []
    let hasOut = dOutputs != nil
    dOut.withUnsafeBufferPointer { dOut in
      r.withUnsafeBufferPointer { r in
        z.withUnsafeBufferPointer { z in
          n.withUnsafeBufferPointer { n in
            ghn.withUnsafeBufferPointer { ghn in
              states.withUnsafeBufferPointer { s in
                wHH.withUnsafeBufferPointer { w in
                  dGI.withUnsafeMutableBufferPointer { dGI in
                    dGH.withUnsafeMutableBufferPointer { dGH in
                      dh.withUnsafeMutableBufferPointer { dh in
                        dhPrev.withUnsafeMutableBufferPointer { dhPrev in
                          let p = UncheckedBox(
                            (
                              hasOut ? dOut.baseAddress : nil, r.baseAddress!, z.baseAddress!, n.baseAddress!,
                              ghn.baseAddress!, s.baseAddress!, w.baseAddress!, dGI.baseAddress!,
                              dGH.baseAddress!,
                              dh.baseAddress!, dhPrev.baseAddress!
                            ))
                          Parallel.forEachChunk(chunks) { c in
                            let (dOut, r, z, n, ghn, s, w, dGI, dGH, dh0, dhPrev0) = p.value
                            let rows = Parallel.range(ofChunk: c, of: chunks, count: B)
                            guard let lo = rows.first else { return }
                            var (dh, dhPrev) = (dh0, dhPrev0)
                            for t in stride(from: T - 1, through: 0, by: -1) {
                              for b in rows {
                                let k = b &* H
                                guard t < lengths[b] else {
                                  (dhPrev + k).update(from: dh + k, count: H)
                                  continue
                                }
                                let c = (t &* B &+ b) &* H
                                gruCellBackward(
                                  dh: dh + k, dOut: dOut.map { $0 + (b &* T &+ t) &* H }, r: r + c, z: z + c,
                                  n: n + c, ghn: ghn + c, hPrev: s + c, hidden: H,
                                  dGI: dGI + (t &* B &+ b) &* G,
                                  dGH: dGH + (t &* B &+ b) &* G, dhPrev: dhPrev + k)
                              }
                              gemmSerial(
                                transA: false, transB: false, m: rows.count, n: H, k: G,
                                a: dGH + (t &* B &+ lo) &* G,
                                lda: G, b: w, ldb: H, beta: 1, c: dhPrev + lo &* H, ldc: H)
                              swap(&dh, &dhPrev)
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
