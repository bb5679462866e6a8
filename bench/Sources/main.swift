// recbook-bench: Recbook's benchmarks, one subcommand each (not part of the tests).
//
//   recbook-bench csv-load [--rows N] [--dir D] [--threads T]
//   recbook-bench ops [rows]
//   recbook-bench nn [--threads N] [--steps N] [--only neumf,gru,unfused,sampled,gemm]
//   recbook-bench repl [--rows N]
//   recbook-bench eval [--reps N] [--threads T] [--dim D] [--data ml100k,synth]
//   recbook-bench models --model TYPE [--set k=v,...] [--seeds 1,2,3] [--val] [--data synth-1m]
//   recbook-bench neumf-epoch [--epochs N] [--model neumf|gmf|mlp]
//
// Each benchmark prints one JSON line per measurement. Add a benchmark by adding a
// file with its entry function and a case below.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

let benchmarks: [(name: String, synopsis: String)] = [
  (
    "csv-load",
    "csv-load [--rows N] [--dir D] [--threads T]: load D/ratings_N.csv once, print time and peak RSS"
  ),
  ("ops", "ops [rows]: dedupe, kcore, normalize, feature and filter on a synthetic table (default 10M rows)"),
  ("nn", "nn [--threads N] [--steps N] [--only ...]: NeuMF and GRU4Rec training steps, dense kernels"),
  ("repl", "repl [--rows N]: Tab-completion latency on a session holding an N-row table (default 10M)"),
  (
    "eval",
    "eval [--reps N] [--threads T] [--dim D] [--data ml100k,synth]: full-ranking evaluation of all users"
  ),
  (
    "models",
    "models --model TYPE [--set k=v,...] [--seeds 1,2,3] [--val] [--data synth-1m]: fit and score on the shared protocol"
  ),
  (
    "neumf-epoch",
    "neumf-epoch [--epochs N] [--model neumf|gmf|mlp]: s per epoch of the fused NCF step vs PyTorch"
  ),
]

func usage() -> Int32 {
  print("usage: recbook-bench <benchmark> [options]\n")
  for b in benchmarks { print("  " + b.synopsis) }
  return 2
}

let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
switch arguments.first {
case "csv-load": status = CSVLoadBench.run(Array(arguments.dropFirst()))
case "ops":
  runOpsBench(args: Array(arguments.dropFirst()))
  status = 0
case "nn":
  runNNBench(args: Array(arguments.dropFirst()))
  status = 0
case "eval":
  runEvalBench(args: Array(arguments.dropFirst()))
  status = 0
case "repl":
  runREPLBench(args: Array(arguments.dropFirst()))
  status = 0
case "models": status = ModelsBench.run(Array(arguments.dropFirst()))
case "neumf-epoch": status = NeuMFEpochBench.run(Array(arguments.dropFirst()))
default: status = usage()
}
exit(status)
