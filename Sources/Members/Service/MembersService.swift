import HashTreeCollections
public import EventSourcing
import Crypto
public import Verification

/// The member commands and queries against a log: the I/O around `MemberDecisions`.
///
/// Each command validates its input, does the slow or blocking work first (password
/// hashing on the `PasswordHasher`'s threads, key-file writes on NIO's pool), then decides
/// on the `MembersReadModel` as it stands and appends with the expected versions it shows
/// (claims make unique names race on one stream), deciding again on a conflict.
public final class MembersService: Sendable {
    public let log: any EventLog
    public let members: LiveProjection<MembersReadModel>
    public let verifications: VerificationService
    public let keys: any MemberKeyStore
    public let hasher: PasswordHasher
    /// Sessions ended by the log, for the sockets to close (nil without a commit feed).
    public let revocations: SessionRevocations?
    public let gate = LoginGate()
    let lookup: LookupKeys
    let cache = PersonalDataCache()
    let search = MemberSearchIndex()
    let clock: @Sendable () -> Timestamp

    public init(
        log: any EventLog, members: LiveProjection<MembersReadModel>, verifications: VerificationService,
        keys: any MemberKeyStore, hasher: PasswordHasher, clock: @escaping @Sendable () -> Timestamp, feed: CommitFeed? = nil
    ) {
        self.log = log
        self.members = members
        self.verifications = verifications
        self.keys = keys
        self.hasher = hasher
        self.clock = clock
        lookup = LookupKeys(secrets: verifications.secrets)
        revocations = feed.map(SessionRevocations.init(feed:))
    }

    var secrets: CodeSecrets { verifications.secrets }

    /// The read model as it stands (an O(1) copy: its maps share structure).
    var model: MembersReadModel { members.read { model, _ in model } }

    /// The member and session of a bearer token, if it is valid now.
    public func authenticate(token: String) -> Principal? {
        let hash = SessionToken.hash(token)
        let now = clock()
        return members.read { model, _ in
            guard let entry = model.tokens[hash], let member = model.member(entry.memberID), member.status == .active,
                let session = member.sessions[entry.sessionID], session.expiresAt > now,
                ConstantTime.equal(session.tokenHash, hash)
            else { return nil }
            return Principal(memberID: member.id, sessionID: session.id)
        }
    }

    /// The member's own view (nil when deleted or disabled).
    public func me(_ memberID: String) -> MemberView? {
        guard let member = activeMember(memberID), let personal = cache.open(member, keys: keys) else { return nil }
        return view(member, personal)
    }

    /// Destroys the keys of members the log says are deleted (a crash between the delete
    /// and the key destruction leaves one behind), then indexes every active member for
    /// search. Run once at start, after the read model caught up.
    public func start() async throws {
        let all = members.read { model, _ in Array(model.members.values) }
        for member in all where member.status == .deleted && keys.key(for: member.id) != nil {
            try await keys.destroyKey(for: member.id)
        }
        for member in all where member.status == .active { reindex(member.id) }
    }

    /// A sealer under `memberID`'s key (404 when the member has none: deleted).
    public func seal(for memberID: String) throws(MemberError) -> PersonalDataSeal {
        guard let key = keys.key(for: memberID) else { throw .notFound }
        return PersonalDataSeal(memberID: memberID, key: key)
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

    func hashPassword(_ password: String, client: String) async throws -> PasswordHash {
        do { return try await hasher.hash(password, client: client) } catch is PasswordHasher.Busy { throw MemberError.busy }
    }

    func verifyPassword(_ password: String, _ member: MemberState?, client: String) async throws -> Bool {
        do {
            return try await hasher.verify(password, against: member.flatMap { PasswordHash(encoded: $0.passwordHash) }, client: client)
        } catch is PasswordHasher.Busy {
            throw MemberError.busy
        }
    }

    func view(_ member: MemberState, _ personal: PersonalData, updatedAt: Timestamp? = nil) -> MemberView {
        MemberView(
            id: member.id, username: member.username, personal: personal, emailVerified: member.emailVerified,
            createdAt: member.createdAt, updatedAt: updatedAt ?? member.updatedAt)
    }

    /// Decides on the model as it stands and appends; on a conflict decides again on the
    /// fresher model. `idempotency` turns the answer into the record stored with the events.
    func command<T: Sendable>(
        idempotency: (@Sendable (T) throws -> IdempotencyRecord)?,
        prepare: () async throws -> Void = {},
        _ decide: (MembersReadModel, Timestamp) throws -> Decision<T>
    ) async throws -> CommandResult<T> {
        try await retryingOnConflict {
            try await prepare()
            let decision = try decide(model, clock())
            return try await log.appendCommand(AppendRequest(decision.appends, idempotency: try idempotency?(decision.answer)), answer: decision.answer)
        }
    }

}
