import Foundation
import Testing

@testable import RecServe

/// The hand-written JSON writer: exact text for escapes, numbers, key order and indentation,
/// and text that Foundation's parser reads back to the same value.
@Suite("JSON text of response values")
struct JSONValueTests {
  func text(_ v: JSONValue, indent: Int = 0) -> String {
    String(decoding: v.encoded(indent: indent), as: UTF8.self)
  }

  @Test func scalarsAndEscapes() {
    #expect(text(.null) == "null")
    #expect(text(.bool(true)) == "true" && text(.bool(false)) == "false")
    #expect(text(.number(3)) == "3" && text(.number(-0.0)) == "0" && text(.number(2.5)) == "2.5")
    #expect(
      text(.number(1e20)) == "1e+20" && text(.number(.nan)) == "null" && text(.number(.infinity)) == "null")
    #expect(text(.string("a\"b\\c/d\n\t\u{01}é")) == #""a\"b\\c/d\n\t\u0001é""#)
  }

  @Test func keysSortedByBytesAndNested() {
    let v = JSONValue.object([
      "b": .array([.number(1), .string("x")]), "a": .object([:]), "B": .array([]), "ndcg@10": .number(0.25),
    ])
    #expect(text(v) == #"{"B":[],"a":{},"b":[1,"x"],"ndcg@10":0.25}"#)
    #expect(
      text(v, indent: 2) == """
        {
          "B": [],
          "a": {},
          "b": [
            1,
            "x"
          ],
          "ndcg@10": 0.25
        }
        """)
  }

  @Test func roundTripsThroughTheParser() throws {
    let v = JSONValue.object([
      "s": .string("tab\tquote\" \u{1F600}"), "n": .number(0.1), "list": .array([.null, .bool(true)]),
    ])
    #expect(try JSONValue.parse(Data(v.encoded())) == v)
    #expect(try JSONValue.parse(Data(v.encoded(indent: 4))) == v)
    #expect(ServiceClient.prettyJSON(#"{"k": [1, 2]}"#) == "{\n  \"k\": [\n    1,\n    2\n  ]\n}")
    #expect(ServiceClient.prettyJSON("not json") == nil)
  }
}
