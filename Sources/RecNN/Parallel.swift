import COpenBLAS
import Dispatch
import Synchronization

/// Fixed-chunk parallelism: the same chunks, reduced in the same order, whatever the thread count.
///
/// A caller splits its work into `chunks` pieces chosen from the problem's shape alone
/// (`Parallel.chunkCount(work:grain:)`), never from the thread count, and combines per-chunk
/// results in chunk order. With 1 thread the chunks run in a loop, with 2 they run on two
/// workers; each chunk does the same arithmetic either way, so results are bit-identical.
/// OpenBLAS itself is kept at one thread: measured on the 2-core target, its own threads gave
/// nothing at recommender shapes (PLATFORM.md), and they would make results depend on its split.
public enum Parallel {
  private static let threadSetting = Atomic<Int>(2)

  /// Worker threads used by RecNN's kernels (1 or more; default 2, the machine's cores).
  public static var threads: Int {
    get { threadSetting.load(ordering: .relaxed) }
    set { threadSetting.store(max(1, newValue), ordering: .relaxed) }
  }

  /// Called once before the first BLAS call: OpenBLAS single-threaded (see the type's comment).
  static let blasSetup: Void = { openblas_set_num_threads(1) }()

  /// The number of chunks for `work` units when a chunk should hold at least `grain` units:
  /// 1 or 2 (the machine has two cores), a function of the shape only.
  public static func chunkCount(work: Int, grain: Int) -> Int { work >= 2 * grain ? 2 : 1 }

  /// Runs `body(chunk)` for every chunk in `0..<chunks`, spread over `threads` workers.
  /// Chunks must write disjoint memory.
  /// - Complexity: about 10-20 us of overhead when it runs on 2 threads (PLATFORM.md).
  public static func forEachChunk(_ chunks: Int, _ body: (Int) -> Void) {
    let workers = min(threads, chunks)
    if workers <= 1 {
      for c in 0..<chunks { body(c) }
      return
    }
    withoutActuallyEscaping(body) { body in
      let box = UncheckedBox(body)
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        var c = w
        while c < chunks {
          box.value(c)
          c += workers
        }
      }
    }
  }

  /// The half-open range of chunk `c` when `n` items are split into `chunks` nearly equal parts.
  public static func range(ofChunk c: Int, of chunks: Int, count n: Int) -> Range<Int> {
    (n * c / chunks)..<(n * (c + 1) / chunks)
  }
}

/// Carries a value into concurrent workers; safe here because chunks touch disjoint memory.
struct UncheckedBox<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
