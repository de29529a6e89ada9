import ArgumentParser
import Foundation

/// `peer-bench append`: every shape against every store, the same events for each.
struct AppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append", abstract: "Durable append throughput: Logbook, SQLite, PostgreSQL.")

    @Option(help: "A scratch directory on the disk to measure (real fsync).") var dataDir: String
    @Option(help: "libpq connection string of a PostgreSQL server; PostgreSQL is skipped without it.")
    var postgres: String?
    @Option(help: "Why PostgreSQL is skipped, for the JSON output.") var postgresSkipped = "no --postgres given"
    @Option(help: "Why SQLite is skipped (when set).") var sqliteSkipped: String?
    @Flag(help: "A tenth of the events and 2 s deadlines.") var quick = false

    func run() async throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        var stores: [String: Any] = [:]
        var peers: [any SQLEventStore] = []
        if let sqliteSkipped { stores["sqlite"] = ["skipped": sqliteSkipped] } else {
            peers.append(SQLiteEventStore(path: dataDir + "/sqlite.db"))
        }
        if let postgres { peers.append(PostgresEventStore(conninfo: postgres)) } else {
            stores["postgresql"] = ["skipped": postgresSkipped]
        }
        var results: [String: [String: Any]] = ["logbook": [:]]
        var bodyBytes = 0
        for (index, shape) in AppendShape.allCases.enumerated() {
            let workload = ShapeWorkload(shape: shape, events: shape.events(quick: quick), seed: 1000 + UInt64(index))
            bodyBytes = workload.averageBodyBytes
            log("\(shape.key): \(workload.timed.count) events offered")
            let logbook = LogbookShapeRunner(directory: dataDir + "/logbook", quick: quick)
            results["logbook", default: [:]][shape.key] = Self.figures(try await logbook.run(workload))
            for peer in peers {
                let runner = SQLShapeRunner(store: peer, quick: quick)
                do {
                    results[peer.name, default: [:]][shape.key] = Self.figures(try runner.run(workload))
                } catch {
                    results[peer.name, default: [:]][shape.key] = ["error": "\(error)"]
                }
            }
            for (store, shapes) in results { log("  \(store): \(shapes[shape.key] ?? "-")") }
        }
        for (store, shapes) in results { stores[store] = shapes }
        let output: [String: Any] = [
            "event_body_bytes": bodyBytes,
            "events_offered": Dictionary(uniqueKeysWithValues: AppendShape.allCases.map { ($0.key, $0.events(quick: quick)) }),
            "stores": stores,
        ]
        try JSONOutput.print(output)
    }

    static func figures(_ measurement: Measurement) -> [String: Any] {
        ["events_per_second": Int(measurement.eventsPerSecond), "events": measurement.events,
         "seconds": (measurement.seconds * 1000).rounded() / 1000]
    }
}

func log(_ line: String) {
    FileHandle.standardError.write(Data("peer-bench: \(line)\n".utf8))
}

enum JSONOutput {
    static func print(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
