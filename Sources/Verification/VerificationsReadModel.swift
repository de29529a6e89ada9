import DequeModule
public import EventSourcing
public import HashTreeCollections

/// Every live code and every destination's send history: what `GET
/// /v1/verifications/{key}` answers from, what send/check decisions are made on, and
/// the outbox (codes whose delivery is pending).
///
/// Codes are kept until a day after they expire (judged by event time, a few per event
/// through an `ExpiryQueue`, so replays prune identically), then dropped. A destination
/// keeps the last hour of its sends; once it has been idle for the retention (a day, at
/// least an hour) and its codes are gone, it is dropped too, so the model does not grow
/// with every address ever sent to. Its stream stays in the log: `VerificationService`
/// reads a forgotten destination's version back from there before deciding a send.
public struct VerificationsReadModel: Projection {
    public static let name = "verifications"
    public static let formatVersion: UInt32 = 4
    public static let defaultRetentionSeconds: Int64 = 86_400

    /// How long a code is kept after it expires (a day). A setting of the server, not part
    /// of the snapshot: only `logbookd --dev --test-retention-seconds` changes it, so a soak
    /// sees expired codes pruned within its run.
    public var retentionSeconds = Self.defaultRetentionSeconds

    /// Hash-array mapped tries: a checkpoint's copy shares structure with the live model.
    /// Boxed: a code's state is a few hundred bytes, and the trie moves its items.
    public private(set) var codes: TreeDictionary<String, Boxed<CodeState>> = [:]
    public private(set) var destinations: TreeDictionary<String, DestinationState> = [:]
    /// Keys of codes issued with their delivery pending, in issue order (derived from
    /// `codes`, kept so the outbox is cheap to read). Deliveries end mostly in issue order,
    /// so ended codes leave from the front as they end; one that ends behind a code still
    /// pending stays until the next compaction and is skipped: no hashed-set removal on the
    /// commit path (a `Set<String>` there cost a fifth of the writer's time in string compares).
    private var pendingQueue: Deque<String> = []
    /// How many codes are pending now.
    private var pendingCount = 0
    /// How many keys the outbox queue holds, ended ones not yet dropped included (for tests).
    var queuedDeliveryKeys: Int { pendingQueue.count }
    /// Codes in issue order with the time they may be dropped.
    private var expiries = ExpiryQueue()
    /// Destinations in send order with the time they may be dropped if idle since.
    private var destinationExpiries = ExpiryQueue()

    /// How long a destination is kept after its last send: the retention, at least the hour
    /// the hourly limit looks back on.
    var destinationRetentionSeconds: Int64 { max(retentionSeconds, 3600) }

    public init() {}

    /// The code under `key`, unless unknown or destroyed.
    public func code(_ key: EntityID) -> CodeState? {
        guard let code = codes[key.rawValue], !code.destroyed else { return nil }
        return code.value
    }

    /// The destination's state (empty when it never received a code).
    public func destination(_ id: String) -> DestinationState { destinations[id] ?? DestinationState() }

    /// The code that a send to `destinationID` for `operation` would replace.
    public func latestCode(destinationID: String, operation: String) -> CodeState? {
        destinations[destinationID]?.latestKey[operation].flatMap { codes[$0]?.value }
    }

    /// Codes whose message still has to go out, oldest first (the outbox).
    public var pendingDeliveries: [CodeState] { pendingDeliveries(limit: .max) { _ in true } }

    /// At most `limit` pending deliveries that `isDue`, oldest first among those taken,
    /// judging no more than `examining` pending codes, so a call under the read model's
    /// lock stays short whatever the backlog (a gateway that is down leaves every code
    /// waiting for its retry at the queue's front). Ended codes still queued are skipped
    /// without counting (at most the pending count plus 1,024 of them: `leavePending`).
    public func pendingDeliveries(limit: Int, examining: Int = .max, where isDue: (CodeState) -> Bool) -> [CodeState] {
        var taken: [CodeState] = []
        var judged = 0
        for key in pendingQueue {
            guard let code = codes[key]?.value, code.isPendingDelivery else { continue }
            judged += 1
            if judged > examining { break }
            guard isDue(code) else { continue }
            taken.append(code)
            if taken.count == limit { break }
        }
        return taken.sorted { ($0.issuedAt, $0.issued.key) < ($1.issuedAt, $1.issued.key) }
    }

    public mutating func apply(_ event: RecordedEvent) throws {
        guard let decoded = try VerificationEvent(event) else { return }
        switch decoded {
        case .codeIssued(let issued):
            codes[issued.key.rawValue] = Boxed(CodeState(issued: issued, issuedAt: event.timestamp))
            pendingQueue.append(issued.key.rawValue)
            pendingCount += 1
            expiries.append(issued.key.rawValue, due: issued.expiresAt.adding(seconds: retentionSeconds))
        case .sendRecorded:
            let id = String(event.stream.id)
            destinations[id] = destination(id).evolved(by: decoded, at: event.timestamp, version: event.version)
            destinationExpiries.append(id, due: event.timestamp.adding(seconds: destinationRetentionSeconds))
        default:
            let key = String(event.stream.id)
            if let code = codes[key]?.value {
                let next = code.evolved(by: decoded)
                codes[key] = Boxed(next)
                if code.isPendingDelivery && !next.isPendingDelivery { leavePending() }
            }
        }
        for key in expiries.popDue(at: event.timestamp) {
            guard let code = codes[key] else { continue }
            if code.isPendingDelivery {
                // Still to be delivered: look again a day later.
                expiries.append(key, due: event.timestamp.adding(seconds: retentionSeconds))
            } else {
                codes[key] = nil
            }
        }
        for id in destinationExpiries.popDue(at: event.timestamp) { forgetIfIdle(id, at: event.timestamp) }
    }

    /// Drops destination `id` when nothing was sent to it for the retention and none of its
    /// codes is kept any more (a kept code is the one a new send would cancel: look again later).
    private mutating func forgetIfIdle(_ id: String, at now: Timestamp) {
        guard let destination = destinations[id] else { return }
        // A later send queued a later entry of its own.
        if let last = destination.recentSends.last, last.adding(seconds: destinationRetentionSeconds) >= now { return }
        if destination.latestKey.values.contains(where: { codes[$0] != nil }) {
            destinationExpiries.append(id, due: now.adding(seconds: destinationRetentionSeconds))
            return
        }
        destinations[id] = nil
    }

    // For the snapshot extension (same module, other file).
    var expiryQueue: ExpiryQueue {
        get { expiries }
        set { expiries = newValue }
    }
    var destinationExpiryQueue: ExpiryQueue {
        get { destinationExpiries }
        set { destinationExpiries = newValue }
    }
    mutating func setCode(_ code: CodeState) {
        codes[code.issued.key.rawValue] = Boxed(code)
        if code.isPendingDelivery {
            pendingQueue.append(code.issued.key.rawValue)
            pendingCount += 1
        }
    }

    /// One code stopped being pending: drops the ended codes at the queue's front, and every
    /// skipped key once they dominate it.
    private mutating func leavePending() {
        pendingCount -= 1
        while let first = pendingQueue.first, codes[first]?.isPendingDelivery != true {
            pendingQueue.removeFirst()
        }
        if pendingQueue.count > 2 * pendingCount + 1024 {
            pendingQueue.removeAll { codes[$0]?.isPendingDelivery != true }
        }
    }
    mutating func setDestination(_ id: String, _ state: DestinationState) { destinations[id] = state }

}
