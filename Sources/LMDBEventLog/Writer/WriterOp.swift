import EventSourcing

/// An append request whose events are compressed, ready for the writer: every event's
/// frame, in request order, packed into one buffer (one allocation per request).
struct PreparedAppend: Sendable {
    var request: AppendRequest
    var frames = PackedFrames()
}

/// Compressed envelope bodies back to back, with where each ends and its dictionary.
struct PackedFrames: Sendable {
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [Int] = []
    private(set) var dictionaryIDs: [UInt32] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity * 96)
        ends.reserveCapacity(capacity)
        dictionaryIDs.reserveCapacity(capacity)
    }

    var count: Int { ends.count }

    /// Appends one frame from `source`.
    mutating func append(_ source: UnsafeRawBufferPointer, dictionaryID: UInt32) {
        bytes.append(contentsOf: source)
        ends.append(bytes.count)
        dictionaryIDs.append(dictionaryID)
    }

    /// Appends every frame of `other`.
    mutating func append(contentsOf other: PackedFrames) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.map { $0 + base })
        dictionaryIDs.append(contentsOf: other.dictionaryIDs)
    }

    /// The byte range of frame `index`.
    func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }
}

/// Work for the writer thread; each op is answered through its continuation after
/// the commit it joined is durable (or failed).
enum WriterOp: Sendable {
    case append(PreparedAppend, CheckedContinuation<AppendOutcome, any Error>)
    case installDictionary([UInt8], CheckedContinuation<UInt32, any Error>)
    /// Forgets up to `limit` idempotency keys stored before the time; answers how many.
    case pruneIdempotency(before: Timestamp, limit: Int, CheckedContinuation<Int, any Error>)
    /// A write transaction that rewrites one meta value with itself: a real commit
    /// (a page written and synced) that changes nothing, to learn whether writes work.
    case probe(CheckedContinuation<Void, any Error>)
    /// Deletes a checkpoint an older server stored in the `checkpoints` database, once its
    /// file exists (a small commit, once per read model after an upgrade).
    case dropStoredCheckpoint(String, CheckedContinuation<Void, any Error>)

    var isProbe: Bool {
        if case .probe = self { return true }
        return false
    }

    var eventCount: Int {
        if case .append(let prepared, _) = self { return prepared.request.eventCount }
        return 0
    }

    func fail(_ error: any Error) {
        switch self {
        case .append(_, let continuation): continuation.resume(throwing: error)
        case .installDictionary(_, let continuation): continuation.resume(throwing: error)
        case .pruneIdempotency(_, _, let continuation): continuation.resume(throwing: error)
        case .probe(let continuation): continuation.resume(throwing: error)
        case .dropStoredCheckpoint(_, let continuation): continuation.resume(throwing: error)
        }
    }
}
