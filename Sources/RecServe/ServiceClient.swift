import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP request to a running service and its answer: what the `request` cell uses so a
/// notebook can query the service it started (and replay doing so).
///
/// Through AsyncHTTPClient (swift-server), the client the Hummingbird project tests with,
/// rather than a hand-written HTTP/1.1 exchange on a socket.
public enum ServiceClient {
  public struct Answer: Sendable, Equatable {
    public var status: Int
    public var contentType: String?
    public var body: String
  }

  /// Sends `method url` with an optional JSON `body`; answers of any status are returned (a 404
  /// is an answer, not an error). Bodies over 16 MiB are cut off with an error.
  /// - Throws: a connection failure or timeout (AsyncHTTPClient's `HTTPClientError`).
  public static func send(
    method: String, url: String, body: String? = nil, timeout: TimeAmount = .seconds(10)
  ) async throws -> Answer {
    var request = HTTPClientRequest(url: url)
    request.method = HTTPMethod(rawValue: method)
    if let body {
      request.headers.add(name: "content-type", value: "application/json")
      request.body = .bytes(ByteBuffer(string: body))
    }
    let response = try await HTTPClient.shared.execute(request, timeout: timeout)
    let bytes = try await response.body.collect(upTo: 16 << 20)
    return Answer(
      status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
      body: String(buffer: bytes))
  }

  /// `text` re-indented two spaces per level with keys sorted by their UTF-8 bytes, or nil
  /// when it is not JSON (for showing an answer in a notebook).
  public static func prettyJSON(_ text: String) -> String? {
    guard let value = try? JSONValue.parse(Data(text.utf8)) else { return nil }
    return String(decoding: value.encoded(indent: 2), as: UTF8.self)
  }
}
