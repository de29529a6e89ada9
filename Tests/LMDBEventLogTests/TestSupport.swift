import EventSourcing
import Foundation
import LMDBEventLog

/// A fresh directory under the system's temporary folder, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-test-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The logs the conformance suite runs against.
enum LogKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory, lmdb

    var description: String { rawValue }

    /// Runs `body` with a new, empty log of this kind, then disposes of it.
    func withLog<T>(_ body: (any EventLog) async throws -> T) async throws -> T {
        switch self {
        case .memory:
            return try await body(InMemoryEventLog())
        case .lmdb:
            return try await withLMDBLog { log, _ in try await body(log) }
        }
    }
}

/// Runs `body` with a new, empty LMDB log (a 4 MiB map to start) in a temporary
/// directory, then closes the log and removes the directory.
func withLMDBLog<T>(_ body: (LMDBEventLog, TemporaryDirectory) async throws -> T) async throws -> T {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    var options = LMDBEventLogOptions()
    options.initialMapSize = 4 << 20
    let log = try LMDBEventLog(directory: directory.path, options: options)
    defer { log.close() }
    return try await body(log, directory)
}

func event(_ type: String = "test.happened.v1", _ text: String = "x", at ms: Int64 = 1_795_000_000_000) -> NewEvent {
    NewEvent(type: type, payload: Array(text.utf8), timestamp: Timestamp(millisecondsSince1970: ms))
}

extension EventLog {
    /// Appends and returns the recorded events, failing on a duplicate.
    @discardableResult
    func append(_ stream: StreamID, _ expected: ExpectedVersion = .any, _ events: [NewEvent]) async throws -> [RecordedEvent] {
        try await append(AppendRequest(stream: stream, expected: expected, events: events)).events
    }

    /// Every event in the log.
    func all() async throws -> [RecordedEvent] { try await read(from: 1, limit: .max) }
}
