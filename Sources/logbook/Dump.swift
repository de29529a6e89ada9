import ArgumentParser
import Audit
import HTTPAPI
import EventSourcing
import LMDBEventLog

struct Dump: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print decoded events, one JSON object per line (or a table).")

    enum Format: String, ExpressibleByArgument { case jsonl, table }

    @Argument(help: "The data directory (or the log directory inside it).")
    var directory: String
    @Option(help: "First position.") var from: UInt64 = 1
    @Option(help: "Last position.") var to: UInt64?
    @Option(help: "Only this stream.") var stream: String?
    @Option(help: "Only this event type.") var type: String?
    @Option(help: "jsonl or table.") var format: Format = .jsonl

    func run() async throws {
        let log = try openLog(directory)
        defer { log.close() }
        let registry = try await LogbookDomains.audit(log: log).registry
        let last = to ?? UInt64.max
        if let stream {
            guard let id = StreamID(stream) else { throw ValidationError("invalid stream name") }
            var version: StreamVersion = 1
            while true {
                let events = try await log.readStream(id, from: version, limit: 4096)
                for event in events where event.position >= from && event.position <= last { emit(event, registry) }
                guard let final = events.last else { break }
                version = final.version + 1
            }
            return
        }
        var next = max(from, 1)
        while next <= last {
            let events = try await log.read(from: next, limit: 4096)
            guard let final = events.last else { break }
            for event in events where event.position <= last { emit(event, registry) }
            next = final.position + 1
        }
    }

    func emit(_ event: RecordedEvent, _ registry: EventRegistry) {
        if let type, event.type != type { return }
        switch format {
        case .jsonl: print(registry.line(event))
        case .table: print("\(event.position)\t\(event.timestamp.rfc3339)\t\(event.stream)\t\(event.version)\t\(event.type)")
        }
    }
}
