import Testing

@testable import Notebook

@Suite struct CompleterTests {
  static let session: Session = {
    var r = Runner()
    _ = r.run("load events from sample:shop users=50 items=30 events=900")
    return r.session
  }()

  /// The same data with two splits and three models.
  static let withModels: Session = {
    var r = Runner()
    for cell in [
      "load events from sample:shop users=50 items=30 events=900", "split s from events method=loo",
      "split later from events method=temporal", "model popular = pop", "model knn = itemknn k=5",
      "model gmf1 = gmf factors=4 epochs=1",
    ] {
      guard case .success = r.run(cell) else { fatalError("setup cell failed: \(cell)") }
    }
    return r.session
  }()

  func complete(_ line: String) -> [String] { Completer().complete(line: line, session: Self.session) }
  func completeModels(_ line: String) -> [String] {
    Completer().complete(line: line, session: Self.withModels)
  }

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

  @Test func modelNamesWhereAVerbTakesAModel() {
    #expect(completeModels("fit k") == ["knn"])
    #expect(completeModels("evaluate kn") == ["knn"])
    #expect(completeModels("recommend k") == ["k=", "knn"])
    #expect(completeModels("similar kn") == ["knn"])
    #expect(completeModels("explain g") == ["gmf1"])
    #expect(completeModels("serve p") == ["popular", "port="])
    #expect(completeModels("save model kn") == ["knn"])
    #expect(completeModels("plot loss g") == ["gmf1"])
    #expect(completeModels("export recommendations po") == ["popular"])
    // A list of models completes its last name.
    #expect(completeModels("compare po") == ["popular"])
    #expect(completeModels("compare popular,k") == ["popular,knn"])
    #expect(completeModels("compare popular,") == ["popular,gmf1", "popular,knn", "popular,popular"])
    // Verbs about models offer models, keywords and options, not tables.
    let fit = completeModels("fit ")
    #expect(fit.contains("knn") && fit.contains("on") && fit.contains("epochs="))
    #expect(!fit.contains("events"))
    // Tables where a table is taken, as before.
    #expect(completeModels("show ev") == ["events"])
  }

  @Test func splitNamesWhereAVerbTakesASplit() {
    #expect(completeModels("fit knn on l") == ["later"])
    #expect(completeModels("evaluate knn on ").contains("s"))
    #expect(completeModels("compare popular,knn on la") == ["later"])
    #expect(
      completeModels("save model knn to /tmp/m.model metrics-on=") == ["metrics-on=later", "metrics-on=s"])
  }

  @Test func modelAndTableNamesInAModelsOptions() {
    #expect(completeModels("model n = neumf init=") == ["init=gmf1", "init=knn", "init=popular"])
    #expect(completeModels("model n = neumf init=gmf1,k") == ["init=gmf1,knn"])
    #expect(
      completeModels("model m = als fallback=") == [
        "fallback=gmf1", "fallback=knn", "fallback=pop", "fallback=popular", "fallback=random",
      ])
    #expect(completeModels("model c = content items=ev") == ["items=events"])
  }

  @Test func helpTopics() {
    #expect(complete("help kc") == ["kcore"])
    #expect(complete("help pi") == ["pipeline"])
    #expect(complete("help lea") == ["learn"])
  }
}
