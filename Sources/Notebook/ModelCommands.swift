import Foundation
import RecData
import RecEval
import RecModels
import RecTerm

/// `model`, `models`, `fit` and `plot loss`: define a model of the catalogue with typed
/// options, train it on a split with a progress bar and a per-epoch log, and look at its curves.
enum ModelCommands {
  static let all: [Command] = [model, models, fit, plotLoss]

  /// The notebook form of a model option (ranges and choices checked by the cell parser).
  static func option(_ o: ModelOption) -> Option {
    let type: Option.ValueType
    switch o.kind {
    case .int(let lo, let hi): type = .int(min: lo, max: hi == Int.max ? nil : hi)
    case .double(let lo, let hi): type = .double(min: lo, max: hi == .greatestFiniteMagnitude ? nil : hi)
    case .choice(let c): type = .choice(c)
    case .bool: type = .bool
    case .models, .ints, .columns: type = .list
    case .table: type = .string
    }
    return Option(o.name, type, default: o.defaultValue, o.help)
  }

  /// `help model TYPE`: what it is, its paper, what it needs, its options.
  static func typeHelp(_ t: ModelType) -> [String] {
    var out = ["model NAME = \(t.name) [options]", "", "  \(t.summary)."]
    out.append("")
    out.append("  Family: \(t.family). Paper: \(t.paper).")
    out.append(
      "  Needs: "
        + (t.needs == .ratings
          ? "explicit ratings (a split with a rating role)."
          : "interactions (every row a positive; a weight role adds confidence)."))
    out.append(
      t.iterative
        ? "  Trains in epochs: fit ... epochs=N validate=METRIC patience=N."
        : "  Trains in one pass.")
    if !t.options.isEmpty {
      out.append("")
      out.append("  Options:")
      for o in t.options.map(option) {
        let d = o.defaultValue.map { " (default \($0))" } ?? ""
        out.append("    \(o.name)=\(o.type.valueHint)  \(o.help)\(d)")
      }
    }
    return out
  }

  /// The TYPE word of a `model NAME = TYPE ...` cell, if written.
  static func typeWord(_ words: [String]) -> String? {
    guard let eq = words.firstIndex(of: "="), eq + 1 < words.count else { return nil }
    return words[eq + 1]
  }

  static let model = Command(
    name: "model", group: .evaluate, summary: "Define a model: NAME = TYPE [options]",
    details: """
      Types (help model TYPE for its options and paper):
      \(ModelCatalog.all.map { "  \($0.name.padding(toLength: 8, withPad: " ", startingAt: 0))\($0.summary)" }.joined(separator: "\n"))
      A model is trained by fit; defining it again with the same name replaces it.
      """,
    params: [
      Param("NAME", .newTable), Param("=", .equals),
      Param("TYPE", .choice(ModelCatalog.names), help: ModelCatalog.names.joined(separator: ", ")),
    ],
    options: [],
    examples: [
      "model popular = pop", "model chance = random seed=3", "model knn = itemknn k=20 shrink=10",
      "model mf = gmf factors=4 epochs=3 fallback=pop",
    ],
    typedOptions: { words in
      guard let spec = typeWord(words).flatMap(ModelCatalog.named) else { return [] }
      return spec.options.map(option) + (spec.family == "baseline" ? [] : [fallbackOption])
    },
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("NAME") ?? ""
      let typeName = a.text("TYPE") ?? ""
      guard let spec = ModelCatalog.named(typeName) else { return CellOutput() }
      var values: [String: ModelOptions.Value] = [:]
      var pretrained: [String: any Recommender] = [:]
      var tables: [String: Table] = [:]
      for o in spec.options {
        guard let arg = a.options[o.name] else { continue }
        switch (o.kind, arg.value) {
        case (.ints(let lo, let hi), _):
          var xs: [Int] = []
          for w in a.list(o.name) ?? [] {
            guard let v = Int(w), v >= lo, v <= hi else {
              throw NotebookError(
                .badValue, "option '\(o.name)' expects integers from \(lo) to \(hi), found '\(w)'",
                span: arg.span, hint: "\(o.name)=\(o.defaultValue ?? "N,N")")
            }
            xs.append(v)
          }
          values[o.name] = .ints(xs)
        case (.models, _):
          let names = a.list(o.name) ?? []
          for n in names {
            guard let m = s.models[n] else {
              throw NotebookError(
                .unknownTable, "no model named '\(n)'", span: arg.span,
                hint: NotebookError.didYouMean(Suggest.closest(to: n, in: s.modelOrder)))
            }
            guard m.fittedOn != nil else {
              throw NotebookError(
                .runtime, "model '\(n)' is not fitted: \(o.name)= needs trained models", span: arg.span,
                hint: "fit \(n) on SPLIT")
            }
            pretrained[n] = m.model
          }
          values[o.name] = .names(names)
        case (.table, _):
          let t = a.text(o.name) ?? ""
          guard let entry = s.tables[t] else {
            throw NotebookError(
              .unknownTable, "no table named '\(t)'", span: arg.span,
              hint: NotebookError.didYouMean(Suggest.closest(to: t, in: s.tableOrder)))
          }
          tables[o.name] = entry.table
          values[o.name] = .text(t)
        case (.columns, _): values[o.name] = .names(a.list(o.name) ?? [])
        case (_, .int(let v)): values[o.name] = .int(v)
        case (_, .double(let v)): values[o.name] = .double(v)
        case (_, .bool(let v)): values[o.name] = .bool(v)
        default: values[o.name] = .text(a.text(o.name) ?? "")
        }
      }
      var options = ModelOptions(values, seed: s.seed, models: pretrained)
      options.tables = tables
      let recommender: any Recommender
      do throws(ModelError) {
        recommender = try spec.make(options)
      } catch {
        throw NotebookError(.badValue, "\(typeName): \(error.message)", span: a.span("TYPE"))
      }
      var recommenderWithFallback = recommender
      var fallbackType: String?
      if let f = a.text("fallback") {
        fallbackType = s.models[f]?.type ?? f
        recommenderWithFallback = FallbackModel(
          primary: recommender, fallback: try fallbackModel(f, s, a.span("fallback")), fallbackName: f)
      }
      let written = a.options.keys.sorted().map { "\($0)=\(a.text($0) ?? "")" }.joined(separator: " ")
      if s.models[name] == nil { s.modelOrder.append(name) }
      s.models[name] = ModelEntry(
        type: typeName, options: written, model: recommenderWithFallback, fittedOn: nil,
        seed: options.modelSeed, fallbackType: fallbackType)
      return .text("\(name): \(typeName)\(written.isEmpty ? "" : " " + written) (not fitted)")
    })

  static let fallbackOption = Option(
    "fallback", .string,
    "the model for cold users (no training data): pop, random or the name of a model of the session")

  /// `fallback=pop|random|NAME`: a new baseline, or a copy of a session model (fitted with this one).
  static func fallbackModel(_ text: String, _ s: Session, _ span: Range<Int>?) throws(NotebookError)
    -> any Recommender
  {
    switch text {
    case "pop": return PopularityModel()
    case "random": return RandomModel(seed: s.seed)
    default:
      guard let m = s.models[text] else {
        throw NotebookError(
          .badValue, "fallback must be pop, random or a model of the session, found '\(text)'", span: span,
          hint: NotebookError.didYouMean(Suggest.closest(to: text, in: ["pop", "random"] + s.modelOrder)))
      }
      return m.model
    }
  }

  static let models = Command(
    name: "models", group: .evaluate, summary: "List the models with their options and state",
    params: [], options: [], examples: ["models"], mutates: false,
    run: { s, _, _ in
      guard !s.modelOrder.isEmpty else { return .text("no models yet: define one (help model)") }
      let rows = s.modelOrder.compactMap { n -> [String]? in
        guard let m = s.models[n] else { return nil }
        return [n, m.type, m.options.isEmpty ? "-" : m.options, state(m)]
      }
      return CellOutput([
        .table(
          TableBlock(
            headers: ["model", "type", "options", "state"], numeric: [false, false, false, false], rows: rows)
        )
      ])
    })

  static func state(_ m: ModelEntry) -> String {
    guard let on = m.fittedOn else { return "not fitted" }
    guard let r = m.report, let kept = r.keptEpoch, !r.epochs.isEmpty else { return "fitted on \(on)" }
    return "fitted on \(on), epoch \(kept) of \(r.epochs.count)"
  }

  /// `ndcg`, `ndcg@20`, `hr@5`: a ranking metric and its k for validation.
  static func validationMetric(_ text: String, _ span: Range<Int>?) throws(NotebookError) -> (Metric, Int) {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
    var k = 10
    if parts.count == 2 {
      guard let v = Int(parts[1]), v > 0, v <= 10_000 else {
        throw NotebookError(
          .badValue, "validate=METRIC@K needs K from 1 to 10000, found '\(parts[1])'", span: span)
      }
      k = v
    }
    let m = try EvalCommands.eval(span) { () throws(EvalError) in try Metric.named(parts[0]) }
    guard [.hr, .precision, .recall, .ndcg, .map, .mrr, .auc].contains(m) else {
      throw NotebookError(
        .badValue, "validate needs a ranking metric (hr, ndcg, map, mrr, recall, precision), found '\(text)'",
        span: span)
    }
    return (m, k)
  }

  static let fit = Command(
    name: "fit", group: .evaluate, summary: "Train a model on a split's train part",
    details: """
      Iterative models (als, bpr, svd, gmf, mlp, neumf) print one line per epoch:
      the mean training loss and, with validate=METRIC[@K], the metric on the
      split's validation part (make one with split ... validation=loo). With
      validate the model keeps its best epoch; patience=N stops after N epochs
      without improvement. Ctrl-C stops after the current batch and keeps the
      weights of the last completed epoch. A loss that becomes NaN stops the fit
      and keeps the last good epoch.
      """,
    params: [Param("MODEL", .model), Param("on", .keyword("on")), Param("SPLIT", .split)],
    options: [
      Option("epochs", .int(min: 1, max: 100_000), default: "the model's own", "epochs to train"),
      Option("validate", .string, "a metric on the validation part after each epoch: ndcg, hr@20 ..."),
      Option("patience", .int(min: 1, max: 10_000), "with validate: stop after N epochs without improvement"),
    ],
    examples: ["fit popular on s", "fit mf on s epochs=2"],
    run: { s, a, ctx throws(NotebookError) in
      let name = a.text("MODEL") ?? ""
      let splitName = a.text("SPLIT") ?? ""
      guard var entry = s.models[name], let split = s.splits[splitName] else { return CellOutput() }
      let spec = ModelCatalog.named(entry.type)
      if spec?.iterative != true, let opt = ["epochs", "validate", "patience"].first(where: { a.has($0) }) {
        throw NotebookError(
          .badValue, "\(entry.type) trains in one pass; \(opt)= applies to models that train in epochs",
          span: a.span(opt),
          hint: "iterative models: "
            + ModelCatalog.all.filter(\.iterative).map(\.name).joined(separator: ", "))
      }
      if a.has("patience") && !a.has("validate") {
        throw NotebookError(
          .badValue, "patience= needs validate=METRIC (early stopping watches a validation metric)",
          span: a.span("patience"))
      }
      var context = FitContext(seed: entry.seed, epochs: a.int("epochs"), patience: a.int("patience"))
      var metricLabel: String?
      if let v = a.text("validate") {
        let (metric, k) = try validationMetric(v, a.span("validate"))
        guard split.validation != nil else {
          throw NotebookError(
            .badValue, "split '\(splitName)' has no validation part", span: a.span("validate"),
            hint: "make one with split ... validation=loo")
        }
        metricLabel = "\(metric.rawValue)@\(k)"
        let options = EvaluationOptions(k: k, metrics: [metric], target: .validation, threads: 2)
        context.validate = { scorer in
          (try? Evaluator.evaluate(scorer, on: split, options: options))?.value(metric) ?? -.infinity
        }
      }
      let cancelled = ctx.isCancelled
      context.isCancelled = { cancelled() }
      if let progress = ctx.progress {
        let label = "fit \(name)"
        context.onProgress = { p in
          var fields = [("epoch", "\(p.epoch)/\(p.epochs)")]
          if let l = p.loss { fields.append(("loss", Fmt.stat(l))) }
          if p.examplesPerEpoch > 0 {
            // Examples over the whole fit: the bar's rate is examples/s and its ETA covers every epoch.
            progress(
              WorkProgress(
                label: label, done: (p.epoch - 1) * p.examplesPerEpoch + p.examplesDone,
                total: p.epochs * p.examplesPerEpoch, fields: fields))
          } else {
            progress(
              WorkProgress(
                label: label, done: Int((Double(p.epoch - 1) + p.fraction) * 1000), total: p.epochs * 1000,
                fields: fields))
          }
        }
      }
      let clock = ContinuousClock()
      let start = clock.now
      let report: FitReport
      do {
        report = try entry.model.fit(split.train, context: context)
      } catch let e as ModelError {
        throw NotebookError(.data, "\(name): \(e.message)", span: a.span("SPLIT"))
      } catch let e as EvalError {
        throw NotebookError(.data, e.message, span: a.span("SPLIT"))
      } catch {
        throw NotebookError(.runtime, "\(name): \(error)", span: a.span("MODEL"))
      }
      var out = CellOutput()
      switch report.outcome {
      case .cancelled(afterEpoch: 0):
        throw NotebookError(.cancelled, "interrupted; the session is as it was before this cell")
      case .diverged(epoch: 1):
        throw NotebookError(
          .runtime, "\(name): the loss became NaN or infinite in epoch 1; the model is unchanged",
          span: a.span("MODEL"), hint: "try a smaller learning-rate or more regularization")
      default: break
      }
      entry.fittedOn = splitName
      entry.report = report
      s.models[name] = entry
      let t = split.train
      out.append(
        .text(
          "\(name): fitted on \(splitName) (\(Fmt.count(t.count, "interaction")), \(Fmt.count(t.activeUserCount, "user")), \(Fmt.count(t.activeItemCount, "item")))"
        ))
      if !report.epochs.isEmpty {
        out.append(.table(epochTable(report, metricLabel: metricLabel)))
      }
      let total = report.epochs.count
      switch report.outcome {
      case .completed:
        if metricLabel != nil, let kept = report.keptEpoch, kept != total {
          out.append(.text("kept epoch \(kept), the best \(metricLabel ?? "") on validation"))
        }
      case .cancelled(let n):
        out.append(.warning("interrupted: kept the weights of epoch \(n)"))
        out.keepsInterruptedWork = true
      case .stoppedEarly(let best):
        out.append(
          .text(
            "stopped early after epoch \(total): no better \(metricLabel ?? "") for \(context.patience ?? 0) epochs; kept epoch \(best)"
          ))
      case .diverged(let e):
        out.append(
          .warning(
            "the loss became NaN or infinite in epoch \(e): stopped, kept the weights of epoch \(report.keptEpoch ?? e - 1) (try a smaller learning-rate)"
          ))
      }
      let seconds = (clock.now - start).seconds
      var timing = "fit in \(Fmt.seconds(seconds))"
      if total > 0 {
        let rate = report.epochs.map(\.examplesPerSecond).reduce(0, +) / Double(total)
        timing += " (\(Fmt.int(Int(rate))) examples/s)"
      }
      out.append(.volatile(timing))
      return out
    })

  /// One row per epoch, at most 20: with more epochs every n-th, always the first, the kept
  /// and the last.
  static func epochTable(_ r: FitReport, metricLabel: String?) -> TableBlock {
    let n = r.epochs.count
    let stride = max(1, (n + 19) / 20)
    let keep = Set([1, n, r.keptEpoch ?? n])
    let rows = r.epochs.filter { ($0.epoch - 1) % stride == 0 || keep.contains($0.epoch) }.map { e in
      [String(e.epoch), Fmt.stat(e.loss)] + (metricLabel == nil ? [] : [e.validation.map(Fmt.stat) ?? "-"])
    }
    return TableBlock(
      headers: ["epoch", "loss"] + (metricLabel.map { ["validation \($0)"] } ?? []),
      numeric: [true, true] + (metricLabel == nil ? [] : [true]), rows: rows,
      footer: stride > 1 ? "every \(stride) epochs of \(n), with the first, the kept and the last" : nil)
  }

  static let plotLoss = Command(
    name: "plot loss", group: .evaluate, summary: "Training loss (and validation metric) by epoch",
    params: [Param("MODEL", .model)], options: [], examples: ["plot loss mf"], mutates: false,
    run: { s, a, _ throws(NotebookError) in
      let name = a.text("MODEL") ?? ""
      let m = try EvalCommands.fitted(s, name, a.span("MODEL"))
      guard let r = m.report, !r.epochs.isEmpty else {
        throw NotebookError(
          .runtime, "model '\(name)' (\(m.type)) trains in one pass: it has no loss curve",
          span: a.span("MODEL"))
      }
      let loss = r.epochs.map { (Double($0.epoch), $0.loss) }
      let val = r.epochs.compactMap { e in e.validation.map { (Double(e.epoch), $0) } }
      return PlotCommands.drawing { style in
        var text = Plot.line(
          series: [(name: "train loss", points: loss)], title: "\(name): training loss by epoch",
          xLabel: "epoch", yLabel: "loss", style: style)
        if !val.isEmpty {
          text +=
            "\n\n"
            + Plot.line(
              series: [(name: "validation", points: val)], title: "\(name): validation metric by epoch",
              xLabel: "epoch", yLabel: "metric", style: style)
        }
        return text
      }
    })
}
