import ArgumentParser
import EventSourcing
import LMDBEventLog

struct Dict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compression dictionaries.", subcommands: [Train.self])

    struct Train: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a zstd dictionary from recent events and make it current (a running server uses it after its next start).")

        @Argument(help: "The data directory (or the log directory inside it).") var directory: String

        func run() async throws {
            let log = try openLog(directory, readOnly: false)
            defer { log.close() }
            let id = try await log.trainDictionary()
            print("trained dictionary \(id); new records use it from the next start of the writer")
        }
    }
}
