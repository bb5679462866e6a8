import Testing

@testable import Notebook

@Suite struct CompleterTests {
  static let session: Session = {
    var r = Runner()
    _ = r.run("load events from sample:shop users=50 items=30 events=900")
    return r.session
  }()

  func complete(_ line: String) -> [String] { Completer().complete(line: line, session: Self.session) }

  @Test func verbs() {
    #expect(complete("des") == ["describe"])
    #expect(complete("d") == ["dedupe", "describe", "drop", "dropna"])
    #expect(complete("save t") == ["table"])
  }

  @Test func optionsOfTheVerbBeingTyped() {
    #expect(complete("dedupe events ke") == ["keep="])
    #expect(complete("dedupe events keep=l") == ["keep=last"])
    #expect(complete("kcore events min-") == ["min-item=", "min-user="])
  }

  @Test func tablesAndColumns() {
    #expect(complete("show ev") == ["events"])
    #expect(complete("normalize ev") == ["events", "events."])
    #expect(complete("normalize events.ra") == ["events.rating"])
    #expect(complete("dedupe events by=user,it") == ["by=user,item"])
    #expect(complete("show events columns=de") == ["columns=device"])
  }

  @Test func pathsAndSamplesAfterFrom() {
    #expect(complete("load x from sample:shop/u") == ["sample:shop/users"])
    #expect(complete("load x from Tests/Notebooks/data/qu") == ["Tests/Notebooks/data/quoted.csv"])
  }

  @Test func helpTopics() {
    #expect(complete("help kc") == ["kcore"])
    #expect(complete("help pi") == ["pipeline"])
    #expect(complete("help lea") == ["learn"])
  }
}
