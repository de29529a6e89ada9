public import EventSourcing
public import Synchronization

/// For tests of what happens when the disk fails: an `InMemoryEventLog` whose appends
/// fail with `storageFailure` while `failing` is set (a disk that answers 503), counting
/// the appends it refused; reads of the log fail too while `failingReads` is set, all
/// reads counted in `reads`.
public final class FlakyLog: EventLog {
    public let inner = InMemoryEventLog()
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

    public func read(from position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        reads.withLock { $0 += 1 }
        if failingReads.withLock({ $0 }) { throw EventLogError(.storageFailure, "the test's disk cannot be read") }
        return try await inner.read(from: position, limit: limit)
    }

    public func readStream(_ stream: StreamID, from version: StreamVersion, limit: Int) async throws -> [RecordedEvent] {
        try await inner.readStream(stream, from: version, limit: limit)
    }

    public func version(of stream: StreamID) async throws -> StreamVersion { try await inner.version(of: stream) }
    public func head() async throws -> LogHead { try await inner.head() }

    public func storedResult(forIdempotencyKey key: String) async throws -> [UInt8]? {
        try await inner.storedResult(forIdempotencyKey: key)
    }

    public func pruneIdempotencyKeys(storedBefore time: Timestamp, limit: Int) async throws -> Int {
        try await inner.pruneIdempotencyKeys(storedBefore: time, limit: limit)
    }

    public func root(size: UInt64) async throws -> MerkleHash { try await inner.root(size: size) }

    public func inclusionProof(index: UInt64, size: UInt64) async throws -> (leaf: MerkleHash, path: [MerkleHash]) {
        try await inner.inclusionProof(index: index, size: size)
    }

    public func consistencyProof(from: UInt64, to: UInt64) async throws -> [MerkleHash] {
        try await inner.consistencyProof(from: from, to: to)
    }

    public func observeCommits(_ observer: @escaping @Sendable ([RecordedEvent]) -> Void) { inner.observeCommits(observer) }
    public func loadCheckpoint(named name: String) async throws -> Checkpoint? { try await inner.loadCheckpoint(named: name) }
    public func saveCheckpoint(_ checkpoint: Checkpoint) async throws { try await inner.saveCheckpoint(checkpoint) }
}
