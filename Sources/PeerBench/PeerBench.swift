// peer-bench: Logbook's LMDB log next to SQLite and PostgreSQL used as event stores,
// with the same pre-encoded events and batch shapes, and the growth probe of a log.
// Prints one JSON document on stdout; tools/bench merges it into latest.json.
//
//     peer-bench append --data-dir DIR [--postgres CONNINFO] [--quick]
//     peer-bench growth --data-dir DIR [--append-events N] [--reads N]
import ArgumentParser

@main
struct PeerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer-bench",
        abstract: "Event-store throughput of Logbook against SQLite and PostgreSQL, and growth probes.",
        subcommands: [AppendCommand.self, GrowthCommand.self])
}
