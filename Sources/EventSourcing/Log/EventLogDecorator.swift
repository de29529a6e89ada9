/// An `EventLog` that wraps another to change a few of its operations (appends that wait
/// for the read models, a test's failing disk): every operation it does not implement
/// goes to `inner` unchanged.
///
/// ```swift
/// struct CountingLog: EventLogDecorator {
///     let inner: any EventLog
///     func append(_ request: AppendRequest) async throws -> AppendOutcome { ...; return try await inner.append(request) }
/// }
/// ```
public protocol EventLogDecorator: EventLog {
    /// The log every operation not implemented by the decorator goes to.
    var inner: any EventLog { get }
}

extension EventLogDecorator {
    public func append(_ request: AppendRequest) async throws -> AppendOutcome { try await inner.append(request) }

    public func read(from position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try await inner.read(from: position, limit: limit)
    }

    public func read(positions: [LogPosition]) async throws -> [RecordedEvent] { try await inner.read(positions: positions) }

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
