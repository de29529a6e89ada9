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
        let line = switch format {
        case .text: LogLine.text(time: Date(), level: event.level, label: label, message: event.message.description, metadata: merged)
        case .json: LogLine.json(time: Date(), level: event.level, label: label, message: event.message.description, metadata: merged)
        }
        output.write(line)
    }
}

/// Where log lines go: a file descriptor written under a lock (one whole line per
/// write), or memory (for tests).
public final class LogOutput: Sendable {
    private enum Sink { case descriptor(Int32), memory }
    private let sink: Sink
    private let lines = Mutex<[String]>([])

    private init(_ sink: Sink) { self.sink = sink }

    public static let standardError = LogOutput(.descriptor(2))

    /// Keeps lines in memory: `captured` returns them.
    public static func memory() -> LogOutput { LogOutput(.memory) }

    public var captured: [String] { lines.withLock { $0 } }

    func write(_ line: String) {
        lines.withLock { stored in
            switch sink {
            case .memory:
                stored.append(line)
            case .descriptor(let fd):
                var bytes = Array(line.utf8)
                bytes.append(UInt8(ascii: "\n"))
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
                    if written > 0 { offset += written } else if errno != EINTR { return }
                }
            }
        }
    }
}
