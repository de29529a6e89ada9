// swift-tools-version: 6.1
import PackageDescription

// The benchmark harness: a package of its own so `swift test` in the root never
// builds package-benchmark. Run with `tools/bench` or
// `swift package --package-path Benchmarks benchmark`.
let package = Package(
    name: "LogbookBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Logbook", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "LogBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LMDBEventLog", package: "Logbook"),
                .product(name: "EventSourcing", package: "Logbook"),
                .product(name: "EventFixtures", package: "Logbook"),
            ],
            path: "Benchmarks/LogBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
