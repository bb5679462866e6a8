import RecEval
import RecNN

/// The `k` most similar rows of each row of a weighted sparse matrix (items for `itemknn`, users
/// for `userknn`), stored like a CSR: row `r`'s neighbours, best first, span
/// `offsets[r]..<offsets[r + 1]` of `neighbours` and `similarities`.
///
/// The similarity of rows `a` and `b` with weighted entries `w` is
/// - normalised (cosine, `itemknn weighting=none|tfidf`, `userknn`):
///   `sim(a, b) = <w_a, w_b> / (|w_a| |w_b| + shrink)`;
/// - raw (`itemknn weighting=bm25`, as implicit's `BM25Recommender`): `sim(a, b) = <w_a, w_b>`.
///
/// A row is never its own neighbour (implicit keeps the item itself among its `K`, so its
/// `K=10` is `k=9` here), and only positive similarities are kept, so a row may have fewer
/// than `k` neighbours. Equal similarities keep the smaller index (`TopK`'s tie rule).
public struct NeighbourLists: Sendable, Equatable {
  public var offsets: [Int]
  public var neighbours: [Int32]
  public var similarities: [Float]

  public init() {
    offsets = [0]
    neighbours = []
    similarities = []
  }

  public var rowCount: Int { offsets.count - 1 }
  /// The stored range of row `r`'s neighbours (empty for a row out of range).
  public func span(ofRow r: Int) -> Range<Int> {
    r >= 0 && r < rowCount ? offsets[r]..<offsets[r + 1] : 0..<0
  }

  /// Row `r`'s neighbours, best first, at most `count` of them.
  public func scored(row r: Int, count: Int) -> [ScoredItem] {
    span(ofRow: r).prefix(max(count, 0)).map {
      ScoredItem(item: Int(neighbours[$0]), score: similarities[$0])
    }
  }

  /// The neighbour lists of the rows of `rows` (row -> features), given the same matrix by
  /// feature in `columns` (feature -> rows).
  ///
  /// Sparse co-occurrence counting: for row `a`, for each feature `f` of `a`, for each row `b`
  /// having `f`, `dot[b] += w[a, f] * w[b, f]`, into a dense accumulator with a touched list;
  /// then the `k` best of the touched rows. Rows go in blocks of 256 on the calling thread
  /// (which polls `isCancelled` and reports `progress` between blocks, as the closures need
  /// not be thread-safe); each block is split into `Parallel` fixed chunks. A row's list
  /// depends only on the data, never on the chunking, so results do not depend on the threads.
  /// - Complexity: O(sum over features of rows(f)^2) multiply-adds plus O(rows^2) for the
  ///   top-k scans; memory O(rows) scratch per chunk and O(rows * k) for the lists.
  /// - Returns: nil when cancelled.
  public static func build(
    rows: ImplicitMatrix.Rows, columns: ImplicitMatrix.Rows, k: Int, shrink: Float, normalised: Bool,
    isCancelled: () -> Bool = { false }, progress: (Double) -> Void = { _ in }
  ) -> NeighbourLists? {
    let n = rows.rowCount
    var norms = [Float](repeating: 1, count: n)
    if normalised {
      for r in 0..<n {
        var s: Double = 0
        for p in rows.span(ofRow: r) { s += Double(rows.values[p]) * Double(rows.values[p]) }
        norms[r] = Float(s.squareRoot())
      }
    }
    var lists = [[(Int32, Float)]](repeating: [], count: n)
    let blockSize = 256
    var start = 0
    while start < n {
      if isCancelled() { return nil }
      let block = start..<min(n, start + blockSize)
      let chunks = Parallel.chunkCount(work: block.count, grain: 32)
      lists.withUnsafeMutableBufferPointer { out in
        Parallel.forEachChunk(chunks) { c in
          let part = Parallel.range(ofChunk: c, of: chunks, count: block.count)
          neighbourLists(
            of: (block.lowerBound + part.lowerBound)..<(block.lowerBound + part.upperBound), rows: rows,
            columns: columns, norms: norms, k: k, shrink: shrink, normalised: normalised, into: out)
        }
      }
      start = block.upperBound
      progress(Double(start) / Double(n))
    }
    var result = NeighbourLists()
    result.offsets.reserveCapacity(n + 1)
    for l in lists {
      for (j, s) in l {
        result.neighbours.append(j)
        result.similarities.append(s)
      }
      result.offsets.append(result.neighbours.count)
    }
    return result
  }

  /// One chunk of ``build``: the lists of rows `range`, written to `out[r]` (disjoint per chunk).
  ///
  /// The accumulation is a bare scatter-add into a dense `dot` with no "touched" bookkeeping:
  /// a row never reached keeps `dot = 0`, which is not a candidate anyway (only positive
  /// similarities are kept), so one O(rows) scan per row finds the candidates, clears `dot` and
  /// rewrites every entry of `sims`.
  /// That scan costs `rows^2` in total, far below the accumulation at recommender densities.
  private static func neighbourLists(
    of range: Range<Int>, rows: ImplicitMatrix.Rows, columns: ImplicitMatrix.Rows, norms: [Float], k: Int,
    shrink: Float, normalised: Bool, into out: UnsafeMutableBufferPointer<[(Int32, Float)]>
  ) {
    let n = rows.rowCount
    var dot = [Float](repeating: 0, count: n)
    // Candidate similarities, -infinity where not a candidate (what `TopK` ranks last).
    var sims = [Float](repeating: -.infinity, count: n)
    var best = [Int32]()
    rows.offsets.withUnsafeBufferPointer { ro in
      rows.indices.withUnsafeBufferPointer { ri in
        rows.values.withUnsafeBufferPointer { rv in
          columns.offsets.withUnsafeBufferPointer { co in
            columns.indices.withUnsafeBufferPointer { ci in
              columns.values.withUnsafeBufferPointer { cv in
                dot.withUnsafeMutableBufferPointer { dot in
                  sims.withUnsafeMutableBufferPointer { sims in
                    for a in range {
                      for p in ro[a]..<ro[a + 1] {
                        let f = Int(ri[p])
                        let w = rv[p]
                        for q in co[f]..<co[f + 1] { dot[Int(ci[q])] += w * cv[q] }
                      }
                      // A row is not its own neighbour.
                      dot[a] = 0
                      var candidates = 0
                      for b in 0..<n {
                        var s = -Float.infinity
                        if dot[b] != 0 {
                          s = dot[b]
                          dot[b] = 0
                          if normalised {
                            let d = norms[a] * norms[b] + shrink
                            s = d > 0 ? s / d : 0
                          }
                          if s > 0 { candidates += 1 } else { s = -.infinity }
                        }
                        sims[b] = s
                      }
                      best.removeAll(keepingCapacity: true)
                      if candidates > 0 {
                        TopK.select(
                          UnsafeBufferPointer(sims), k: min(k, candidates), excluding: [], into: &best)
                      }
                      out[a] = best.map { ($0, sims[Int($0)]) }
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
