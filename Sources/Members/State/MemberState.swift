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

    /// An address-book entry as the fold keeps it: sealed fields, kind and default in the clear.
    public struct AddressSlot: Hashable, Sendable {
        public var id: String
        public var kind: PersonalData.Address.Kind
        public var isDefault: Bool
        public var sealed: SealedPart
    }

    /// Failed logins counted for the lockout (API.md: 5 in 15 minutes lock 15 minutes).
    public static let lockoutFailures = 5
    public static let lockoutWindowSeconds: Int64 = 900
    /// At most this many sessions at once: a login beyond it ends the oldest ones.
    public static let maxSessions = 100
    /// At most this many address-book entries.
    public static let maxAddresses = 20

    public var id: String
    public var username: String
    public var passwordHash: String
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var status = Status.active
    // Personal data, sealed part by part (all `.erased` once deleted):
    public var profile: SealedPart
    public var contact: SealedPart?
    public var question: SealedPart?
    /// Entries in the order they were added (ids are time-ordered).
    public var addresses: [AddressSlot] = []
    /// A `.v1` whole address book not migrated yet.
    public var legacyAddressBook: SealedPart?
    // Lookup keys (keyed hashes) of the claims the member holds:
    public var displayNameKey: String
    public var phoneKey: String?
    public var emailKey: String?
    public var emailVerified = false
    /// The key of the `bind_email` code in flight.
    public var pendingEmailVerification: String?
    public var answerHash: [UInt8]?
    public var sessions: [String: SessionState] = [:]
    /// Failed logins of the last lockout window, oldest first (by event time).
    public var recentFailures: [Timestamp] = []
    public var version: StreamVersion = 0

    public init(id: String, registered: MemberRegistered, at time: Timestamp) {
        self.id = id
        username = registered.username
        passwordHash = registered.passwordHash
        createdAt = time
        updatedAt = time
        profile = registered.profile
        contact = registered.contact
        displayNameKey = registered.displayNameKey
        phoneKey = registered.phoneKey
    }

    /// When the lockout ends, if the account is locked at `now` with `pending` more
    /// failures assumed (attempts being judged right now).
    public func lockedUntil(at now: Timestamp, pending: Int = 0) -> Timestamp? {
        let window = recentFailures.filter { $0.adding(seconds: Self.lockoutWindowSeconds) > now }
        guard window.count + pending >= Self.lockoutFailures else { return nil }
        guard window.count >= Self.lockoutFailures else { return now.adding(seconds: 1) }
        let until = window[window.count - Self.lockoutFailures].adding(seconds: Self.lockoutWindowSeconds)
        return until > now ? until : nil
    }

    /// Failed logins inside the window at `now`.
    public func failures(at now: Timestamp) -> Int {
        recentFailures.count { $0.adding(seconds: Self.lockoutWindowSeconds) > now }
    }

    /// Sessions still valid at `now`, oldest first.
    public func activeSessions(at now: Timestamp) -> [SessionState] {
        sessions.values.filter { $0.expiresAt > now }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// The sessions a new one must end to stay within `maxSessions`, oldest first.
    public var sessionsToEndForANewOne: [String] {
        guard sessions.count >= Self.maxSessions else { return [] }
        return sessions.values.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            .prefix(sessions.count - Self.maxSessions + 1).map(\.id)
    }

    /// What an event did to the sessions (for the token index).
    public struct SessionChanges {
        public var started: SessionState?
        public var ended: [SessionState] = []
    }

    /// The state after `event` at event time `time`. Expired sessions are dropped when a
    /// new one starts. Reads only the event, so every replay folds the same state.
    @discardableResult
    public mutating func apply(_ event: MemberEvent, at time: Timestamp) -> SessionChanges {
        var changes = SessionChanges()
        version += 1
        switch event {
        case .registered:
            break
        case .profileUpdated(let e):
            (profile, displayNameKey, updatedAt) = (e.profile, e.displayNameKey, time)
        case .emailBindingRequested(let e):
            (contact, pendingEmailVerification) = (e.contact, e.verificationKey)
        case .emailBound(let e):
            (contact, emailKey, emailVerified, pendingEmailVerification, updatedAt) = (e.contact, e.emailKey, true, nil, time)
        case .securityQuestionSet(let e):
            (question, answerHash, updatedAt) = (e.question, e.answerHash, time)
        case .addressSaved(let e):
            let slot = AddressSlot(id: e.id, kind: e.kind, isDefault: e.isDefault, sealed: e.sealed)
            if let index = addresses.firstIndex(where: { $0.id == e.id }) { addresses[index] = slot } else { addresses.append(slot) }
            if e.isDefault {
                for index in addresses.indices where addresses[index].kind == e.kind && addresses[index].id != e.id {
                    addresses[index].isDefault = false
                }
            }
            updatedAt = time
        case .addressRemoved(let e):
            addresses.removeAll { $0.id == e.id }
            updatedAt = time
        case .legacyAddressesChanged(let e):
            (legacyAddressBook, addresses, updatedAt) = (e.sealed, [], time)
        case .addressBookMigrated:
            legacyAddressBook = nil
        case .passwordChanged(let e):
            (passwordHash, recentFailures, updatedAt) = (e.hash, [], time)
        case .sessionStarted(let s):
            for (id, session) in sessions where session.expiresAt <= time {
                sessions[id] = nil
                changes.ended.append(session)
            }
            let session = SessionState(id: s.id, tokenHash: s.tokenHash, createdAt: time, expiresAt: s.expiresAt, method: s.method)
            sessions[s.id] = session
            changes.started = session
            recentFailures = []
        case .sessionsEnded(let e):
            for id in e.ids { if let ended = sessions.removeValue(forKey: id) { changes.ended.append(ended) } }
        case .loginFailed:
            recentFailures.append(time)
            recentFailures.removeAll { $0.adding(seconds: Self.lockoutWindowSeconds) <= time }
        case .disabled:
            (status, updatedAt) = (.disabled, time)
        case .deleted:
            status = .deleted
            (profile, contact, question, addresses, legacyAddressBook) = (.erased, nil, nil, [], nil)
            (displayNameKey, phoneKey, emailKey, answerHash, pendingEmailVerification) = ("", nil, nil, nil, nil)
            changes.ended += sessions.values
            sessions = [:]
            updatedAt = time
        case .claimTaken, .claimReleased, .resetRequested, .resetCheckFailed, .resetCompleted:
            break
        }
        return changes
    }
}
