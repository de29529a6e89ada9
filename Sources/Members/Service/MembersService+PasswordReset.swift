import HashTreeCollections
public import EventSourcing
public import Verification

extension MembersService {
    /// `POST /v1/password-resets`: one of username, email or phone.
    public enum ResetIdentifier: Sendable {
        case username(String), email(String), phone(String)
    }

    /// Sends of reset codes count against limits of their own per address (the `reset`
    /// scope), so a reset cannot be seen from a code send to the same address.
    static let resetScope = "reset"

    /// Starts a reset. Real or decoy, the same steps: one atomic append of the reset (and,
    /// when an address is known, its send counted against that address's reset limits, a
    /// real code issued only when an account matched), the same answer (a reset id, never
    /// the code's own key), and a newer reset for the same identifier cancels this one.
    /// A real code's message is written in `locale`.
    public func requestPasswordReset(
        _ identifier: ResetIdentifier, locale: MessageLocale = .default, metadata: EventMetadata = .none,
        idempotency: (@Sendable (CodeSent) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<CodeSent> {
        let target = try resetTarget(identifier)
        // Before each attempt: an address the verifications model forgot is read back from the log.
        let prepare = {
            if let destination = self.resetRecipients(target, in: self.model).1 {
                try await self.verifications.recall(destination, scope: Self.resetScope)
            }
        }
        return try await command(idempotency: idempotency, prepare: prepare) { model, now in
            var random = SystemRandomNumberGenerator()
            let resetID = EntityID.make(now: now, random: &random)
            let (candidates, destination) = resetRecipients(target, in: model)
            var send: SendDecision?
            var record: StreamAppend?
            do {
                if let destination, !candidates.isEmpty {
                    send = try verifications.decideSend(
                        to: destination, operation: "reset_password", ttlSeconds: MemberDecisions.resetTTLSeconds, scope: Self.resetScope,
                        locale: locale, now: now, random: &random)
                } else if let destination {
                    record = try verifications.decideSendRecord(
                        to: destination, operation: "reset_password", key: resetID.rawValue, scope: Self.resetScope, now: now)
                }
            } catch VerificationError.rateLimited {
                // Rate limited: a pure decoy, answered alike.
            }
            let decision = MemberDecisions.startReset(
                resetID: resetID, targetKey: target.key, send: send, record: record, memberIDs: candidates.map(\.id),
                resendAfter: now.adding(seconds: verifications.limits.resendIntervalSeconds), now: now, metadata: metadata)
            return Decision(decision.appends, CodeSent(verificationKey: decision.answer.resetID, resendAfter: decision.answer.resendAfter))
        }
    }

    /// `POST /v1/password-resets/confirm`: with the right code, sets the new password and
    /// ends every session of the member. Every answer (status, code, message, attempts
    /// left) is the same for a real reset and a decoy: the code is compared against the
    /// real code's hash, or against nothing at the same cost, and wrong codes count down
    /// the reset's own attempts either way. `memberID` picks the member when a phone has several.
    public func confirmPasswordReset(
        resetID rawID: String, code: String, newPassword: String, memberID: String?, client: String = "", metadata: EventMetadata = .none,
        idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        try MemberRules.password(newPassword, username: nil, field: "new_password")
        try MemberRules.code(code)
        guard let resetID = EntityID(rawID) else { throw MemberError.notFound }
        // Decide whether the code is right, on the reset as it stands.
        let checked: (reset: MembersReadModel.ResetState, approval: StreamAppend?) = try {
            let reset = try MemberDecisions.usableReset(model.resets[resetID.rawValue], now: clock())
            let approval = verifications.approval(
                key: reset.request.verificationKey.flatMap { EntityID($0) }, code: code, operation: "reset_password",
                purpose: "reset_password", now: clock())
            return (reset, approval)
        }()
        guard let approval = checked.approval else {
            let wrong: CommandResult<Int> = try await command(idempotency: nil) { model, now in
                let reset = try MemberDecisions.usableReset(model.resets[resetID.rawValue], now: now)
                return MemberDecisions.resetCodeWrong(resetID: resetID, reset, now: now, metadata: metadata)
            }
            guard case .done(let left) = wrong else { throw MemberError.codeIncorrect(attemptsLeft: 0) }
            throw MemberError.codeIncorrect(attemptsLeft: left)
        }
        let chosen = try chooseResetMember(checked.reset, memberID: memberID)
        try MemberRules.password(newPassword, username: chosen.username, displayName: cache.open(chosen, keys: keys)?.displayName, field: "new_password")
        let hash = try await hashPassword(newPassword, client: client)
        return try await command(idempotency: IdempotencyRecord.constant(idempotency)) { model, now in
            let reset = try MemberDecisions.usableReset(model.resets[resetID.rawValue], now: now)
            guard let member = model.member(chosen.id), member.status == .active else { throw MemberError.notFound }
            return try MemberDecisions.completeReset(
                resetID: resetID, reset, member: member, newHash: hash.encoded, approval: approval, now: now, metadata: metadata)
        }
    }

    /// The member a correct code resets: the one named, or the only one.
    func chooseResetMember(_ reset: MembersReadModel.ResetState, memberID: String?) throws(MemberError) -> MemberState {
        let candidates = reset.request.memberIDs.compactMap { activeMember($0) }
        if let memberID, let match = candidates.first(where: { $0.id == memberID }) { return match }
        if memberID == nil, candidates.count == 1, let only = candidates.first { return only }
        if candidates.isEmpty { throw .notFound }
        throw .memberChoiceRequired(candidates.compactMap { member in
            cache.open(member, keys: keys).map { .init(id: member.id, displayName: $0.displayName) }
        })
    }

    /// A validated reset identifier: what it names (for the reset's target key) and its kind.
    struct ResetTarget {
        var identifier: ResetIdentifier
        var key: String
    }

    func resetTarget(_ identifier: ResetIdentifier) throws(MemberError) -> ResetTarget {
        switch identifier {
        case .username(let raw):
            let username = try MemberRules.username(raw).lowercased()
            return ResetTarget(identifier: .username(username), key: lookup.resetTarget(kind: "username", value: username))
        case .email(let raw):
            let email = try MemberRules.email(raw)
            return ResetTarget(identifier: .email(email), key: lookup.resetTarget(kind: "email", value: email))
        case .phone(let raw):
            let phone = try MemberRules.phone(raw)
            return ResetTarget(identifier: .phone(phone), key: lookup.resetTarget(kind: "phone", value: phone))
        }
    }

    /// The members a reset names and where its code goes. An email or phone is its own
    /// destination (members or not, so its limits count alike); a username's is its
    /// member's verified email, else its phone, and there is none for an unknown username.
    func resetRecipients(_ target: ResetTarget, in model: MembersReadModel) -> ([MemberState], Destination?) {
        switch target.identifier {
        case .username(let username):
            guard let id = model.memberID(username: username), let member = model.member(id), member.status == .active,
                let personal = cache.open(member, keys: keys)
            else { return ([], nil) }
            if member.emailVerified, let email = personal.email { return ([member], Destination(channel: .email, raw: email)) }
            return ([member], personal.phone.flatMap { Destination(channel: .sms, raw: $0) })
        case .email(let email):
            return (holders(.email, lookup.email(email), in: model).map(\.0), Destination(channel: .email, raw: email))
        case .phone(let phone):
            return (holders(.phone, lookup.phone(phone), in: model).map(\.0), Destination(channel: .sms, raw: phone))
        }
    }
}
