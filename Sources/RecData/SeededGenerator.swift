/// A seeded random-number generator whose stream is the same on every machine.
///
/// xoshiro256** (Blackman and Vigna 2018) seeded through SplitMix64, as NumPy's
/// and Julia's generators are. Swift's `SystemRandomNumberGenerator` cannot be
/// seeded, and the standard library's `random(in:using:)` algorithms are not
/// promised to stay the same across releases, so every draw that must be
/// reproducible goes through the helpers here (`nextDouble`, `nextInt(below:)`,
/// `shuffle`), never through `Int.random(in:using:)`.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  public init(seed: UInt64) {
    var sm = seed
    func splitmix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitmix()
    s1 = splitmix()
    s2 = splitmix()
    s3 = splitmix()
  }

  /// A generator for a sub-stream: the same `(seed, stream)` always gives the
  /// same generator, different streams are independent. A session derives one
  /// per cell from its seed and the cell's ordinal.
  public init(seed: UInt64, stream: UInt64) {
    self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03 &+ 0x8CB9_2BA7_2F3D_8DD7))
  }

  @inlinable
  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// A uniform double in [0, 1) with 53 random bits.
  @inlinable
  public mutating func nextDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A uniform float in [0, 1) with 24 random bits.
  @inlinable
  public mutating func nextFloat() -> Float {
    Float(next() >> 40) * 0x1.0p-24
  }

  /// A uniform integer in `0..<n` (Lemire's unbiased multiply-shift). `n > 0`.
  @inlinable
  public mutating func nextInt(below n: Int) -> Int {
    precondition(n > 0)
    let bound = UInt64(n)
    var m = next().multipliedFullWidth(by: bound)
    if m.low < bound {
      let threshold = (0 &- bound) % bound
      while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
    }
    return Int(m.high)
  }

  /// A standard normal draw (Marsaglia's polar method through ``PortableMath``, whose
  /// `log` gives the same bits on every platform, unlike the C library's).
  public mutating func nextGaussian() -> Double {
    PortableMath.gaussian(&self)
  }

  /// Fisher-Yates shuffle in place, the same permutation on every machine.
  @inlinable
  public mutating func shuffle<T>(_ a: inout [T]) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) {
      let j = nextInt(below: i + 1)
      if i != j { a.swapAt(i, j) }
    }
  }
}
