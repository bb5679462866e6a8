import Foundation
import RecData
import RecEval
import RecModels
import RecTerm

/// `save model NAME to PATH` and `load model NAME from PATH`: a fitted model as a versioned,
/// checksummed file (RecModels' `ModelFile`) that `recbook serve FILE` also reads.
enum ModelFileCommands {
  static let all: [Command] = [save, load]

  static func fileError(_ e: ModelFileError, _ span: Range<Int>?) -> NotebookError {
    NotebookError(.io, e.description, span: span)
  }

  static let save = Command(
    name: "save model", group: .save, summary: "Write a fitted model to a model file",
    details: """
      The file holds the model's type, options, weights, the id maps, each user's
      training items (to leave out of recommendations), item metadata from
      items=TABLE (or a table named items), the training data's fingerprint and
      the metrics given with metrics-on=SPLIT. Written to a temporary file and
      renamed, so a crash never leaves half a file.
      """,
    params: [Param("MODEL", .model), Param("to", .keyword("to")), Param("PATH", .path)],
    options: [
      RecommendCommands.itemsOption, RecommendCommands.columnsOption,
      Option("metrics-on", .string, "record NDCG@10 and HR@10 on this split's test part in the file"),
    ],
    examples: ["save model knn to /tmp/recbook-knn.model"], mutates: false,
    run: { s, a, ctx throws(NotebookError) in
      let name = a.text("MODEL") ?? ""
      let path = a.text("PATH") ?? ""
      var (t, _) = try RecommendCommands.trained(s, a)
      if let splitName = a.text("metrics-on") {
        guard let split = s.splits[splitName] else {
          throw NotebookError(
            .unknownTable, "no split named '\(splitName)'", span: a.span("metrics-on"),
            hint: NotebookError.didYouMean(Suggest.closest(to: splitName, in: Array(s.splits.keys).sorted())))
        }
        let r = try EvalCommands.eval(a.span("metrics-on")) { () throws(EvalError) in
          try Evaluator.evaluate(
            t.model, on: split, options: EvaluationOptions(k: 10, metrics: [.ndcg, .hr]))
        }
        t.info.metrics = ["ndcg@10": r.value(.ndcg) ?? .nan, "hr@10": r.value(.hr) ?? .nan]
      }
      if let entry = s.models[name] {
        t.info.options = Dictionary(
          uniqueKeysWithValues: entry.options.split(separator: " ").compactMap { kv -> (String, String)? in
            let p = kv.split(separator: "=", maxSplits: 1).map(String.init)
            return p.count == 2 ? (p[0], p[1]) : nil
          })
      }
      do throws(ModelFileError) {
        try t.save(
          to: path, recbookVersion: RecbookVersion.current, fallbackType: s.models[name]?.fallbackType)
      } catch {
        throw fileError(error, a.span("PATH"))
      }
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      _ = ctx
      return .text(
        "saved \(name) (\(t.info.type), \(Fmt.count(t.users.count, "user")), \(Fmt.count(t.items.count, "item"))) to \(path) (\(NumberFormat.bytes(size)))"
      )
    })

  static let load = Command(
    name: "load model", group: .load, summary: "Read a model file into the session",
    details: """
      The model answers recommend, similar, explain and serve at once, with the
      id maps it was trained with. Evaluating it needs a split over the same items.
      A file from a newer Recbook, a truncated file or a changed byte is refused
      with the reason.
      """,
    params: [Param("NAME", .newTable), Param("from", .keyword("from")), Param("PATH", .path)],
    options: [], examples: ["load model again from /tmp/recbook-help.model"],
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("NAME") ?? ""
      let path = a.text("PATH") ?? ""
      let t: TrainedModel
      do throws(ModelFileError) {
        t = try TrainedModel.load(from: path, name: name)
      } catch {
        throw fileError(error, a.span("PATH"))
      }
      if s.models[name] == nil { s.modelOrder.append(name) }
      let options = t.info.options.keys.sorted().map { "\($0)=\(t.info.options[$0] ?? "")" }.joined(
        separator: " ")
      s.models[name] = ModelEntry(
        type: t.info.type, options: options, model: t.model, fittedOn: "file", loaded: t)
      var out = CellOutput([
        .text(
          "\(name): \(t.info.type) from \(path) (\(Fmt.count(t.users.count, "user")), \(Fmt.count(t.items.count, "item")))"
        )
      ])
      if !t.info.metrics.isEmpty {
        out.append(
          .text(
            "recorded metrics: "
              + t.info.metrics.keys.sorted().map { "\($0) \(Fmt.stat(t.info.metrics[$0] ?? .nan))" }.joined(
                separator: ", ")))
      }
      return out
    })
}
