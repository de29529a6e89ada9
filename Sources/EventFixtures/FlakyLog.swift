public import EventSourcing
public import Synchronization

/// For tests of what happens when the disk fails: an `InMemoryEventLog` whose appends
/// fail with `storageFailure` while `failing` is set (a disk that answers 503), counting
/// the appends it refused; reads of the log fail too while `failingReads` is set, all
/// reads counted in `reads`.
public final class FlakyLog: EventLogDecorator {
    public let inner: any EventLog = InMemoryEventLog()
    public let failing = Mutex(false)
    public let refused = Mutex(0)
    public let failingReads = Mutex(false)
    public let reads = Mutex(0)

    public init() {}

    public func append(_ request: AppendRequest) async throws -> AppendOutcome {
        if failing.withLock({ $0 }) {
            refused.withLock { $0 += 1 }
            throw EventLogError(.storageFailure, "the test's disk is failing")
        }
        return try await inner.append(request)
    }

    public func read(positions: [LogPosition]) async throws -> [RecordedEvent] {
        if failingReads.withLock({ $0 }) { throw EventLogError(.storageFailure, "the test's disk cannot be read") }
        return try await inner.read(positions: positions)
    }

    public func read(from position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        reads.withLock { $0 += 1 }
        if failingReads.withLock({ $0 }) { throw EventLogError(.storageFailure, "the test's disk cannot be read") }
        return try await inner.read(from: position, limit: limit)
    }
}
