import Synchronization

/// A complete `EventLog` kept in memory: the fast target for tests and the
/// reference for what a store must do. Nothing survives the process.
///
/// The Merkle leaves are the stream version (varint) followed by the envelope body
/// (`EnvelopeCodec`), uncompressed, so its
/// roots differ from the LMDB log's, whose leaves are the compressed records.
public final class InMemoryEventLog: EventLog {
    private struct State {
        var events: [RecordedEvent] = []
        var streams: [StreamID: [LogPosition]] = [:]
        var idempotency: [String: (result: [UInt8], storedAt: Timestamp)] = [:]
        var frontier = MerkleFrontier()
        var leaves = LeafHashes()
        var checkpoints: [String: Checkpoint] = [:]
        var observers: [@Sendable ([RecordedEvent]) -> Void] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func append(_ request: AppendRequest) async throws -> AppendOutcome {
        try request.validate()
        return try state.withLock { state in
            if let key = request.idempotency?.key, let stored = state.idempotency[key]?.result {
                return .duplicate(storedResult: stored)
            }
            let planned = try request.assignVersions { StreamVersion(state.streams[$0]?.count ?? 0) }
            var recorded: [RecordedEvent] = []
            recorded.reserveCapacity(planned.count)
            for item in planned {
                let position = LogPosition(state.events.count + 1)
                let event = RecordedEvent(
                    position: position, stream: item.stream, version: item.version, type: item.event.type,
                    payload: item.event.payload, timestamp: item.event.timestamp, metadata: item.event.metadata)
                state.events.append(event)
                state.streams[item.stream, default: []].append(position)
                var leaf = BinaryWriter()
                leaf.write(item.version)
                leaf.writeRaw(EnvelopeCodec.encodeBody(item.event, stream: item.stream))
                let hash = MerkleHash.leaf(leaf.bytes)
                state.frontier.append(hash)
                state.leaves.leaves.append(hash)
                recorded.append(event)
            }
            if let idempotency = request.idempotency {
                state.idempotency[idempotency.key] = (idempotency.result, idempotency.storedAt)
            }
            if !recorded.isEmpty { for observer in state.observers { observer(recorded) } }
            return .appended(events: recorded, head: Self.head(of: state))
        }
    }

    public func read(from position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        state.withLock { state in
            guard position <= LogPosition(state.events.count), limit > 0 else { return [] }
            let start = Int(max(position, 1)) - 1
            return Array(state.events[start..<(start + min(limit, state.events.count - start))])
        }
    }

    public func readStream(_ stream: StreamID, from version: StreamVersion, limit: Int) async throws -> [RecordedEvent] {
        state.withLock { state in
            guard let positions = state.streams[stream], limit > 0 else { return [] }
            guard version <= StreamVersion(positions.count) else { return [] }
            let start = Int(max(version, 1)) - 1
            return positions[start..<(start + min(limit, positions.count - start))].map { state.events[Int($0) - 1] }
        }
    }

    public func version(of stream: StreamID) async throws -> StreamVersion {
        state.withLock { StreamVersion($0.streams[stream]?.count ?? 0) }
    }

    public func head() async throws -> LogHead {
        state.withLock { Self.head(of: $0) }
    }

    public func storedResult(forIdempotencyKey key: String) async throws -> [UInt8]? {
        state.withLock { $0.idempotency[key]?.result }
    }

    public func pruneIdempotencyKeys(storedBefore time: Timestamp, limit: Int) async throws -> Int {
        state.withLock { state in
            let old = state.idempotency.filter { $0.value.storedAt < time }
                .sorted { ($0.value.storedAt, $0.key) < ($1.value.storedAt, $1.key) }.prefix(max(0, limit))
            for (key, _) in old { state.idempotency[key] = nil }
            return old.count
        }
    }

    public func observeCommits(_ observer: @escaping @Sendable ([RecordedEvent]) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    public func root(size: UInt64) async throws -> MerkleHash {
        try await requireSize(size)
        let leaves = state.withLock { $0.leaves }
        return try MerkleProofs.hash(0, size, leaves)
    }

    public func inclusionProof(index: UInt64, size: UInt64) async throws -> (leaf: MerkleHash, path: [MerkleHash]) {
        try await requireSize(size)
        let leaves = state.withLock { $0.leaves }
        guard index < size else { throw EventLogError(.invalidRequest, "index \(index) is not below size \(size)") }
        return (leaves.leaves[Int(index)], try MerkleProofs.inclusion(index: index, size: size, source: leaves))
    }

    public func consistencyProof(from: UInt64, to: UInt64) async throws -> [MerkleHash] {
        try await requireSize(to)
        guard from <= to else { throw EventLogError(.invalidRequest, "from \(from) is past to \(to)") }
        return try MerkleProofs.consistency(from: from, to: to, source: state.withLock { $0.leaves })
    }

    public func loadCheckpoint(named name: String) async throws -> Checkpoint? {
        state.withLock { state in state.checkpoints[name].flatMap { $0.position <= Self.head(of: state).size ? $0 : nil } }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint) async throws {
        try await requireSize(checkpoint.position)
        state.withLock { state in
            if let stored = state.checkpoints[checkpoint.name], stored.position > checkpoint.position { return }
            state.checkpoints[checkpoint.name] = checkpoint
        }
    }

    private static func head(of state: State) -> LogHead {
        LogHead(size: state.frontier.size, root: state.frontier.root, timestamp: state.events.last?.timestamp)
    }
}
