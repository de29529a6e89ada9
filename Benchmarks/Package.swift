// swift-tools-version: 6.1
import PackageDescription

// The log's package-benchmark suites: a package of their own so `swift test` in the root
// never builds package-benchmark (and its malloc interposer). The harness's other programs,
// peer-bench and baseline-server, are targets of the root package. Run everything with
// `tools/bench`; the suites alone with `tools/bench --suites`.
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
                .product(name: "HTTPAPI", package: "Logbook"),
            ],
            path: "Benchmarks/LogBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
