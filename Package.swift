// swift-tools-version: 6.0
// Recbook: a terminal notebook for building recommender systems step by step.
// Layers and what each may import: ../shared/docs/DESIGN.md and each module's README.md.
import PackageDescription

let package = Package(
  name: "Recbook",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "recbook", targets: ["recbook"]),
    .library(name: "Notebook", targets: ["Notebook"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // RecServe only: the HTTP service (Hummingbird 2, swift-log).
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    // RecServe's client for the `request` cell (also what HummingbirdTesting builds on).
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
    // RecServe: NIOPosix's event loops as the concurrency executor (no thread hop per request).
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
  ],
  targets: [
    // MARK: - Engine (no terminal, no I/O beyond files)
    .target(name: "RecData", exclude: ["README.md"]),
    .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
    .target(name: "RecNN", dependencies: ["RecData", "COpenBLAS"], exclude: ["README.md"]),
    .target(name: "RecEval", dependencies: ["RecData"], exclude: ["README.md"]),
    .target(
      name: "RecModels", dependencies: ["RecData", "RecEval", "RecNN", "COpenBLAS"], exclude: ["README.md"]),

    // MARK: - Service (HTTP around a trained model)
    .target(
      name: "RecServe",
      dependencies: [
        "RecModels",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      exclude: ["README.md"]),

    // MARK: - Rendering
    .target(name: "RecTerm", exclude: ["README.md"]),

    // MARK: - Language and session
    .target(
      name: "Notebook",
      dependencies: [
        "RecData", "RecTerm", "RecEval", "RecModels", "RecServe",
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["README.md"]),

    // MARK: - System libraries
    .systemLibrary(name: "CReadline", path: "Sources/CReadline"),

    // MARK: - The executable: the only module that touches stdin/stdout, the TTY and exit
    .executableTarget(
      name: "recbook",
      dependencies: [
        "Notebook", "RecTerm", "RecModels", "RecServe", "CReadline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["README.md"]),

    // MARK: - Benchmarks (not part of the tests)
    .executableTarget(
      name: "recbook-bench",
      dependencies: [
        "RecData", "RecNN", "RecEval", "RecModels", "Notebook", "RecServe",
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "bench/Sources"),

    // MARK: - Tests
    .target(name: "TestSupport", dependencies: ["RecData", "Notebook"], path: "Tests/TestSupport"),
    .testTarget(name: "RecDataTests", dependencies: ["RecData", "TestSupport"]),
    .testTarget(name: "RecTermTests", dependencies: ["RecTerm", "RecData"], exclude: ["Golden"]),
    .testTarget(name: "NotebookTests", dependencies: ["Notebook", "RecData", "RecTerm", "TestSupport"]),
    .testTarget(name: "RecbookCLITests", dependencies: ["TestSupport"]),
    .testTarget(name: "RecEvalTests", dependencies: ["RecEval", "RecData", "TestSupport"]),
    .testTarget(name: "RecModelsTests", dependencies: ["RecModels", "RecEval", "RecData", "TestSupport"]),
    .testTarget(name: "RecNNTests", dependencies: ["RecNN", "TestSupport"], exclude: ["reference"]),
    .testTarget(
      name: "RecServeTests",
      dependencies: [
        "RecServe", "RecModels",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ]),
  ]
)
