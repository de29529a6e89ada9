public import EventSourcing

/// One member, folded from its `member-<id>` stream.
public struct MemberState: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable { case active, disabled, deleted }

    public struct SessionState: Hashable, Sendable {
        public var id: String
        public var tokenHash: [UInt8]
        public var createdAt: Timestamp
        public var expiresAt: Timestamp
        public var method: String
    }

    /// Failed logins counted for the lockout (API.md: 5 in 15 minutes lock 15 minutes).
    public static let lockoutFailures = 5
    public static let lockoutWindowSeconds: Int64 = 900

    public var id: String
    public var username: String
    public var passwordHash: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var status = Status.active
    /// The latest sealed personal data with its lookup keys (empty `sealed` once deleted).
    public var personal: MemberEvent.PersonalUpdate
    public var emailVerified = false
    /// The key of the `bind_email` code in flight.
    public var pendingEmailVerification: String?
    public var answerHash: [UInt8]?
    public var sessions: [String: SessionState] = [:]
    /// Failed logins of the last lockout window, oldest first (by event time).
    public var recentFailures: [Timestamp] = []
    public var version: StreamVersion = 0

    public init(id: String, registered: MemberEvent.Registered, at time: Timestamp) {
        self.id = id
        username = registered.username
        passwordHash = registered.passwordHash
        createdAt = time
        updatedAt = time
        personal = registered.personal
    }

    /// When the lockout ends, if the account is locked at `now`.
    public func lockedUntil(at now: Timestamp) -> Timestamp? {
        let window = recentFailures.filter { $0.adding(seconds: Self.lockoutWindowSeconds) > now }
        guard window.count >= Self.lockoutFailures else { return nil }
        let until = window[window.count - Self.lockoutFailures].adding(seconds: Self.lockoutWindowSeconds)
        return until > now ? until : nil
    }

    /// Sessions still valid at `now`.
    public func activeSessions(at now: Timestamp) -> [SessionState] {
        sessions.values.filter { $0.expiresAt > now }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// At most this many sessions at once: a login beyond it ends the oldest ones.
    public static let maxSessions = 100

    /// What an event did to the sessions (for the token index).
    public struct SessionChanges {
        public var started: SessionState?
        public var ended: [SessionState] = []
    }

    /// The state after `event` at event time `time` (events of other streams leave it
    /// unchanged). Expired sessions are dropped when a new one starts.
    @discardableResult
    public mutating func apply(_ event: MemberEvent, at time: Timestamp) -> SessionChanges {
        var changes = SessionChanges()
        version += 1
        switch event {
        case .registered:
            break
        case .profileUpdated(let update, _), .addressesChanged(let update):
            personal = update
            updatedAt = time
        case .emailBindingRequested(let update, let key):
            personal = update
            pendingEmailVerification = key
        case .emailBound(let update, _):
            personal = update
            emailVerified = true
            pendingEmailVerification = nil
            updatedAt = time
        case .securityQuestionSet(let update, let answerHash):
            personal = update
            self.answerHash = answerHash
            updatedAt = time
        case .passwordChanged(let hash, _, _):
            passwordHash = hash
            recentFailures = []
            updatedAt = time
        case .sessionStarted(let s):
            for (id, session) in sessions where session.expiresAt <= time {
                sessions[id] = nil
                changes.ended.append(session)
            }
            let session = SessionState(id: s.id, tokenHash: s.tokenHash, createdAt: time, expiresAt: s.expiresAt, method: s.method)
            sessions[s.id] = session
            changes.started = session
            recentFailures = []
        case .sessionsEnded(let ids, _):
            for id in ids { if let ended = sessions.removeValue(forKey: id) { changes.ended.append(ended) } }
        case .loginFailed:
            recentFailures.append(time)
            recentFailures.removeAll { $0.adding(seconds: Self.lockoutWindowSeconds) <= time }
        case .disabled:
            status = .disabled
            updatedAt = time
        case .deleted:
            status = .deleted
            personal = MemberEvent.PersonalUpdate(sealed: [], displayNameKey: "")
            answerHash = nil
            changes.ended += sessions.values
            sessions = [:]
            pendingEmailVerification = nil
            updatedAt = time
        case .claimTaken, .claimReleased, .resetRequested, .resetCheckFailed, .resetCompleted:
            break
        }
        return changes
    }

    /// The sessions a new one must end to stay within `maxSessions`, oldest first.
    public var sessionsToEndForANewOne: [String] {
        guard sessions.count >= Self.maxSessions else { return [] }
        return sessions.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            .prefix(sessions.count - Self.maxSessions + 1).map(\.id)
    }
}
