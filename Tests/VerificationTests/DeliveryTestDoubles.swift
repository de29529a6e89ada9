import EventSourcing
import Synchronization
import Verification

/// An `InMemoryEventLog` whose appends fail with `storageFailure` while `failing` is
/// set (a disk that answers 503), counting the appends it refused.
final class FailingAppendLog: EventLog {
    let inner = InMemoryEventLog()
    let failing = Mutex(false)
    let refused = Mutex(0)

    func append(_ request: AppendRequest) async throws -> AppendOutcome {
        if failing.withLock({ $0 }) {
            refused.withLock { $0 += 1 }
            throw EventLogError(.storageFailure, "the test's disk is failing")
        }
        return try await inner.append(request)
    }

    func read(from position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try await inner.read(from: position, limit: limit)
    }

    func readStream(_ stream: StreamID, from version: StreamVersion, limit: Int) async throws -> [RecordedEvent] {
        try await inner.readStream(stream, from: version, limit: limit)
    }

    func version(of stream: StreamID) async throws -> StreamVersion { try await inner.version(of: stream) }
    func head() async throws -> LogHead { try await inner.head() }

    func storedResult(forIdempotencyKey key: String) async throws -> [UInt8]? {
        try await inner.storedResult(forIdempotencyKey: key)
    }

    func pruneIdempotencyKeys(storedBefore time: Timestamp, limit: Int) async throws -> Int {
        try await inner.pruneIdempotencyKeys(storedBefore: time, limit: limit)
    }

    func root(size: UInt64) async throws -> MerkleHash { try await inner.root(size: size) }

    func inclusionProof(index: UInt64, size: UInt64) async throws -> (leaf: MerkleHash, path: [MerkleHash]) {
        try await inner.inclusionProof(index: index, size: size)
    }

    func consistencyProof(from: UInt64, to: UInt64) async throws -> [MerkleHash] {
        try await inner.consistencyProof(from: from, to: to)
    }

    func observeCommits(_ observer: @escaping @Sendable ([RecordedEvent]) -> Void) { inner.observeCommits(observer) }
    func loadCheckpoint(named name: String) async throws -> Checkpoint? { try await inner.loadCheckpoint(named: name) }
    func saveCheckpoint(_ checkpoint: Checkpoint) async throws { try await inner.saveCheckpoint(checkpoint) }
}

/// A gateway that never answers for one address (not even to cancellation, until
/// `release()`), and delivers everything else at once.
final class HangingSender: Sender {
    let hangsFor: String
    let sent = Mutex<[String]>([])
    let hanging = Mutex<[CheckedContinuation<Void, any Error>]>([])
    struct Released: Error {}

    init(hangsFor: String) { self.hangsFor = hangsFor }

    func send(_ message: DeliveryMessage) async throws {
        guard message.to == hangsFor else {
            sent.withLock { $0.append(message.to) }
            return
        }
        try await withCheckedThrowingContinuation { continuation in hanging.withLock { $0.append(continuation) } }
    }

    /// How many calls are hanging now.
    var hangingCount: Int { hanging.withLock { $0.count } }

    /// Ends every hanging call with an error (so nothing is left waiting when a test ends).
    func release() {
        for continuation in hanging.withLock({ list in defer { list = [] }; return list }) {
            continuation.resume(throwing: Released())
        }
    }
}

/// Polls `condition` every 10 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
