public import EventSourcing
import Crypto
public import Verification

/// The member commands and queries against a log: registration, sessions, profile,
/// passwords, email binding, resets, security question, address books, admin actions and
/// erasure. Decides on the `MembersReadModel`, appends with the expected versions it
/// shows (claims make unique names race on one stream), retries on conflicts.
///
/// Slow and blocking work stays off the cooperative pool: password hashing on the
/// `PasswordHasher`'s threads, key-file writes on NIO's pool.
public final class MembersService: Sendable {
    public let log: any EventLog
    public let members: LiveProjection<MembersReadModel>
    public let verifications: VerificationService
    public let keys: any MemberKeyStore
    public let hasher: PasswordHasher
    public let revocations = SessionRevocations()
    let cache = PersonalDataCache()
    let clock: @Sendable () -> Timestamp

    public init(
        log: any EventLog, members: LiveProjection<MembersReadModel>, verifications: VerificationService,
        keys: any MemberKeyStore, hasher: PasswordHasher, clock: @escaping @Sendable () -> Timestamp
    ) {
        self.log = log
        self.members = members
        self.verifications = verifications
        self.keys = keys
        self.hasher = hasher
        self.clock = clock
        let revocations = revocations
        log.observeCommits { revocations.publish(from: $0) }
    }

    var secrets: CodeSecrets { verifications.secrets }

    /// The member and session of a bearer token, if it is valid now.
    public func authenticate(token: String) -> Principal? {
        let hash = SessionToken.hash(token)
        let now = clock()
        return members.read { model, _ in
            guard let entry = model.tokens[hash], let member = model.member(entry.memberID), member.status == .active,
                let session = member.sessions[entry.sessionID], session.expiresAt > now,
                CodeSecrets.constantTimeEqual(session.tokenHash, hash)
            else { return nil }
            return Principal(memberID: member.id, sessionID: session.id)
        }
    }

    /// The member's own view (nil when deleted or disabled).
    public func me(_ memberID: String) -> MemberView? {
        guard let member = activeMember(memberID), let personal = cache.open(member, keys: keys) else { return nil }
        return MemberView(
            id: member.id, username: member.username, personal: personal, emailVerified: member.emailVerified,
            createdAt: member.createdAt, updatedAt: member.updatedAt)
    }

    /// Destroys the keys of members the log says are deleted (a crash between the delete
    /// and the key destruction leaves one behind); run at start.
    public func shredDeletedMembers() async throws {
        let deleted = members.read { model, _ in model.members.values.filter { $0.status == .deleted }.map(\.id) }
        for id in deleted where keys.key(for: id) != nil { try await keys.destroyKey(for: id) }
    }

    // MARK: Shared steps

    func activeMember(_ id: String) -> MemberState? {
        members.read { model, _ in model.member(id).flatMap { $0.status == .active ? $0 : nil } }
    }

    func requireMember(_ principal: Principal) throws(MemberError) -> (MemberState, PersonalData) {
        guard let member = activeMember(principal.memberID), let personal = cache.open(member, keys: keys) else {
            throw .unauthenticated
        }
        return (member, personal)
    }

    /// Seals `personal` for `memberID` with the lookup keys of its display name, phone and
    /// (when `emailVerified`) email.
    func personalUpdate(_ personal: PersonalData, memberID: String, emailVerified: Bool) throws -> MemberEvent.PersonalUpdate {
        guard let key = keys.key(for: memberID) else { throw MemberError.notFound }
        var random = SystemRandomNumberGenerator()
        return MemberEvent.PersonalUpdate(
            sealed: try PersonalDataSeal.seal(personal, memberID: memberID, key: key, random: &random),
            displayNameKey: displayNameKey(personal.displayName),
            phoneKey: personal.phone.map { secrets.lookupID(kind: "phone", value: $0) },
            emailKey: emailVerified ? personal.email.map { secrets.lookupID(kind: "email", value: $0) } : nil)
    }

    func displayNameKey(_ name: String) -> String {
        secrets.lookupID(kind: "displayname", value: MemberRules.displayNameKey(name))
    }

    func hashPassword(_ password: String) async throws -> PasswordHash {
        do { return try await hasher.hash(password) } catch is PasswordHasher.Busy { throw MemberError.busy }
    }

    func verifyPassword(_ password: String, _ member: MemberState?) async throws -> Bool {
        do {
            return try await hasher.verify(password, against: member.flatMap { PasswordHash(encoded: $0.passwordHash) })
        } catch is PasswordHasher.Busy {
            throw MemberError.busy
        }
    }

    /// A new session for `member`: the token (shown once), and its events (ending the
    /// oldest sessions first when the member is at `MemberState.maxSessions`).
    func newSession(for member: MemberState, method: String, now: Timestamp) -> (SessionGrant, [MemberEvent]) {
        let (grant, started) = newSession(memberID: member.id, method: method, now: now)
        let oldest = member.sessionsToEndForANewOne
        return (grant, oldest.isEmpty ? [started] : [.sessionsEnded(ids: oldest, reason: "session_limit"), started])
    }

    /// A new session for `memberID`: the token (shown once) and its event.
    func newSession(memberID: String, method: String, now: Timestamp) -> (SessionGrant, MemberEvent) {
        var random = SystemRandomNumberGenerator()
        let token = SessionToken.make(random: &random)
        let id = EntityID.make(now: now, random: &random).rawValue
        let expiresAt = now.adding(seconds: SessionToken.lifetimeSeconds)
        let grant = SessionGrant(token: token, memberID: memberID, sessionID: id, expiresAt: expiresAt)
        let event = MemberEvent.sessionStarted(.init(id: id, tokenHash: SessionToken.hash(token), expiresAt: expiresAt, method: method))
        return (grant, event)
    }

    /// The member stream's append of `events` at the member's version.
    func memberAppend(_ member: MemberState, _ events: [MemberEvent], now: Timestamp, metadata: EventMetadata) throws(MemberError) -> StreamAppend {
        StreamAppend(
            stream: try MemberStreams.member(member.id), expected: .exactly(member.version),
            events: events.map { $0.newEvent(at: now, metadata: metadata) })
    }

    /// The idempotency closure of a command whose record does not depend on its answer.
    static func constant(_ record: IdempotencyRecord?) -> (@Sendable (Void) -> IdempotencyRecord)? {
        guard let record else { return nil }
        return { _ in record }
    }

    /// Appends with retries on conflicts; `decide` runs again on fresh state each time.
    func command<T: Sendable>(
        idempotency: (@Sendable (T) -> IdempotencyRecord)?,
        _ decide: (Timestamp) async throws -> (appends: [StreamAppend], answer: T)
    ) async throws -> CommandResult<T> {
        try await retryingOnConflict {
            let (appends, answer) = try await decide(clock())
            return try await log.appendCommand(AppendRequest(appends, idempotency: idempotency?(answer)), answer: answer)
        }
    }
}
