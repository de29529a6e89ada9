public import EventSourcing
import Verification

/// Every member, every claim (unique names, members per phone, email lookups), the
/// session token index and the password resets in flight: what member commands decide on
/// and what the member routes read.
///
/// Personal data stays sealed here, as in the events: readers open it with the member's
/// key (`PersonalDataCache`), so a deleted member's data is unreadable here too, and
/// snapshots never hold plaintext personal data.
public struct MembersReadModel: Projection {
    public static let name = "members"
    public static let formatVersion: UInt32 = 1

    public internal(set) var members: [String: MemberState] = [:]
    public internal(set) var claims: [String: ClaimState] = [:]
    /// SHA-256 of a token -> (member id, session id).
    public internal(set) var tokens: [[UInt8]: TokenEntry] = [:]
    public internal(set) var resets: [String: ResetState] = [:]
    /// Resets in request order with the time they may be dropped.
    var resetExpiries = ExpiryQueue()

    public struct TokenEntry: Hashable, Sendable {
        public var memberID: String
        public var sessionID: String
    }

    /// A password reset in flight (`password-reset-<id>`).
    public struct ResetState: Hashable, Sendable {
        public var request: MemberEvent.ResetRequest
        public var requestedAt: Timestamp
        public var attemptsLeft = 5
        public var completed = false
        public var version: StreamVersion = 1
    }

    public init() {}

    /// A member that is not deleted.
    public func member(_ id: String) -> MemberState? {
        guard let member = members[id], member.status != .deleted else { return nil }
        return member
    }

    public func claim(_ kind: ClaimKind, _ key: String) -> ClaimState {
        claims["\(kind.rawValue)-\(key)"] ?? ClaimState()
    }

    /// The member holding `username` (any case).
    public func memberID(username: String) -> String? { claim(.username, username.lowercased()).holders.first }

    public mutating func apply(_ event: RecordedEvent) {
        guard let decoded = try? MemberEvent(event) else { return }
        let stream = event.stream.rawValue
        switch event.stream.category {
        case "member":
            let id = String(event.stream.id)
            if case .registered(let registered) = decoded {
                members[id] = MemberState(id: id, registered: registered, at: event.timestamp)
            }
            guard let changes = members[id]?.apply(decoded, at: event.timestamp) else { return }
            for session in changes.ended { tokens[session.tokenHash] = nil }
            if let session = changes.started { tokens[session.tokenHash] = TokenEntry(memberID: id, sessionID: session.id) }
        case "passwordreset":
            let id = String(event.stream.id)
            switch decoded {
            case .resetRequested(let request):
                resets[id] = ResetState(request: request, requestedAt: event.timestamp)
                resetExpiries.append(id, due: request.expiresAt.adding(seconds: 86_400))
            case .resetCheckFailed(let left):
                resets[id]?.attemptsLeft = left
                resets[id]?.version += 1
            case .resetCompleted:
                resets[id]?.completed = true
                resets[id]?.version += 1
            default: break
            }
        default:
            var claim = claims[stream] ?? ClaimState()
            claim.version += 1
            switch decoded {
            case .claimTaken(let memberID): claim.holders.append(memberID)
            case .claimReleased(let memberID): claim.holders.removeAll { $0 == memberID }
            default: break
            }
            claims[stream] = claim
        }
        for id in resetExpiries.popDue(at: event.timestamp) { resets[id] = nil }
    }
}
