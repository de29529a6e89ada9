/// The log as commands see it: an append returns once its events are durable *and* every
/// read model has applied them (`ProjectionRuntime.applied(through:)`), so a read after a
/// command's 2xx sees its effect although read models run off the writer thread.
/// Everything else goes straight to the log.
public struct AppliedLog: EventLog, LogHealthReporting {
    public let inner: any EventLog
    public let runtime: ProjectionRuntime

    public init(_ inner: any EventLog, runtime: ProjectionRuntime) {
        self.inner = inner
        self.runtime = runtime
    }

    /// Appends; returns once the events are applied. A conflict (`wrongExpectedVersion`)
    /// is thrown only once the read models have applied everything committed so far, so
    /// the caller's retry decides on a model that shows what beat it.
    public func append(_ request: AppendRequest) async throws -> AppendOutcome {
        let outcome: AppendOutcome
        do {
            outcome = try await inner.append(request)
        } catch let error as EventLogError where error.code == .wrongExpectedVersion {
            await runtime.applied(through: try await inner.head().size)
            throw error
        }
        if case .appended(let events, _) = outcome, let last = events.last?.position {
            await runtime.applied(through: last)
        }
        return outcome
    }

    public func read(from position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try await inner.read(from: position, limit: limit)
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

    public var health: LogHealth { (inner as? any LogHealthReporting)?.health ?? .ok }
}
