import Foundation
import RecModels
import Synchronization
import Testing

@testable import RecServe

/// A `FakeService` that counts its `recommend(user:)` calls.
final class CountingService: RecommendationService, Sendable {
  let calls = Mutex(0)
  var info: ModelInfo { FakeService().info }
  func recommend(user: String, k: Int, excludeSeen: Bool) throws(ServiceError) -> RecommendationList {
    calls.withLock { $0 += 1 }
    return try FakeService().recommend(user: user, k: k, excludeSeen: excludeSeen)
  }
  func recommend(history: [String], k: Int) throws(ServiceError) -> RecommendationList {
    try FakeService().recommend(history: history, k: k)
  }
  func similar(item: String, k: Int) throws(ServiceError) -> RecommendationList {
    try FakeService().similar(item: item, k: k)
  }
  func explain(user: String, item: String) throws(ServiceError) -> Explanation {
    try FakeService().explain(user: user, item: item)
  }
}

@Suite("GET /v1/recommend answers kept for repeated requests")
struct ResponseCacheTests {
  @Test func aRepeatedRequestIsAnsweredFromTheCacheWithTheSameBytes() async throws {
    let service = CountingService()
    let server = RecServer(service: service, port: 0, logger: quietLogger(), cacheEntries: 100)
    try await withRouter(server) { call in
      let first = try await call("/v1/recommend?user=u1&k=2", .get, nil)
      let again = try await call("/v1/recommend?user=u1&k=2", .get, nil)
      #expect(first.status == 200 && again.status == 200)
      #expect(again.body == first.body)
      #expect(again.headers[.contentType] == first.headers[.contentType])
      #expect(service.calls.withLock { $0 } == 1)
      // Another k, another exclude_seen or another user is another answer.
      let other = try await call("/v1/recommend?user=u1&k=3", .get, nil)
      let all = try await call("/v1/recommend?user=u1&k=2&exclude_seen=false", .get, nil)
      #expect(other.body != first.body && all.body != first.body)
      #expect(service.calls.withLock { $0 } == 3)
      let metrics = try await call("/metrics", .get, nil)
      #expect(metrics.body.contains(#"recbook_recommend_cache_total{result="hit"} 1"#))
      #expect(metrics.body.contains(#"recbook_recommend_cache_total{result="miss"} 3"#))
      #expect(metrics.body.contains("recbook_recommend_cache_entries 3"))
    }
  }

  @Test func errorsAreNotKeptAndZeroKeepsNothing() async throws {
    let service = CountingService()
    try await withRouter(RecServer(service: service, port: 0, logger: quietLogger(), cacheEntries: 100)) {
      call in
      for _ in 0..<2 {
        let a = try await call("/v1/recommend?user=ghost", .get, nil)
        #expect(a.status == 404)
      }
      #expect(service.calls.withLock { $0 } == 2)
    }
    let uncached = CountingService()
    try await withRouter(RecServer(service: uncached, port: 0, logger: quietLogger(), cacheEntries: 0)) {
      call in
      let a = try await call("/v1/recommend?user=u1", .get, nil)
      let b = try await call("/v1/recommend?user=u1", .get, nil)
      #expect(a.body == b.body)
      #expect(uncached.calls.withLock { $0 } == 2)
    }
  }

  @Test func aFullCacheDropsItsOldestHalf() {
    let cache = ResponseCache(capacity: 4)
    for n in 0..<4 { cache.store([UInt8(n)], for: "k\(n)") }
    cache.store([9], for: "k4")
    #expect(cache.counts().entries == 3)
    #expect(cache.answer(for: "k0") == nil && cache.answer(for: "k1") == nil)
    #expect(cache.answer(for: "k2") == [2] && cache.answer(for: "k4") == [9])
  }
}
