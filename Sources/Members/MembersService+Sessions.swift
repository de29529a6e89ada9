public import EventSourcing
public import Verification

extension MembersService {
    /// `POST /v1/sessions` with a username and password. Every failure is `invalidCredentials`
    /// and costs one password hash whether or not the account exists; a failure against a
    /// real account is recorded, and 5 of them in 15 minutes lock its logins for 15 minutes.
    public func login(
        username: String, password: String, metadata: EventMetadata = .none,
        idempotency: (@Sendable (SessionGrant) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<SessionGrant> {
        let found = members.read { model, _ in model.memberID(username: username).flatMap { model.member($0) } }
        if let found { try requireNotLocked(found) }
        let matches = try await verifyPassword(password, found)
        guard let found, found.status == .active else { throw MemberError.invalidCredentials }
        guard matches else {
            try await recordLoginFailure(found.id, metadata: metadata)
            throw MemberError.invalidCredentials
        }
        return try await command(idempotency: idempotency) { now in
            guard let member = activeMember(found.id), member.passwordHash == found.passwordHash else {
                throw MemberError.invalidCredentials
            }
            let (grant, events) = newSession(for: member, method: "password", now: now)
            return ([try memberAppend(member, events, now: now, metadata: metadata)], grant)
        }
    }

    /// `POST /v1/sessions` with a phone and a key approved for `login` on it. With several
    /// members on the phone, `memberID` picks one (without it: `memberChoiceRequired`).
    public func login(
        phone rawPhone: String, verificationKey: String, memberID: String?, metadata: EventMetadata = .none,
        idempotency: (@Sendable (SessionGrant) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<SessionGrant> {
        guard let phone = try? MemberRules.phone(rawPhone) else { throw MemberError.invalidCredentials }
        return try await command(idempotency: idempotency) { now in
            // An unapproved key fails before the phone's members are shown.
            guard (try? phoneConsumption(key: verificationKey, phone: phone, operation: "login", purpose: "")) != nil else {
                throw MemberError.invalidCredentials
            }
            let candidates = holders(.phone, secrets.lookupID(kind: "phone", value: phone))
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
            let (grant, events) = newSession(for: chosen, method: "phone", now: now)
            let used = try phoneConsumption(key: verificationKey, phone: phone, operation: "login", purpose: "login:\(chosen.id)")
            return ([used.with(metadata: metadata), try memberAppend(chosen, events, now: now, metadata: metadata)], grant)
        }
    }

    /// `DELETE /v1/sessions/current`.
    public func logout(_ principal: Principal, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil) async throws -> CommandResult<Void> {
        try await command(idempotency: Self.constant(idempotency)) { now in
            let (member, _) = try requireMember(principal)
            return ([try memberAppend(member, [.sessionsEnded(ids: [principal.sessionID], reason: "logout")], now: now, metadata: metadata)], ())
        }
    }

    /// `GET /v1/sessions`: the member's sessions valid now, oldest first.
    public func sessions(_ principal: Principal) throws(MemberError) -> [MemberState.SessionState] {
        try requireMember(principal).0.activeSessions(at: clock())
    }

    func recordLoginFailure(_ memberID: String, metadata: EventMetadata) async throws {
        _ = try await log.append(AppendRequest(
            stream: try MemberStreams.member(memberID), expected: .any,
            events: [MemberEvent.loginFailed.newEvent(at: clock(), metadata: metadata)]))
    }

    /// Throws `locked` while the member's logins are locked.
    func requireNotLocked(_ member: MemberState) throws(MemberError) {
        let now = clock()
        if let until = member.lockedUntil(at: now) { throw .locked(retryAfterSeconds: max(1, until.secondsSince(now))) }
    }
}
