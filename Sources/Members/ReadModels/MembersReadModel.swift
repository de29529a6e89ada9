public import HashTreeCollections
public import EventSourcing

/// Every member, every claim (unique names, members per phone, email lookups), the
/// session token index and the password resets in flight: what member commands decide on
/// and what the member routes read.
///
/// Personal data stays sealed here, as in the events: readers open it with the member's
/// key, so a deleted member's data is unreadable here too, and snapshots never hold
/// plaintext personal data. The maps are hash-array mapped tries (`TreeDictionary`), so a
/// checkpoint's copy shares structure with the live model instead of copying it.
public struct MembersReadModel: Projection {
    public static let name = "members"
    public static let formatVersion: UInt32 = 2
    /// Resets are kept this long after they expire.
    static let resetRetentionSeconds: Int64 = 86_400

    /// Boxed: a member's state is a few hundred bytes, and the trie moves its items.
    public internal(set) var members: TreeDictionary<String, Boxed<MemberState>> = [:]
    /// `<kind>-<key>` -> holders.
    public internal(set) var claims: TreeDictionary<String, ClaimState> = [:]
    /// SHA-256 of a token -> (member id, session id).
    public internal(set) var tokens: TreeDictionary<[UInt8], TokenEntry> = [:]
    public internal(set) var resets: TreeDictionary<String, ResetState> = [:]
    /// The newest reset of each target (username, email or phone, as a keyed hash).
    public internal(set) var latestResetByTarget: TreeDictionary<String, String> = [:]
    /// Resets in request order with the time they may be dropped.
    var resetExpiries = ExpiryQueue()

    public struct TokenEntry: Hashable, Sendable {
        public var memberID: String
        public var sessionID: String
    }

    /// A password reset in flight (`passwordreset-<id>`).
    public struct ResetState: Hashable, Sendable {
        public static let maxAttempts = 5
        public var request: ResetRequested
        public var requestedAt: Timestamp
        public var attemptsLeft = ResetState.maxAttempts
        public var completed = false
        /// A newer reset for the same target replaced this one.
        public var canceled = false
        public var version: StreamVersion = 1
    }

    public init() {}

    /// A member that is not deleted.
    public func member(_ id: String) -> MemberState? {
        guard let member = members[id]?.value, member.status != .deleted else { return nil }
        return member
    }

    public func claim(_ kind: ClaimKind, _ key: String) -> ClaimState {
        claims["\(kind.rawValue)-\(key)"] ?? ClaimState()
    }

    /// The member holding `username` (any case).
    public func memberID(username: String) -> String? { claim(.username, username.lowercased()).holders.first }

    public mutating func apply(_ event: RecordedEvent) throws {
        guard let decoded = try MemberEvent(event) else { return }
        let id = String(event.stream.id)
        if event.stream.isIn(.member) {
            if case .registered(let registered) = decoded {
                members[id] = Boxed(MemberState(id: id, registered: registered, at: event.timestamp))
            }
            guard let changes = members[id]?.value.apply(decoded, at: event.timestamp) else { return }
            for session in changes.ended { tokens[session.tokenHash] = nil }
            if let session = changes.started { tokens[session.tokenHash] = TokenEntry(memberID: id, sessionID: session.id) }
        } else if event.stream.isIn(.passwordReset) {
            applyReset(decoded, id: id, at: event.timestamp)
        } else {
            var claim = claims[event.stream.rawValue] ?? ClaimState()
            claim.version += 1
            switch decoded {
            case .claimTaken(let e): claim.holders.append(e.memberID)
            case .claimReleased(let e): claim.holders.removeAll { $0 == e.memberID }
            default: break
            }
            claims[event.stream.rawValue] = claim
        }
        for expired in resetExpiries.popDue(at: event.timestamp) {
            guard let reset = resets.removeValue(forKey: expired) else { continue }
            if latestResetByTarget[reset.request.targetKey] == expired { latestResetByTarget[reset.request.targetKey] = nil }
        }
    }

    private mutating func applyReset(_ event: MemberEvent, id: String, at time: Timestamp) {
        switch event {
        case .resetRequested(let request):
            if !request.targetKey.isEmpty {
                if let previous = latestResetByTarget[request.targetKey] { resets[previous]?.canceled = true }
                latestResetByTarget[request.targetKey] = id
            }
            resets[id] = ResetState(request: request, requestedAt: time)
            resetExpiries.append(id, due: request.expiresAt.adding(seconds: Self.resetRetentionSeconds))
        case .resetCheckFailed(let e):
            resets[id]?.attemptsLeft = e.attemptsLeft
            resets[id]?.version += 1
        case .resetCompleted:
            resets[id]?.completed = true
            resets[id]?.version += 1
        default:
            break
        }
    }
}
