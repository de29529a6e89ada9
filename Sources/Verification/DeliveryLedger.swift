import EventSourcing

/// What the delivery worker remembers in memory, beside the outbox read model: which
/// codes are being sent right now, which failed sends wait for their retry time, and
/// which outcomes were sent but could not be recorded yet (so they are not sent again
/// while the log refuses writes).
///
/// A pure value: the worker keeps it behind a `Mutex` and every method is short.
/// Nothing here survives a restart, and nothing needs to: after a crash the outbox
/// (issued codes with no recorded outcome) is sent again, at least once.
struct DeliveryLedger {
    /// An outcome sent but not yet recorded in the log.
    struct Unrecorded {
        var append: StreamAppend
        /// Failed recordings so far (the next waits 2^failures seconds, at most a minute).
        var failures: Int
        var retryAt: Timestamp
        /// A pass is appending it now (so two passes never record it twice).
        var isRecording = false
    }

    /// Why a code was or was not taken by a pass.
    enum Claim { case claimed, skipped, full }

    /// The longest wait between two tries, in seconds (send retries and recording retries).
    static let maxBackoffSeconds: Int64 = 60

    /// Sends waiting for their gateway: the window counts these.
    private(set) var inFlight: Set<String> = []
    /// Sends the gateway answered whose outcome is being appended: busy (not to be sent
    /// again), but their window slot is free already.
    private(set) var recording: Set<String> = []
    private(set) var unrecorded: [String: Unrecorded] = [:]
    /// When a code whose send failed may be tried again.
    private(set) var retryAt: [String: Timestamp] = [:]
    /// How many retry times were left by the last pruning.
    private var retryAtAfterPruning = 0

    /// 2^n seconds, at most `maxBackoffSeconds`.
    static func backoff(_ n: Int) -> Int64 { min(Int64(1) << Int64(min(max(n, 0), 6)), maxBackoffSeconds) }

    /// What a pass must not take at `now`: keys in flight, being recorded, unrecorded, or
    /// waiting to retry. A copy of the ledger's own collections (O(1) to take, nothing is
    /// merged; while the pass holds it, the ledger's next change to a collection copies
    /// that collection), so a pass can check candidates without the ledger's lock. Retry times that have passed
    /// are dropped once they are as many as the rest (so the map holds about a minute of
    /// failures, and pruning stays amortized O(1) per failure).
    mutating func busy(at now: Timestamp) -> Busy {
        if retryAt.count > 2 * retryAtAfterPruning + 64 {
            retryAt = retryAt.filter { $0.value > now }
            retryAtAfterPruning = retryAt.count
        }
        return Busy(inFlight: inFlight, recording: recording, unrecorded: unrecorded, retryAt: retryAt, now: now)
    }

    /// A ledger's busy keys as of one moment (see `busy(at:)`).
    struct Busy {
        let inFlight: Set<String>
        let recording: Set<String>
        let unrecorded: [String: Unrecorded]
        let retryAt: [String: Timestamp]
        let now: Timestamp

        func contains(_ key: String) -> Bool {
            inFlight.contains(key) || recording.contains(key) || unrecorded[key] != nil || (retryAt[key].map { $0 > now } ?? false)
        }
    }

    /// Outcomes being appended at most, per slot of the window: the gateway's answer frees
    /// its slot, but a log that stalls must not let sends run on with nothing recorded (a
    /// crash then sends again every code sent and not recorded).
    static let recordingsPerSlot = 4

    /// Free slots of a window of `limit`: gateway calls in flight below `limit`, and outcomes
    /// being appended below `recordingsPerSlot` x `limit`.
    func freeSlots(limit: Int) -> Int {
        max(0, min(limit - inFlight.count, Self.recordingsPerSlot * limit - recording.count - inFlight.count))
    }

    /// Takes `key` for sending unless it is busy or the window has no free slot.
    /// `stillPending` re-reads the outbox (the pass's picture of it may be stale).
    mutating func claim(_ key: String, at now: Timestamp, limit: Int, stillPending: () -> Bool) -> Claim {
        guard freeSlots(limit: limit) > 0 else { return .full }
        guard !inFlight.contains(key), !recording.contains(key), unrecorded[key] == nil, (retryAt[key].map { $0 <= now } ?? true), stillPending()
        else { return .skipped }
        inFlight.insert(key)
        return .claimed
    }

    /// The gateway answered for `key` (or the code was judged not worth sending): its slot
    /// is free for the next send while its outcome is appended.
    mutating func answered(_ key: String) {
        inFlight.remove(key)
        recording.insert(key)
    }

    /// The send of `key` is over, its outcome appended or not. A failed send waits
    /// `retryAfter` seconds; an outcome that could not be recorded is remembered and
    /// retried from `now`.
    mutating func finish(_ key: String, at now: Timestamp, retryAfter: Int64?, unrecorded append: StreamAppend?) {
        inFlight.remove(key)
        recording.remove(key)
        retryAt[key] = retryAfter.map { now.adding(seconds: $0) }
        if let append {
            unrecorded[key] = Unrecorded(append: append, failures: 1, retryAt: now.adding(seconds: Self.backoff(0)))
        }
    }

    /// The remembered outcomes due for another recording at `now` (at most `limit`,
    /// by key), marked as being recorded.
    mutating func takeRecordings(at now: Timestamp, limit: Int) -> [(key: String, append: StreamAppend)] {
        let due = unrecorded.filter { !$0.value.isRecording && $0.value.retryAt <= now }.keys.sorted().prefix(limit)
        return due.compactMap { key in
            unrecorded[key]?.isRecording = true
            return unrecorded[key].map { (key, $0.append) }
        }
    }

    /// The recordings of `keys` landed (`true`) or failed again (backing off further).
    mutating func recordingsEnded(_ keys: [String], landed: Bool, at now: Timestamp) {
        for key in keys {
            if landed {
                unrecorded[key] = nil
            } else if var entry = unrecorded[key] {
                entry.isRecording = false
                entry.retryAt = now.adding(seconds: Self.backoff(entry.failures))
                entry.failures += 1
                unrecorded[key] = entry
            }
        }
    }
}
