import Foundation
public import Logging
import Synchronization

/// The servers' log output: one line per entry on standard error, as `text`
/// (`2026-12-01T23:11:03.123Z info logbookd: request method=GET ...`) or `json` (one object
/// per line: `time`, `level`, `logger`, `message`, then the metadata), with millisecond UTC
/// timestamps. Hummingbird's `hb.request.id` is written as `request_id`.
///
/// Callers never log secrets or personal data; this handler adds nothing of its own.
public struct LogbookLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: Format
    let output: LogOutput

    public init(label: String, format: Format, level: Logger.Level, output: LogOutput = .standardError) {
        (self.label, self.format, self.logLevel, self.output) = (label, format, level, output)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let id = merged.removeValue(forKey: RequestIdentity.metadataKey) { merged["request_id"] = id }
        output.write(render(event.level, event.message.description, merged)) { dropped in
            render(.warning, "log lines dropped", ["count": "\(dropped)"])
        }
    }

    private func render(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) -> String {
        switch format {
        case .text: LogLine.text(time: Date(), level: level, label: label, message: message, metadata: metadata)
        case .json: LogLine.json(time: Date(), level: level, label: label, message: message, metadata: metadata)
        }
    }
}

/// Where log lines go: a file descriptor, written by a `LogLineWriter` off the caller's
/// thread (bounded; lines dropped when the reader stops, with a note), or memory (for tests).
public final class LogOutput: Sendable {
    private enum Sink {
        case descriptor(LogLineWriter)
        case memory
    }

    private let sink: Sink
    private let lines = Mutex<[String]>([])

    private init(_ sink: Sink) { self.sink = sink }

    public static let standardError = LogOutput(descriptor: 2)

    /// Writes to `descriptor` from a thread of its own; at most `capacity` bytes wait.
    public convenience init(descriptor: Int32, capacity: Int = 4 << 20) {
        self.init(.descriptor(LogLineWriter(descriptor: descriptor, capacity: capacity)))
    }

    /// Keeps lines in memory: `captured` returns them.
    public static func memory() -> LogOutput { LogOutput(.memory) }

    public var captured: [String] { lines.withLock { $0 } }

    /// Queues `line`; `dropNote` renders the note written before it when earlier lines
    /// were dropped (the count), in the caller's format.
    public func write(_ line: String, dropNote: (Int) -> String = { "\($0) log lines dropped" }) {
        switch sink {
        case .memory: lines.withLock { $0.append(line) }
        case .descriptor(let writer): writer.append(line, dropNote: dropNote)
        }
    }

    /// Waits (at most `timeout`) until every queued line is written: before the process exits.
    public func flush(timeout: Duration = .seconds(2)) {
        if case .descriptor(let writer) = sink { writer.flush(timeout: timeout) }
    }
}
