import HashTreeCollections
public import EventSourcing
import Verification

extension MembersService {
    /// `POST /v1/sessions` with a username and password. Every failure is `invalidCredentials`
    /// and costs one password hash whether or not the account exists (a malformed username
    /// is an unknown one). For a real account an attempt is reserved first (`LoginGate`):
    /// with 5 failures in the last 15 minutes, or as many attempts already being judged,
    /// it is refused with 429 before any hashing, whatever the password.
    public func login(
        username: String, password: String, client: String = "", metadata: EventMetadata = .none,
        idempotency: (@Sendable (SessionGrant) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<SessionGrant> {
        let found = (try? MemberRules.username(username)).flatMap { name in
            members.read { model, _ in model.memberID(username: name).flatMap { model.member($0) } }
        }
        let reservation = try found.map { member throws(MemberError) in
            try gate.reserve(member.id, now: clock()) { members.read { model, _ in model.member(member.id) } }
        }
        defer { reservation?.release() }
        let matches = try await verifyPassword(password, found, client: client)
        guard let found, found.status == .active else { throw MemberError.invalidCredentials }
        guard matches else {
            _ = try await log.append(AppendRequest([try MemberDecisions.loginFailed(found.id, now: clock(), metadata: metadata)]))
            throw MemberError.invalidCredentials
        }
        return try await command(idempotency: idempotency) { model, now in
            var random = SystemRandomNumberGenerator()
            return try MemberDecisions.startSession(
                for: found.id, checkedHash: found.passwordHash, method: "password", in: model, now: now, metadata: metadata, random: &random)
        }
    }

    /// `POST /v1/sessions` with a phone and a key approved for `login` on it. With several
    /// members on the phone, `memberID` picks one (without it: `memberChoiceRequired`).
    public func login(
        phone rawPhone: String, verificationKey: String, memberID: String?, metadata: EventMetadata = .none,
        idempotency: (@Sendable (SessionGrant) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<SessionGrant> {
        guard let phone = try? MemberRules.phone(rawPhone) else { throw MemberError.invalidCredentials }
        return try await command(idempotency: idempotency) { model, now in
            // An unapproved key fails before the phone's members are shown.
            guard (try? phoneConsumption(key: verificationKey, phone: phone, operation: "login", purpose: "")) != nil else {
                throw MemberError.invalidCredentials
            }
            let candidates = holders(.phone, lookup.phone(phone), in: model)
            let chosen: MemberState
            if let memberID {
                guard let match = candidates.first(where: { $0.0.id == memberID }) else { throw MemberError.invalidCredentials }
                chosen = match.0
            } else if candidates.count == 1 {
                chosen = candidates[0].0
            } else if candidates.isEmpty {
                throw MemberError.invalidCredentials
            } else {
                throw MemberError.memberChoiceRequired(candidates.map { .init(id: $0.0.id, displayName: $0.1.displayName) })
            }
            let used = try phoneConsumption(key: verificationKey, phone: phone, operation: "login", purpose: "login:\(chosen.id)")
            var random = SystemRandomNumberGenerator()
            return try MemberDecisions.startSession(
                for: chosen.id, checkedHash: nil, method: "phone", in: model, extra: [used.stamped(metadata)], now: now,
                metadata: metadata, random: &random)
        }
    }

    /// `DELETE /v1/sessions/current`.
    public func logout(_ principal: Principal, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil) async throws
        -> CommandResult<Void>
    {
        try await command(idempotency: IdempotencyRecord.constant(idempotency)) { model, now in
            try MemberDecisions.logout(principal, in: model, now: now, metadata: metadata)
        }
    }

    /// `GET /v1/sessions`: the member's sessions valid now, oldest first.
    public func sessions(_ principal: Principal) throws(MemberError) -> [MemberState.SessionState] {
        try requireMember(principal).0.activeSessions(at: clock())
    }

    /// `PUT /v1/members/me/password`: checks the current password (a wrong one counts
    /// towards the lockout, reserved like a login), ends every session, starts a new one.
    public func changePassword(
        _ principal: Principal, current: String, new: String, client: String = "", metadata: EventMetadata = .none,
        idempotency: (@Sendable (SessionGrant) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<SessionGrant> {
        let (found, personal) = try requireMember(principal)
        try MemberRules.password(new, username: found.username, displayName: personal.displayName, field: "new_password")
        try await requirePassword(current, of: found, client: client, metadata: metadata)
        let hash = try await hashPassword(new, client: client)
        return try await command(idempotency: idempotency) { model, now in
            var random = SystemRandomNumberGenerator()
            return try MemberDecisions.changePassword(
                principal, checkedHash: found.passwordHash, newHash: hash.encoded, in: model, now: now, metadata: metadata, random: &random)
        }
    }

    /// Checks `password` against `member`'s with a reserved attempt; a wrong one is recorded
    /// as a failed login and answered `invalidCredentials`.
    func requirePassword(_ password: String, of member: MemberState, client: String, metadata: EventMetadata) async throws {
        let reservation = try gate.reserve(member.id, now: clock()) { members.read { model, _ in model.member(member.id) } }
        defer { reservation.release() }
        guard try await verifyPassword(password, member, client: client) else {
            _ = try await log.append(AppendRequest([try MemberDecisions.loginFailed(member.id, now: clock(), metadata: metadata)]))
            throw MemberError.invalidCredentials
        }
    }

    /// Active members holding a claim, with their personal data (for choosing among a phone's members).
    func holders(_ kind: ClaimKind, _ key: String, in model: MembersReadModel) -> [(MemberState, PersonalData)] {
        model.claim(kind, key).holders.compactMap { id in
            guard let member = model.member(id), member.status == .active, let personal = cache.open(member, keys: keys) else { return nil }
            return (member, personal)
        }
    }
}
