public import EventSourcing

/// Everything that happens to members, their sessions, their unique names and password
/// resets. The type strings are the storage format: never rename them.
///
/// No event holds a plaintext password, token, code or security answer (only hashes),
/// and personal data only sealed under the member's key (`PersonalUpdate.sealed`).
public enum MemberEvent: Hashable, Sendable {
    // On `member-<id>`:
    case registered(Registered)
    /// Display name, gender or avatar (by the member, or the avatar removed by an admin).
    case profileUpdated(PersonalUpdate, actor: String)
    /// A `bind_email` code went to `personal.pendingEmail` under `verificationKey`.
    case emailBindingRequested(PersonalUpdate, verificationKey: String)
    /// The email is bound: confirmed by code (`actor` member) or set by an admin.
    case emailBound(PersonalUpdate, actor: String)
    case securityQuestionSet(PersonalUpdate, answerHash: [UInt8])
    case addressesChanged(PersonalUpdate)
    /// `reason`: `changed` (by the member), `reset` (by code), `admin`.
    case passwordChanged(hash: String, reason: String, actor: String)
    case sessionStarted(Session)
    /// `reason`: `logout`, `password_changed`, `password_reset`, `disabled`, `deleted`.
    case sessionsEnded(ids: [String], reason: String)
    case loginFailed
    case disabled(actor: String)
    case deleted(actor: String)

    // On `claim-<kind>-<key>` (unique names, members per phone, email lookup):
    case claimTaken(memberID: String)
    case claimReleased(memberID: String)

    // On `password-reset-<id>`:
    case resetRequested(ResetRequest)
    case resetCheckFailed(attemptsLeft: Int)
    case resetCompleted(memberID: String)

    public struct Registered: Hashable, Sendable {
        public var username: String
        public var passwordHash: String
        public var personal: PersonalUpdate
        /// `password` or `phone`.
        public var method: String
    }

    /// The member's whole personal data, sealed, with the keyed hashes of the parts that
    /// are looked up (display name, phone, email). The hashes are HMACs under a server key.
    public struct PersonalUpdate: Hashable, Sendable {
        public var sealed: [UInt8]
        public var displayNameKey: String
        public var phoneKey: String?
        public var emailKey: String?
    }

    public struct Session: Hashable, Sendable {
        public var id: String
        /// SHA-256 of the bearer token.
        public var tokenHash: [UInt8]
        public var expiresAt: Timestamp
        /// `password`, `phone`, `registration`, `password_change`.
        public var method: String
    }

    public struct ResetRequest: Hashable, Sendable {
        /// The code's key, nil when no account matched (a decoy that behaves alike).
        public var verificationKey: String?
        public var memberIDs: [String]
        public var expiresAt: Timestamp
    }

    public var type: String {
        switch self {
        case .registered: "member.registered.v1"
        case .profileUpdated: "member.profile-updated.v1"
        case .emailBindingRequested: "member.email-binding-requested.v1"
        case .emailBound: "member.email-bound.v1"
        case .securityQuestionSet: "member.security-question-set.v1"
        case .addressesChanged: "member.addresses-changed.v1"
        case .passwordChanged: "member.password-changed.v1"
        case .sessionStarted: "member.session-started.v1"
        case .sessionsEnded: "member.sessions-ended.v1"
        case .loginFailed: "member.login-failed.v1"
        case .disabled: "member.disabled.v1"
        case .deleted: "member.deleted.v1"
        case .claimTaken: "member.claim-taken.v1"
        case .claimReleased: "member.claim-released.v1"
        case .resetRequested: "member.password-reset-requested.v1"
        case .resetCheckFailed: "member.password-reset-check-failed.v1"
        case .resetCompleted: "member.password-reset-completed.v1"
        }
    }

    /// This event as a `NewEvent` at `time`.
    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent {
        NewEvent(type: type, payload: payload, timestamp: time, metadata: metadata)
    }
}
