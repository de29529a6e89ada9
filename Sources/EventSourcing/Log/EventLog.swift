/// An append-only, totally ordered log of events, grouped into streams.
///
/// ## Contract
/// Every conforming log (the in-memory one for tests, the LMDB one for real) keeps
/// these promises, and `EventLogConformance` in the tests checks each of them:
///
/// 1. **One global order.** Each event gets the next position: 1, 2, 3, ... with no
///    gaps, ever, including after failed appends and restarts. Commit order is
///    position order: a reader never sees position n+1 without n.
/// 2. **Streams.** Each stream's events get versions 1, 2, 3, ... in position order.
///    A stream exists once it has an event; its version is its event count.
/// 3. **Atomic, all-or-nothing appends.** An `AppendRequest` may name several streams;
///    either all its events are appended (contiguously, in request order) or none.
/// 4. **Optimistic concurrency.** Each stream's `ExpectedVersion` is checked against
///    the committed state plus every earlier request in the same commit; a mismatch
///    fails the whole request with `EventLogError.wrongExpectedVersion` and appends
///    nothing. Other requests committed with it are unaffected.
/// 5. **Durability.** `append` returns only after the events are durable (for a
///    persistent log: synced to disk). A thrown error means nothing was appended and
///    nothing about the request remains in memory.
/// 6. **Idempotency.** A request with an `IdempotencyRecord` whose key is already
///    stored appends nothing and returns `.duplicate` with the stored result. The key
///    and result are stored in the same commit as the events, so they survive
///    restarts exactly when the events do. A key stays until `pruneIdempotencyKeys`
///    removes it (only keys stored before the time given, oldest first); the log never
///    forgets one by itself.
/// 7. **Commit observers.** Observers see every committed batch exactly once, in
///    position order, after it is durable and before any append in it returns. This
///    is how read models stay at least as new as every acknowledged append.
/// 8. **Integrity.** `head()` gives the size and the RFC 6962 Merkle root over the
///    records; the root for size n never changes once the log is longer than n, and
///    inclusion and consistency proofs verify against those roots (RFC 9162 2.1.3-2.1.4).
/// 9. **Reads are snapshots.** A read sees a prefix of the log that includes every
///    append that returned before the read began.
///
/// ```swift
/// let outcome = try await log.append(AppendRequest(
///     stream: "verification-abc", expected: .noStream,
///     events: [NewEvent(type: "verification.code-issued.v1", payload: bytes, timestamp: now)]))
/// ```
public protocol EventLog: CheckpointStore {
    /// Appends atomically; see the contract above.
    func append(_ request: AppendRequest) async throws -> AppendOutcome

    /// Up to `limit` events in position order, starting at `position` (1-based).
    func read(from position: LogPosition, limit: Int) async throws -> [RecordedEvent]

    /// The events at `positions`, in the order given (a position given twice comes back
    /// twice; one outside the log is skipped), in one read: a page of a conversation or of
    /// `/v1/sync` names its messages by position.
    func read(positions: [LogPosition]) async throws -> [RecordedEvent]

    /// Up to `limit` events of `stream` in version order, starting at `version` (1-based).
    func readStream(_ stream: StreamID, from version: StreamVersion, limit: Int) async throws -> [RecordedEvent]

    /// The stream's current version (0 when it does not exist).
    func version(of stream: StreamID) async throws -> StreamVersion

    /// The number of events and the Merkle root over them.
    func head() async throws -> LogHead

    /// The result stored with `key`, if an append carried it.
    func storedResult(forIdempotencyKey key: String) async throws -> [UInt8]?

    /// Forgets up to `limit` idempotency keys stored before `time`, oldest first; returns
    /// how many it forgot (fewer than `limit`: none older is left).
    func pruneIdempotencyKeys(storedBefore time: Timestamp, limit: Int) async throws -> Int

    /// The Merkle root of the first `size` events (size <= head size).
    func root(size: UInt64) async throws -> MerkleHash

    /// The RFC 6962 audit path of leaf `index` (0-based: the event at position index + 1)
    /// in the tree of the first `size` events, with that leaf's hash.
    func inclusionProof(index: UInt64, size: UInt64) async throws -> (leaf: MerkleHash, path: [MerkleHash])

    /// The RFC 6962 consistency proof between the trees of the first `from` and `to` events.
    func consistencyProof(from: UInt64, to: UInt64) async throws -> [MerkleHash]

    /// Calls `observer` with every batch committed from now on; see the contract above.
    /// The observer runs on the log's commit path: it must be quick and must not append.
    func observeCommits(_ observer: @escaping @Sendable ([RecordedEvent]) -> Void)
}

/// Where read models keep their snapshots so a restart replays only the tail.
public protocol CheckpointStore: Sendable {
    /// The latest checkpoint saved under `name`; nil when there is none, or when it is past
    /// the log's head (it cannot be of this log: a log restored from an older backup).
    func loadCheckpoint(named name: String) async throws -> Checkpoint?
    /// Saves (replacing) the checkpoint under its name, durably; one past the head is
    /// refused (`invalidRequest`): it cannot be of this log. Saves may finish out of order
    /// (a periodic save still encoding when the shutdown save lands): one older than the
    /// checkpoint this log object last saved under the name is dropped, without error.
    func saveCheckpoint(_ checkpoint: Checkpoint) async throws
}

extension EventLog {
    /// One `read(from:limit:)` per position (a log with a cheaper way overrides it).
    public func read(positions: [LogPosition]) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        for position in positions where position > 0 {
            events += try await read(from: position, limit: 1).filter { $0.position == position }
        }
        return events
    }

    /// Throws `invalidRequest` unless the log has at least `size` events.
    public func requireSize(_ size: UInt64) async throws {
        let head = try await head()
        guard size <= head.size else {
            throw EventLogError(.invalidRequest, "the log has \(head.size) events, not \(size)")
        }
    }
}
