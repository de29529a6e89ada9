// swift-tools-version: 6.1
import PackageDescription

/// One list of Swift settings shared by every target (the Hummingbird habit).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Logbook",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "EventSourcing", targets: ["EventSourcing"]),
        .library(name: "LMDBEventLog", targets: ["LMDBEventLog"]),
        .library(name: "EventFixtures", targets: ["EventFixtures"]),
        .library(name: "HTTPAPI", targets: ["HTTPAPI"]),
        .executable(name: "logbook-stress", targets: ["LogbookStress"]),
        .executable(name: "logbookd", targets: ["logbookd"]),
        .executable(name: "logbook", targets: ["logbook"]),
        .executable(name: "peer-bench", targets: ["peer-bench"]),
        .executable(name: "baseline-server", targets: ["baseline-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.6.0"),
    ],
    targets: [
        // C bindings: Debian's liblmdb-dev and libzstd-dev, never vendored.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),

        // Thin Swift wrappers over the C libraries.
        .target(name: "LMDB", dependencies: ["CLMDB"], swiftSettings: swiftSettings),
        .target(name: "Zstd", dependencies: ["CZstd"], swiftSettings: swiftSettings),

        // The pure event-sourcing kernel: no I/O, no LMDB, no HTTP.
        .target(
            name: "EventSourcing",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),

        // The durable log: LMDB + zstd dictionaries + group commit + Merkle tree.
        .target(
            name: "LMDBEventLog",
            dependencies: [
                "LMDB", "Zstd", "EventSourcing",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // What every domain plugs into: the Domain protocol, API.md's HTTP conventions
        // (errors, commands and idempotency, limits, routes and their OpenAPI entries).
        .target(
            name: "ServerKit",
            dependencies: [
                "EventSourcing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),

        // Domains, one folder each: events, decisions, read models (pure, no I/O), services,
        // and in `HTTP/` their routes on ServerKit.
        .target(
            name: "Verification",
            dependencies: [
                "EventSourcing", "ServerKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Members",
            dependencies: [
                "EventSourcing", "Verification", "ServerKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "Groups",
            dependencies: [
                "EventSourcing", "ServerKit", "Members", "Verification",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "Feeds",
            dependencies: [
                "EventSourcing", "ServerKit", "Members",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        .target(
            name: "Messaging",
            dependencies: [
                "EventSourcing", "ServerKit", "Members", "Groups",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // The application: the domain list, `buildApplication` (shared by logbookd, the
        // tests' server and the audit tool) and the operations routes. Never LMDB.
        .target(
            name: "HTTPAPI",
            dependencies: [
                "EventSourcing", "ServerKit", "Verification", "Members", "Groups", "Feeds", "Messaging",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The server: wires the LMDB log, the domains and the HTTP front.
        .executableTarget(
            name: "logbookd",
            dependencies: [
                "HTTPAPI", "ServerKit", "LMDBEventLog", "EventSourcing", "Verification", "Members", "Groups", "Feeds", "Messaging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // Audit tools over a data directory: verify, dump, replay, stats, proofs, backup and restore.
        .target(
            name: "Audit",
            dependencies: [
                "LMDBEventLog", "EventSourcing", "Verification", "HTTPAPI",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "logbook",
            dependencies: [
                "Audit", "HTTPAPI", "LMDBEventLog", "EventSourcing", "Verification",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // Deterministic, realistic sample events for tests, the stress child and benchmarks.
        .target(
            name: "EventFixtures",
            dependencies: ["EventSourcing", "Verification", "Members", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),

        // A child process for the crash test: appends under load, prints acknowledgements.
        .executableTarget(
            name: "LogbookStress",
            dependencies: ["LMDBEventLog", "EventSourcing", "EventFixtures"],
            swiftSettings: swiftSettings
        ),

        // The benchmark harness's programs (tools/bench), here so `swift build` keeps them
        // compiling and tools/test's quick check of the harness runs their debug builds; the
        // package-benchmark suites live in Benchmarks/, a package of their own.
        // Debian's libsqlite3-dev and libpq-dev, for the peers.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Logbook's log, SQLite and PostgreSQL as event stores, with the same pre-encoded
        // events and batch shapes; and the growth probe. Prints JSON.
        .executableTarget(
            name: "peer-bench",
            dependencies: [
                "CSQLite", "CLibPQ", "LMDBEventLog", "EventSourcing", "EventFixtures", "HTTPAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/PeerBench"
        ),
        // The socket load of tools/load/messaging-bench.sh: sockets held, group messages sent
        // at a rate, deliveries and send-to-receive latency measured.
        .executableTarget(
            name: "ws-load",
            dependencies: [
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/WSLoad"
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

        .testTarget(name: "LMDBTests", dependencies: ["LMDB"], swiftSettings: swiftSettings),
        .testTarget(
            name: "LogbookdTests",
            dependencies: [
                "CZstd", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AuditTests",
            dependencies: ["Audit", "HTTPAPI", "LMDBEventLog", "EventSourcing", "Verification", "EventFixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HTTPAPITests",
            dependencies: [
                "Members", "ServerKit", "Groups", "Feeds", "Messaging",
                "HTTPAPI", "EventSourcing", "Verification",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HashTreeCollections", package: "swift-collections"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VerificationTests", dependencies: ["Verification", "EventSourcing", "EventFixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MembersTests", dependencies: ["Members", "EventSourcing", "Verification", "EventFixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GroupsTests", dependencies: ["Groups", "Members", "EventSourcing", .product(name: "HashTreeCollections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FeedsTests",
            dependencies: ["Feeds", "Members", "EventSourcing", "EventFixtures", .product(name: "HashTreeCollections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ZstdTests", dependencies: ["Zstd", "CZstd"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EventSourcingTests",
            dependencies: ["EventSourcing", "EventFixtures", .product(name: "HashTreeCollections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LMDBEventLogTests",
            dependencies: [
"LMDBEventLog", "EventSourcing", "EventFixtures", "LMDB", "Zstd"],
            swiftSettings: swiftSettings
        ),
    ]
)
