import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import RecServe

/// A response as the tests read it.
struct Answer: Sendable {
  var status: Int
  var body: String
  var headers: HTTPFields
}

/// Sends requests through the server's application with HummingbirdTesting's in-process
/// router client (no socket: no port to race for, nothing to time out).
func withRouter(
  _ server: RecServer = RecServer(service: FakeService(), port: 0, logger: quietLogger()),
  _ body:
    @Sendable (_ call: @Sendable (String, HTTPRequest.Method, String?) async throws -> Answer) async throws ->
    Void
) async throws {
  try await server.makeApplication().test(.router) { client in
    try await body { uri, method, text in
      let buffer = text.map { ByteBuffer(string: $0) }
      return try await client.execute(uri: uri, method: method, body: buffer) { response in
        Answer(
          status: Int(response.status.code), body: String(buffer: response.body), headers: response.headers)
      }
    }
  }
}

/// `item in` as the fake scores and titles it, in the service's JSON (keys sorted).
func itemJSON(_ n: Int, rank: Int) -> String {
  let score = JSONText.number(Double(6 - n) / 4)
  return "{\"item\":\"i\(n)\",\"metadata\":{\"title\":\"Item \(n)\"},\"rank\":\(rank),\"score\":\(score)}"
}

/// Numbers as the service prints them: integral values without a fraction.
enum JSONText {
  static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}

@Suite("HTTP routes: happy paths with exact JSON")
struct RouteHappyPathTests {
  @Test func health() async throws {
    try await withRouter { call in
      let a = try await call("/health", .get, nil)
      #expect(a.status == 200)
      #expect(a.body == #"{"model":"fake","status":"ok"}"#)
      #expect(a.headers[.contentType] == "application/json; charset=utf-8")
    }
  }

  @Test func recommendKnownUserExcludesSeen() async throws {
    try await withRouter { call in
      // u1 has seen i1, so the top 2 are i2 (1.0) and i3 (0.75).
      let a = try await call("/v1/recommend?user=u1&k=2", .get, nil)
      #expect(a.status == 200)
      let items = [itemJSON(2, rank: 1), itemJSON(3, rank: 2)].joined(separator: ",")
      #expect(a.body == #"{"cold_start":false,"items":["# + items + #"],"source":"fake","user":"u1"}"#)
    }
  }

  @Test func recommendWithSeenItems() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend?user=u1&k=1&exclude_seen=false", .get, nil)
      #expect(
        a.body == #"{"cold_start":false,"items":["# + itemJSON(1, rank: 1)
          + #"],"source":"fake","user":"u1"}"#)
    }
  }

  @Test func recommendDefaultKIsTen() async throws {
    try await withRouter { call in
      // Only 4 unseen items exist, so k=10 returns all 4, ranked 1...4.
      let a = try await call("/v1/recommend?user=u1", .get, nil)
      let items = (2...5).map { itemJSON($0, rank: $0 - 1) }.joined(separator: ",")
      #expect(a.body == #"{"cold_start":false,"items":["# + items + #"],"source":"fake","user":"u1"}"#)
    }
  }

  @Test func unknownUserGetsColdStartAnswer() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend?user=cold&k=1", .get, nil)
      #expect(a.status == 200)
      #expect(
        a.body == #"{"cold_start":true,"items":["# + itemJSON(1, rank: 1)
          + #"],"source":"pop","user":"cold"}"#)
    }
  }

  @Test func percentEncodedIds() async throws {
    try await withRouter { call in
      // `u%31` is `u1`: ids are percent-decoded before the model sees them.
      let a = try await call("/v1/recommend?user=u%31&k=1", .get, nil)
      #expect(a.body.contains(#""user":"u1""#))
      #expect(a.body.contains(#""cold_start":false"#))
    }
  }

  @Test func recommendForHistory() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend", .post, #"{"history": ["i2", "i1"], "k": 2}"#)
      #expect(a.status == 200)
      let items = [itemJSON(3, rank: 1), itemJSON(4, rank: 2)].joined(separator: ",")
      #expect(
        a.body == #"{"cold_start":false,"history":["i2","i1"],"items":["# + items + #"],"source":"fake"}"#)
    }
  }

  @Test func historyDefaultKAndIntegralFloatK() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend", .post, #"{"history": ["i5"]}"#)
      #expect(a.body.contains(itemJSON(4, rank: 4)))
      let b = try await call("/v1/recommend", .post, #"{"history": ["i5"], "k": 1.0}"#)
      #expect(b.status == 200)
      #expect(b.body.contains(itemJSON(1, rank: 1)) && !b.body.contains(#""item":"i2""#))
    }
  }

  @Test func similar() async throws {
    try await withRouter { call in
      let a = try await call("/v1/similar?item=i1&k=2", .get, nil)
      #expect(a.status == 200)
      let items = [itemJSON(2, rank: 1), itemJSON(3, rank: 2)].joined(separator: ",")
      #expect(a.body == #"{"cold_start":false,"item":"i1","items":["# + items + #"],"source":"fake"}"#)
    }
  }

  @Test func explain() async throws {
    try await withRouter { call in
      let a = try await call("/v1/explain?user=u1&item=i3", .get, nil)
      #expect(a.status == 200)
      #expect(
        a.body == #"{"contributions":[{"item":"i1","metadata":{"title":"Item 1"},"weight":0.5}],"#
          + #""item":"i3","method":"item-item similarity","score":0.75,"user":"u1"}"#)
    }
  }

  @Test func model() async throws {
    try await withRouter { call in
      let a = try await call("/v1/model", .get, nil)
      #expect(a.status == 200)
      #expect(
        a.body
          == #"{"fallback":"pop","fingerprint":"abc123","items":5,"metrics":{"ndcg@10":0.25},"name":"fake","#
          + #""options":{"neighbors":"20"},"trained_on":"ratings","type":"itemknn","users":2}"#)
    }
  }

  @Test func trailingSlashIsForgiven() async throws {
    try await withRouter { call in
      let r1 = try await call("/health/", .get, nil)
      #expect(r1.status == 200)
    }
  }
}

@Suite("HTTP routes: every refusal is a 4xx with a JSON body that says what is wrong")
struct RouteErrorTests {
  /// The `error` sentence of a JSON error body (and checks that the body is one).
  func errorMessage(_ a: Answer) throws -> String {
    let object = try JSONSerialization.jsonObject(with: Data(a.body.utf8)) as? [String: Any]
    #expect(object?.keys.sorted() == ["detail", "error"])
    return object?["error"] as? String ?? ""
  }

  @Test func missingUser() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend?k=3", .get, nil)
      #expect(a.status == 400)
      #expect(a.body == #"{"detail":{"parameter":"user"},"error":"missing query parameter 'user'"}"#)
    }
  }

  @Test(arguments: ["abc", "0", "5000", "-1", "1.5", "", "99999999999999999999"])
  func badK(k: String) async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend?user=u1&k=\(k)", .get, nil)
      #expect(a.status == 400)
      #expect(
        a.body == #"{"detail":{"expected":"an integer from 1 to 1000","parameter":"k","value":""#
          + k + #""},"error":"parameter 'k' is '"# + k + #"'; expected an integer from 1 to 1000"}"#)
    }
  }

  @Test func kBoundsAreAccepted() async throws {
    try await withRouter { call in
      let r2 = try await call("/v1/recommend?user=u1&k=1", .get, nil)
      #expect(r2.status == 200)
      let r3 = try await call("/v1/recommend?user=u1&k=1000", .get, nil)
      #expect(r3.status == 200)
      let r4 = try await call("/v1/similar?item=i1&k=1001", .get, nil)
      #expect(r4.status == 400)
    }
  }

  @Test func badExcludeSeen() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend?user=u1&exclude_seen=maybe", .get, nil)
      #expect(a.status == 400)
      #expect(try errorMessage(a) == "parameter 'exclude_seen' is 'maybe'; expected true or false")
    }
  }

  @Test func unknownAndRepeatedParameters() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend?user=u1&exlude_seen=false", .get, nil)
      #expect(a.status == 400)
      #expect(
        a.body == #"{"detail":{"allowed":["user","k","exclude_seen"],"parameter":"exlude_seen"},"#
          + #""error":"unknown query parameter 'exlude_seen'; this route takes user, k, exclude_seen"}"#)
      let b = try await call("/v1/recommend?user=u1&user=u2", .get, nil)
      #expect(b.status == 400)
      #expect(try errorMessage(b) == "query parameter 'user' is given more than once")
      let c = try await call("/v1/recommend?user=", .get, nil)
      #expect(c.status == 400)
      #expect(try errorMessage(c) == "parameter 'user' is ''; expected a non-empty id")
    }
  }

  @Test func unknownUserWithoutFallbackIs404() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend?user=ghost", .get, nil)
      #expect(a.status == 404)
      #expect(a.body == #"{"detail":{"user":"ghost"},"error":"unknown user 'ghost'"}"#)
    }
  }

  @Test func unknownItemInQueryIs404() async throws {
    try await withRouter { call in
      let a = try await call("/v1/similar?item=zz", .get, nil)
      #expect(a.status == 404)
      #expect(a.body == #"{"detail":{"unknown_items":["zz"]},"error":"unknown item 'zz'"}"#)
      let b = try await call("/v1/explain?user=u1&item=zz", .get, nil)
      #expect(b.status == 404)
      let c = try await call("/v1/explain?user=u1", .get, nil)
      #expect(c.status == 400)
      #expect(try errorMessage(c) == "missing query parameter 'item'")
    }
  }

  @Test func unsupportedIs422() async throws {
    try await withRouter { call in
      let a = try await call("/v1/explain?user=u2&item=i3", .get, nil)
      #expect(a.status == 422)
      #expect(a.body == #"{"detail":{"unsupported":true},"error":"fake cannot explain for u2"}"#)
    }
  }

  @Test func unknownHistoryItemsAre422NamingEveryOne() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend", .post, #"{"history": ["i1", "x9", "i2", "y7"], "k": 3}"#)
      #expect(a.status == 422)
      #expect(a.body == #"{"detail":{"unknown_items":["x9","y7"]},"error":"unknown items 'x9', 'y7'"}"#)
      let b = try await call("/v1/recommend", .post, #"{"history": ["x9"]}"#)
      #expect(b.status == 422)
      #expect(b.body == #"{"detail":{"unknown_items":["x9"]},"error":"unknown item 'x9'"}"#)
    }
  }

  @Test func malformedJSONIs400WithPosition() async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend", .post, "{\"history\": [\"i1\",, ]}")
      #expect(a.status == 400)
      let message = try errorMessage(a)
      // The second comma is character 18 from 0, column 19 from 1.
      #expect(
        message == "request body is not valid JSON: Invalid value around character 18 (line 1, column 19).")
      let b = try await call("/v1/recommend", .post, "{\"history\":\n  [\"i1\"\n  }")
      #expect(b.status == 400)
      // Line 3 is `  }`: the brace is at column 3 where `]` or `,` was expected.
      let bMessage = try errorMessage(b)
      #expect(bMessage.hasPrefix("request body is not valid JSON: "))
      #expect(bMessage.hasSuffix("(line 3, column 3)."), "\(bMessage)")
    }
  }

  @Test(
    arguments: [
      (#"["i1"]"#, "field '(body)' must be an object {\"history\": [...], \"k\": 10}, found array"),
      (#"{"history": "i1"}"#, "field 'history' must be an array of item ids (strings), found string"),
      (#"{"history": ["i1", 2]}"#, "field 'history[1]' must be a string (an item id), found number"),
      (#"{"history": ["i1"], "k": "3"}"#, "field 'k' must be an integer from 1 to 1000, found string"),
      (#"{"history": ["i1"], "k": true}"#, "field 'k' must be an integer from 1 to 1000, found boolean"),
      (#"{"history": ["i1"], "k": 0}"#, "parameter 'k' is '0'; expected an integer from 1 to 1000"),
      (#"{"history": ["i1"], "k": 2.5}"#, "parameter 'k' is '2.5'; expected an integer from 1 to 1000"),
      (#"{"history": ["i1"], "k": 1e300}"#, "parameter 'k' is '1e+300'; expected an integer from 1 to 1000"),
      (#"{"k": 3}"#, "missing field 'history'"),
      (#"{"history": [], "kk": 3}"#, "unknown field 'kk'; the body takes history, k"),
      ("", "request body is empty; expected a JSON object {\"history\": [...], \"k\": 10}"),
    ])
  func badBodies(body: String, message: String) async throws {
    try await withRouter { call in
      let a = try await call("/v1/recommend", .post, body)
      #expect(a.status == 400)
      #expect(try errorMessage(a) == message)
    }
  }

  @Test func bodyOverOneMebibyteIs413() async throws {
    try await withRouter { call in
      let big = #"{"history": [""# + String(repeating: "x", count: 1 << 20) + #""]}"#
      let a = try await call("/v1/recommend", .post, big)
      #expect(a.status == 413)
      #expect(
        a.body == #"{"detail":{"limit_bytes":1048576},"error":"request body is larger than 1048576 bytes"}"#)
    }
  }

  @Test(arguments: ["/", "/v1", "/v2/recommend", "/v1/recommend/extra", "/HEALTH"])
  func unknownRouteIs404(path: String) async throws {
    try await withRouter { call in
      let a = try await call(path, .get, nil)
      #expect(a.status == 404)
      #expect(try errorMessage(a) == "no route '\(path == "/" ? "/" : path)'")
      #expect(
        a.body.contains(
          #""routes":["/health","/v1/recommend","/v1/similar","/v1/explain","/v1/model","/metrics"]"#))
    }
  }

  @Test(arguments: [
    ("/health", HTTPRequest.Method.post, "GET"), ("/v1/recommend", .delete, "GET, POST"),
    ("/v1/model", .put, "GET"), ("/metrics", .post, "GET"), ("/v1/similar", .head, "GET"),
  ])
  func wrongMethodIs405(path: String, method: HTTPRequest.Method, allow: String) async throws {
    try await withRouter { call in
      let a = try await call(path, method, method == .head ? nil : "{}")
      #expect(a.status == 405)
      #expect(a.headers[.allow] == allow)
      if method != .head {
        #expect(
          try errorMessage(a)
            == "\(path) does not accept \(method.rawValue); use \(allow.replacingOccurrences(of: ", ", with: " or "))"
        )
      }
    }
  }
}
