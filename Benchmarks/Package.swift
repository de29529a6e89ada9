// swift-tools-version: 6.1
import PackageDescription

// The benchmark harness: a package of its own so `swift test` in the root never
// builds package-benchmark, the peers (SQLite, PostgreSQL) or the baseline server.
// Run everything with `tools/bench`; the log's suites alone with
// `swift package --package-path Benchmarks benchmark`.
let package = Package(
    name: "LogbookBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Logbook", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
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

        // Debian's libsqlite3-dev and libpq-dev, for the peers.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Logbook's log, SQLite and PostgreSQL as event stores, with the same
        // pre-encoded events and batch shapes; and the growth probe. Prints JSON.
        .executableTarget(
            name: "peer-bench",
            dependencies: [
                "CSQLite", "CLibPQ",
                .product(name: "LMDBEventLog", package: "Logbook"),
                .product(name: "EventSourcing", package: "Logbook"),
                .product(name: "EventFixtures", package: "Logbook"),
                .product(name: "HTTPAPI", package: "Logbook"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/PeerBench"
        ),

        // The HTTP baseline: Hummingbird 2 decoding a small JSON POST, no storage.
        .executableTarget(
            name: "baseline-server",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/BaselineServer"
        ),
    ]
)
