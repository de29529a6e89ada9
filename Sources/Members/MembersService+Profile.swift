public import EventSourcing
public import Verification

extension MembersService {
    /// `PATCH /v1/members/me`: the fields given change; a new display name moves its claim.
    public struct ProfilePatch: Sendable {
        public var displayName: String?
        public var gender: String?
        public var avatarURL: String?
        public init(displayName: String? = nil, gender: String? = nil, avatarURL: String? = nil) {
            (self.displayName, self.gender, self.avatarURL) = (displayName, gender, avatarURL)
        }
    }

    public func updateProfile(
        _ principal: Principal, _ patch: ProfilePatch, metadata: EventMetadata = .none,
        idempotency: (@Sendable (MemberView) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<MemberView> {
        let displayName = try patch.displayName.map { (raw) throws(MemberError) in try MemberRules.displayName(raw) }
        let gender = try patch.gender.map { (raw) throws(MemberError) in try MemberRules.gender(raw) }
        let avatarURL = try patch.avatarURL.map { (raw) throws(MemberError) in try MemberRules.avatarURL(raw) }
        return try await command(idempotency: idempotency) { now in
            let (member, old) = try requireMember(principal)
            var personal = old
            if let displayName { personal.displayName = displayName }
            if let gender { personal.gender = gender }
            if let avatarURL { personal.avatarURL = avatarURL }
            let update = try personalUpdate(personal, memberID: member.id, emailVerified: member.emailVerified)
            var appends = [try memberAppend(member, [.profileUpdated(update, actor: "member")], now: now, metadata: metadata)]
            appends += try claimAppends(
                .displayName, from: member.personal.displayNameKey, to: update.displayNameKey, memberID: member.id, now: now,
                metadata: metadata)
            return (appends, view(member, personal, updatedAt: now))
        }
    }

    /// `GET /v1/members/{id}`: nil when unknown, disabled or deleted.
    public func publicProfile(_ id: String) -> PublicMember? {
        guard let member = activeMember(id), let personal = cache.open(member, keys: keys) else { return nil }
        return PublicMember(member, personal)
    }

    /// `GET /v1/members?q=`: active members whose display name or username contains `query`
    /// (any case), by username.
    public func search(_ query: String, page: Int, pageSize: Int) -> Page<PublicMember> {
        let needle = query.lowercased()
        let candidates = members.read { model, _ in model.members.values.filter { $0.status == .active } }
        var matches: [PublicMember] = []
        for member in candidates {
            guard let personal = cache.open(member, keys: keys) else { continue }
            if needle.isEmpty || member.username.lowercased().contains(needle) || personal.displayName.lowercased().contains(needle) {
                matches.append(PublicMember(member, personal))
            }
        }
        matches.sort { $0.username.lowercased() < $1.username.lowercased() }
        let start = min(matches.count, (page - 1) * pageSize)
        return Page(items: Array(matches[start..<min(matches.count, start + pageSize)]), page: page, pageSize: pageSize, totalRows: matches.count)
    }

    /// `PUT /v1/members/me/password`: checks the current password (a wrong one counts
    /// towards the lockout), ends every session, and starts a new one for the caller.
    public func changePassword(
        _ principal: Principal, current: String, new: String, metadata: EventMetadata = .none,
        idempotency: (@Sendable (SessionGrant) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<SessionGrant> {
        let (found, personal) = try requireMember(principal)
        try requireNotLocked(found)
        try MemberRules.password(new, username: found.username, displayName: personal.displayName, field: "new_password")
        guard try await verifyPassword(current, found) else {
            try await recordLoginFailure(found.id, metadata: metadata)
            throw MemberError.invalidCredentials
        }
        let hash = try await hashPassword(new)
        return try await command(idempotency: idempotency) { now in
            let (member, _) = try requireMember(principal)
            guard member.passwordHash == found.passwordHash else { throw MemberError.invalidCredentials }
            let (grant, session) = newSession(memberID: member.id, method: "password_change", now: now)
            let events: [MemberEvent] = [
                .passwordChanged(hash: hash.encoded, reason: "changed", actor: "member"),
                .sessionsEnded(ids: member.sessions.keys.sorted(), reason: "password_changed"), session,
            ]
            return ([try memberAppend(member, events, now: now, metadata: metadata)], grant)
        }
    }

    /// `PUT /v1/members/me/security-question`: the answer is hashed like a password
    /// (trimmed and lower-cased first, so a later check forgives case and spaces).
    public func setSecurityQuestion(
        _ principal: Principal, question: String, answer: String, metadata: EventMetadata = .none,
        idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        let question = try MemberRules.text(question.trimmingWhitespace, field: "question", max: 200, allowEmpty: false)
        let answer = try MemberRules.text(answer.trimmingWhitespace.lowercased(), field: "answer", max: 200, allowEmpty: false)
        _ = try requireMember(principal)
        let hash = try await hashPassword(answer)
        return try await command(idempotency: Self.constant(idempotency)) { now in
            let (member, old) = try requireMember(principal)
            var personal = old
            personal.securityQuestion = question
            let update = try personalUpdate(personal, memberID: member.id, emailVerified: member.emailVerified)
            let event = MemberEvent.securityQuestionSet(update, answerHash: Array(hash.encoded.utf8))
            return ([try memberAppend(member, [event], now: now, metadata: metadata)], ())
        }
    }

    func view(_ member: MemberState, _ personal: PersonalData, updatedAt: Timestamp? = nil) -> MemberView {
        MemberView(
            id: member.id, username: member.username, personal: personal, emailVerified: member.emailVerified,
            createdAt: member.createdAt, updatedAt: updatedAt ?? member.updatedAt)
    }
}

extension PublicMember {
    init(_ member: MemberState, _ personal: PersonalData) {
        self.init(
            id: member.id, username: member.username, displayName: personal.displayName, gender: personal.gender,
            avatarURL: personal.avatarURL, createdAt: member.createdAt)
    }
}
