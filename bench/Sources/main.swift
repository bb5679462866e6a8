// Temporary dispatch until the bench owner's main.swift lands: `recbook-bench ops [rows]`.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "ops" {
  runOpsBench(args: Array(arguments.dropFirst()))
} else {
  print("bench")
}
