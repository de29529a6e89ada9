public import EventSourcing
public import Verification

extension MembersService {
    /// `POST /v1/password-resets`: one of username, email or phone.
    public enum ResetIdentifier: Sendable {
        case username(String), email(String), phone(String)
    }

    /// Codes for resets live this long (the verification default).
    static let resetTTLSeconds: Int64 = 300

    /// Starts a reset. The answer has the same shape and takes the same path whether or
    /// not an account matches: a reset id (not the code's own key, so `GET
    /// /v1/verifications/{key}` tells nothing), recorded on its own stream. When an
    /// account matches, a `reset_password` code goes to its verified email or phone; when
    /// none does (or that destination is rate limited), the reset is a decoy whose checks
    /// fail like wrong codes.
    public func requestPasswordReset(
        _ identifier: ResetIdentifier, metadata: EventMetadata = .none,
        idempotency: (@Sendable (CodeSent) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<CodeSent> {
        let (candidates, destination) = try resetTargets(identifier)
        var verificationKey: String?
        if let destination, !candidates.isEmpty {
            do {
                if case .done(let sent) = try await verifications.send(
                    channel: destination.channel.rawValue, to: destination.address, operation: "reset_password",
                    ttlSeconds: Self.resetTTLSeconds, metadata: metadata)
                { verificationKey = sent.key.rawValue }
            } catch let error as VerificationError {
                guard case .rateLimited = error else { throw error }
            }
        }
        let memberIDs = verificationKey == nil ? [] : candidates.map(\.id)
        return try await command(idempotency: idempotency) { now in
            var random = SystemRandomNumberGenerator()
            let id = EntityID.make(now: now, random: &random)
            let request = MemberEvent.ResetRequest(
                verificationKey: verificationKey, memberIDs: memberIDs, expiresAt: now.adding(seconds: Self.resetTTLSeconds))
            let append = StreamAppend(
                stream: MemberStreams.reset(id), expected: .noStream,
                events: [MemberEvent.resetRequested(request).newEvent(at: now, metadata: metadata)])
            return ([append], CodeSent(verificationKey: id.rawValue, resendAfter: now.adding(seconds: verifications.limits.resendIntervalSeconds)))
        }
    }

    /// `POST /v1/password-resets/confirm`: with the right code, sets the new password and
    /// ends every session of the member. `memberID` picks the member when a phone has several.
    public func confirmPasswordReset(
        resetID: String, code: String, newPassword: String, memberID: String?, metadata: EventMetadata = .none,
        idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        try MemberRules.password(newPassword, username: nil, field: "new_password")
        let now = clock()
        guard let resetEntity = EntityID(resetID), let reset = members.read({ model, _ in model.resets[resetID] }), !reset.completed else {
            throw MemberError.notFound
        }
        guard now < reset.request.expiresAt else { throw MemberError.expired }
        guard reset.attemptsLeft > 0 else { throw MemberError.tooManyAttempts }
        guard let key = reset.request.verificationKey else {
            try await recordDecoyFailure(resetEntity, reset, metadata: metadata)
            throw MemberError.codeIncorrect(attemptsLeft: reset.attemptsLeft - 1)
        }
        guard let key = EntityID(key) else { throw MemberError.notFound }
        try await approve(key: key, code: code, metadata: metadata)
        let candidates = reset.request.memberIDs.compactMap { activeMember($0) }
        guard let chosen = memberID.flatMap({ id in candidates.first { $0.id == id } }) ?? (candidates.count == 1 ? candidates.first : nil) else {
            if candidates.isEmpty { throw MemberError.notFound }
            throw MemberError.memberChoiceRequired(candidates.compactMap { member in
                cache.open(member, keys: keys).map { .init(id: member.id, displayName: $0.displayName) }
            })
        }
        let personal = cache.open(chosen, keys: keys)
        try MemberRules.password(newPassword, username: chosen.username, displayName: personal?.displayName, field: "new_password")
        let hash = try await hashPassword(newPassword)
        return try await command(idempotency: Self.constant(idempotency)) { now in
            guard let member = activeMember(chosen.id), let reset = members.read({ model, _ in model.resets[resetID] }), !reset.completed else {
                throw MemberError.notFound
            }
            let consumption = try verifications.consumption(
                key: key, operation: "reset_password", destinations: nil, purpose: "reset_password:\(member.id)", now: now
            ).with(metadata: metadata)
            let events: [MemberEvent] = [
                .passwordChanged(hash: hash.encoded, reason: "reset", actor: "member"),
                .sessionsEnded(ids: member.sessions.keys.sorted(), reason: "password_reset"),
            ]
            let completed = StreamAppend(
                stream: MemberStreams.reset(resetEntity), expected: .exactly(reset.version),
                events: [MemberEvent.resetCompleted(memberID: member.id).newEvent(at: now, metadata: metadata)])
            return ([consumption, completed, try memberAppend(member, events, now: now, metadata: metadata)], ())
        }
    }

    /// The members an identifier names and where their code goes (nil: nowhere).
    func resetTargets(_ identifier: ResetIdentifier) throws(MemberError) -> ([MemberState], Destination?) {
        switch identifier {
        case .username(let raw):
            let username = try MemberRules.username(raw)
            guard let id = members.read({ model, _ in model.memberID(username: username) }), let member = activeMember(id),
                let personal = cache.open(member, keys: keys)
            else { return ([], nil) }
            if member.emailVerified, let email = personal.email { return ([member], Destination(channel: .email, raw: email)) }
            return ([member], personal.phone.flatMap { Destination(channel: .sms, raw: $0) })
        case .email(let raw):
            let email = try MemberRules.email(raw)
            return (holders(.email, secrets.lookupID(kind: "email", value: email)).map(\.0), Destination(channel: .email, raw: email))
        case .phone(let raw):
            let phone = try MemberRules.phone(raw)
            return (holders(.phone, secrets.lookupID(kind: "phone", value: phone)).map(\.0), Destination(channel: .sms, raw: phone))
        }
    }

    func recordDecoyFailure(_ resetID: EntityID, _ reset: MembersReadModel.ResetState, metadata: EventMetadata) async throws {
        _ = try await log.append(AppendRequest(
            stream: MemberStreams.reset(resetID), expected: .exactly(reset.version),
            events: [MemberEvent.resetCheckFailed(attemptsLeft: reset.attemptsLeft - 1).newEvent(at: clock(), metadata: metadata)]))
    }
}
