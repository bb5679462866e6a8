import Foundation
import Hummingbird
import HummingbirdTesting
import RecData
import RecEval
import RecModels
import Testing

@testable import RecServe

/// A real fitted model (item-kNN on planted data, with titles) behind a real socket: every
/// endpoint's answer equals what the same `TrainedModel` answers in process, and malformed
/// requests get their 4xx while the service keeps answering correctly.
@Suite("RecServer with a trained model on a real socket")
struct TrainedModelLiveTests {
  /// 40 users in two communities (items 1-10 and 11-20), each user with 6 items of theirs,
  /// item-kNN fitted, titles `Title N` attached.
  static func model() throws -> TrainedModel {
    var users = [String]()
    var items = [Int]()
    var rng = SeededGenerator(seed: 3)
    for u in 0..<40 {
      var picked = Set<Int>()
      while picked.count < 6 { picked.insert((u % 2) * 10 + 1 + rng.nextInt(below: 10)) }
      for i in picked.sorted() {
        users.append("u\(u)")
        items.append(i)
      }
    }
    let table = Table(columns: [("user", Column(strings: users)), ("item", Column(ints: items))])
    let data = try Interactions(table: table, roles: InteractionRoles())
    guard let spec = ModelCatalog.named("itemknn") else { throw ModelError("no itemknn") }
    var knn = try spec.make(ModelOptions([:], seed: 1))
    try knn.fit(data, context: FitContext(seed: 1))
    var trained = TrainedModel(name: "knn", type: "itemknn", model: knn, train: data, trainedOn: "planted")
    let titles = Table(columns: [
      ("item", Column(ints: Array(1...20))), ("title", Column(strings: (1...20).map { "Title \($0)" })),
    ])
    trained.attachMetadata(titles, key: "item")
    return trained
  }

  /// `(status, parsed JSON object)` of a response, through `ServiceClient` (the `request`
  /// cell's client), so this also tests that client against the server.
  func call(
    _ base: String, _ uri: String, method: String = "GET", body: String? = nil
  ) async throws -> (Int, [String: Any]) {
    let answer = try await ServiceClient.send(method: method, url: base + uri, body: body)
    #expect(answer.contentType?.hasPrefix("application/json") == true, "\(uri.prefix(60))")
    let object = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any] ?? [:]
    return (answer.status, object)
  }

  /// The items of a JSON list answer as `(item, rank, score, title)`.
  func items(_ object: [String: Any]) -> [(String, Int, Double, String)] {
    (object["items"] as? [[String: Any]] ?? []).map {
      (
        $0["item"] as? String ?? "?", $0["rank"] as? Int ?? -1, $0["score"] as? Double ?? .nan,
        ($0["metadata"] as? [String: String])?["title"] ?? ""
      )
    }
  }

  func expectSame(_ got: [String: Any], _ want: RecommendationList, _ context: String) {
    let g = items(got)
    #expect(g.count == want.items.count, "\(context): \(g.count) items, in process \(want.items.count)")
    for (a, b) in zip(g, want.items) {
      #expect(
        a.0 == b.item && a.1 == b.rank && a.3 == (b.metadata["title"] ?? ""), "\(context): \(a) vs \(b)")
      #expect(abs(a.2 - b.score) <= 1e-6 * max(1, abs(b.score)), "\(context): score \(a.2) vs \(b.score)")
    }
    #expect(got["cold_start"] as? Bool == want.coldStart, "\(context)")
    #expect(got["source"] as? String == want.source, "\(context)")
  }

  @Test func everyEndpointAnswersAsInProcessAndBadRequestsAreRefused() async throws {
    let model = try Self.model()
    let server = RecServer(service: model, host: "127.0.0.1", port: 0, logger: quietLogger())
    let port = try await server.start()
    let bad = 12
    do {
      let client = "http://127.0.0.1:\(port)"
      // Every user, two sizes of k.
      for u in 0..<40 {
        for k in [3, 10] {
          let (code, body) = try await call(client, "/v1/recommend?user=u\(u)&k=\(k)")
          #expect(code == 200)
          #expect(body["user"] as? String == "u\(u)")
          expectSame(body, try model.recommend(user: "u\(u)", k: k), "u\(u) k=\(k)")
        }
      }
      let (c0, all) = try await call(client, "/v1/recommend?user=u4&k=5&exclude_seen=false")
      #expect(c0 == 200)
      expectSame(all, try model.recommend(user: "u4", k: 5, excludeSeen: false), "exclude_seen=false")
      // A history for a new session.
      let (c1, h) = try await call(
        client, "/v1/recommend", method: "POST", body: #"{"history": ["1", "2", "3"], "k": 4}"#)
      #expect(c1 == 200)
      expectSame(h, try model.recommend(history: ["1", "2", "3"], k: 4), "history")
      // Similar items and an explanation.
      let (c2, s) = try await call(client, "/v1/similar?item=12&k=5")
      #expect(c2 == 200)
      expectSame(s, try model.similar(item: "12", k: 5), "similar")
      let top = try model.recommend(user: "u1", k: 1).items[0].item
      let (c3, e) = try await call(client, "/v1/explain?user=u1&item=\(top)")
      #expect(c3 == 200)
      let want = try model.explain(user: "u1", item: top)
      #expect(e["method"] as? String == want.method)
      #expect(abs((e["score"] as? Double ?? .nan) - want.score) <= 1e-6 * max(1, abs(want.score)))
      let contributions = (e["contributions"] as? [[String: Any]] ?? []).map { $0["item"] as? String ?? "?" }
      #expect(contributions == want.contributions.map(\.item) && !contributions.isEmpty)
      // Metadata of the model.
      let (c4, m) = try await call(client, "/v1/model")
      #expect(c4 == 200)
      #expect(m["name"] as? String == "knn" && m["type"] as? String == "itemknn")
      #expect(m["users"] as? Int == 40 && m["items"] as? Int == 20)
      #expect(m["fingerprint"] as? String == model.info.fingerprint)

      // Malformed requests, each its own 4xx with an error message; the service answers after each.
      let bad: [(String, String, String?, Int)] = [
        ("/v1/recommend?user=nobody", "GET", nil, 404),
        ("/v1/recommend?user=u1&k=-1", "GET", nil, 400),
        ("/v1/recommend?user=u1&k=1000000000", "GET", nil, 400),
        ("/v1/recommend?user=u1&k=ten", "GET", nil, 400),
        ("/v1/recommend?k=3", "GET", nil, 400),
        ("/v1/similar?item=999", "GET", nil, 404),
        ("/v1/explain?user=u1&item=nope", "GET", nil, 404),
        ("/v1/recommend", "POST", #"{"history": ["1", "#, 400),
        ("/v1/recommend", "POST", #"{"history": ["1", "999"]}"#, 422),
        ("/v1/recommend", "POST", #"{"history": [""# + String(repeating: "1", count: 1 << 20) + #""]}"#, 413),
        ("/v2/recommend", "GET", nil, 404),
        ("/v1/model", "DELETE", nil, 405),
      ]
      #expect(bad.count == 12)
      for (uri, method, body, status) in bad {
        let (code, object) = try await call(client, uri, method: method, body: body)
        #expect(code == status, "\(method) \(uri.prefix(60)): \(code), expected \(status)")
        #expect((object["error"] as? String)?.isEmpty == false, "\(uri.prefix(60)): no error message")
        let (ok, again) = try await call(client, "/v1/recommend?user=u7&k=3")
        #expect(ok == 200)
        expectSame(again, try model.recommend(user: "u7", k: 3), "after \(uri.prefix(40))")
      }
      let (c5, health) = try await call(client, "/health")
      #expect(c5 == 200 && health["status"] as? String == "ok")
    } catch {
      await server.stop()
      throw error
    }
    await server.stop()
    let status = server.status
    #expect(status.errors == bad, "the 4xx answers, and nothing else")
    #expect(status.requests == 80 + 5 + bad * 2 + 1)
  }
}
