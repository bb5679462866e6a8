/// Decides when a progress line is redrawn: at most `maxPerSecond` times a second.
///
/// Pure: the caller passes the time (seconds from any fixed origin, e.g. a
/// monotonic clock) and the throttle only compares it with the last draw, so it is
/// testable without a clock. Redrawing a terminal line costs a write and a flush;
/// ten a second looks smooth and keeps the cost negligible even when a training
/// loop reports every batch.
public struct ProgressThrottle: Sendable, Equatable {
  /// Shortest time between two draws, in seconds.
  public let interval: Double
  /// When the last draw happened; `nil` before the first.
  public private(set) var lastDraw: Double?

  /// A throttle allowing at most `maxPerSecond` draws a second (at least one a minute).
  public init(maxPerSecond: Double = 10) {
    let perSecond = maxPerSecond.isFinite && maxPerSecond > 0 ? maxPerSecond : 10
    interval = 1 / max(perSecond, 1.0 / 60)
    lastDraw = nil
  }

  /// Whether to draw at time `now`, and if so records it as the last draw.
  ///
  /// The first call draws; later calls draw once `interval` has passed since the
  /// last draw. `force` draws regardless (the final 100% line must always show).
  /// A time earlier than the last draw (a clock adjusted backwards) draws and
  /// restarts from there, rather than freezing the line until the clock catches up.
  public mutating func shouldDraw(at now: Double, force: Bool = false) -> Bool {
    guard now.isFinite else { return force }
    if force || lastDraw == nil {
      lastDraw = now
      return true
    }
    if let last = lastDraw, now - last >= interval || now < last {
      lastDraw = now
      return true
    }
    return false
  }
}
