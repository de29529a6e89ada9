public import EventSourcing

/// Every live code and every destination's send history: what `GET
/// /v1/verifications/{key}` answers from, what send/check decisions are made on, and
/// the outbox (codes whose delivery is pending).
///
/// Codes are kept until a day after they expire (judged by event time, every 4,096
/// events, so replays prune identically), then dropped; a destination keeps its
/// stream version for ever, trimmed to the last hour of sends.
public struct VerificationsReadModel: Projection {
    public static let name = "verifications"
    public static let formatVersion: UInt32 = 1
    static let retentionSeconds: Int64 = 86_400
    static let pruneEvery = 4096

    public private(set) var codes: [String: CodeState] = [:]
    public private(set) var destinations: [String: DestinationState] = [:]
    /// Keys whose delivery is pending (derived from `codes`, kept so the outbox is cheap to read).
    private var pendingKeys: Set<String> = []
    private var eventsSincePrune = 0

    public init() {}

    /// The code under `key`, unless unknown or destroyed.
    public func code(_ key: String) -> CodeState? {
        guard let code = codes[key], !code.destroyed else { return nil }
        return code
    }

    /// The destination's state (empty when it never received a code).
    public func destination(_ id: String) -> DestinationState { destinations[id] ?? DestinationState() }

    /// The code that a send to `destinationID` for `operation` would replace.
    public func latestCode(destinationID: String, operation: String) -> CodeState? {
        destinations[destinationID]?.latestKey[operation].flatMap { codes[$0] }
    }

    /// Codes whose message still has to go out, oldest first (the outbox).
    public var pendingDeliveries: [CodeState] { pendingDeliveries(limit: .max) { _ in true } }

    /// At most `limit` pending deliveries that `isDue`, oldest first among those taken.
    /// Cheap enough to call under the read model's lock whatever the backlog.
    public func pendingDeliveries(limit: Int, where isDue: (CodeState) -> Bool) -> [CodeState] {
        var taken: [CodeState] = []
        for key in pendingKeys {
            guard let code = codes[key], !code.destroyed, isDue(code) else { continue }
            taken.append(code)
            if taken.count == limit { break }
        }
        return taken.sorted { ($0.issuedAt, $0.issued.key) < ($1.issuedAt, $1.issued.key) }
    }

    public mutating func apply(_ event: RecordedEvent) {
        guard let decoded = try? VerificationEvent(event) else { return }
        switch decoded {
        case .codeIssued(let issued):
            codes[issued.key] = CodeState(issued: issued, issuedAt: event.timestamp)
            pendingKeys.insert(issued.key)
        case .sendRecorded:
            let id = String(event.stream.rawValue.dropFirst("destination-".count))
            destinations[id] = destination(id).evolved(by: decoded, at: event.timestamp)
        default:
            let key = String(event.stream.rawValue.dropFirst("verification-".count))
            if let code = codes[key] {
                let next = code.evolved(by: decoded)
                codes[key] = next
                if case .pending = next.delivery, !next.destroyed {} else { pendingKeys.remove(key) }
            }
        }
        eventsSincePrune += 1
        if eventsSincePrune >= Self.pruneEvery {
            eventsSincePrune = 0
            prune(before: event.timestamp.adding(seconds: -Self.retentionSeconds))
        }
    }

    // For the snapshot extension (same module, other file).
    var eventsSincePruneForSnapshot: Int {
        get { eventsSincePrune }
        set { eventsSincePrune = newValue }
    }
    mutating func setCode(_ code: CodeState) {
        codes[code.issued.key] = code
        if case .pending = code.delivery, !code.destroyed { pendingKeys.insert(code.issued.key) }
    }
    mutating func setDestination(_ id: String, _ state: DestinationState) { destinations[id] = state }

    private mutating func prune(before cutoff: Timestamp) {
        codes = codes.filter { _, code in
            if case .pending = code.delivery { return true }
            return code.issued.expiresAt >= cutoff
        }
    }
}
