// `recbook-bench <suite> [options]`: one suite per subcommand.
let benchArgs = Array(CommandLine.arguments.dropFirst())
switch benchArgs.first {
case "nn": runNNBench(args: Array(benchArgs.dropFirst()))
default: print("usage: recbook-bench nn [--threads N] [--steps N]")
}
