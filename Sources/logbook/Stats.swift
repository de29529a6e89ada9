import ArgumentParser
import EventSourcing
import Audit
import LMDBEventLog

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Events per type and stream category, bytes raw and stored per dictionary, size and head.")

    @Argument(help: "The data directory (or the log directory inside it).")
    var directory: String

    func run() async throws {
        let log = try openLog(directory)
        defer { log.close() }
        let total = try await log.head().size
        print(try await StatsReport.make(log: log, progress: Progress(label: "stats", total: total)).text)
    }
}
