import Foundation
import Testing

@testable import Notebook

/// Every example that `help VERB` shows is run here, so help never shows a cell that fails.
@Suite struct HelpExampleTests {
  /// A session with the tables the examples name: events, users and items of a small shop,
  /// and MovieLens ratings when the data is present.
  static let prepared: Runner = {
    var r = Runner()
    for cell in [
      "load events from sample:shop users=80 items=40 events=1500",
      "load users from sample:shop/users users=80 items=40 events=1500",
      "load items from sample:shop/items users=80 items=40 events=1500",
      // Columns the examples of later verbs use, as the tutorial makes them.
      "feature events.hour = hour(ts)", "feature events.weekday = weekday(ts)",
      "normalize items.price method=log1p into=log_price",
      // A split and fitted models for the evaluation verbs' examples.
      "kcore events min-user=2 min-item=1", "split s from events", "model popular = pop",
      "model chance = random",
      "fit popular on s", "fit chance on s", "model knn = itemknn", "fit knn on s",
      "model mf = gmf factors=4 epochs=3", "fit mf on s", "save model knn to /tmp/recbook-help.model",
    ] {
      _ = r.run(cell)
    }
    if FileManager.default.fileExists(atPath: "../shared/data/ml-100k/u.data") {
      _ = r.run("load ratings from ../shared/data/ml-100k/u.data")
    }
    return r
  }()

  static var examples: [String] { CommandTable.standard.commands.flatMap(\.examples) }

  @Test(arguments: examples)
  func exampleRuns(_ example: String) async {
    var r = Self.prepared
    if example.contains("ratings"), r.session.tables["ratings"] == nil, !example.hasPrefix("load") {
      print("skipping '\(example)': MovieLens 100K not found at ../shared/data/ml-100k")
      return
    }
    if example.contains("ml-100k"), !FileManager.default.fileExists(atPath: "../shared/data/ml-100k/u.data") {
      print("skipping '\(example)': MovieLens 100K not found")
      return
    }
    // Each example gets its own server slot: `serve` examples start one in it, and `request`
    // examples need one running (the prepared session's slot is shared by every copy).
    r.session.server = ServerSlot()
    let outcome = await offThePool { [r] in
      var r = r
      if example.hasPrefix("request") { _ = r.run("serve knn port=0") }
      let outcome = r.run(example)
      _ = r.run("serve stop")
      return outcome
    }
    switch outcome {
    case .success(let lines): #expect(!lines.isEmpty, "\(example) printed nothing")
    case .empty: Issue.record("\(example) is not a cell")
    case .failure(let e):
      Issue.record(
        "\(example) failed: \(Diagnostic.render(e, in: CellSource(example)).joined(separator: "\n"))")
    }
  }

  @Test func everyVerbHasAnExampleAndASummary() {
    for c in CommandTable.standard.commands {
      #expect(!c.examples.isEmpty, "\(c.name) has no example")
      #expect(!c.summary.isEmpty, "\(c.name) has no summary")
      #expect(
        c.name.count + c.summary.count <= 70, "\(c.name): the summary is too long for an 80-column help list")
      #expect(c.examples.allSatisfy { $0.hasPrefix(c.name) }, "\(c.name): an example uses another verb")
    }
  }

  @Test func helpListsEveryVerbByGroup() {
    let text = HelpText.overview(CommandTable.standard).joined(separator: "\n")
    for c in CommandTable.standard.commands { #expect(text.contains(c.name)) }
    for g in Command.Group.allCases { #expect(text.contains(g.rawValue)) }
  }
}
