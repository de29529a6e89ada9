public import EventSourcing
public import Verification

extension MembersService {
    /// What `POST /v1/members/me/email` and `POST /v1/password-resets` answer.
    public struct CodeSent: Hashable, Sendable {
        public var verificationKey: String
        public var resendAfter: Timestamp
    }

    /// `POST /v1/members/me/email`: sends a `bind_email` code to `email`, its message in
    /// `locale`, and records it as the member's pending email (two appends: the code's, then
    /// the member's).
    public func requestEmailBinding(
        _ principal: Principal, email raw: String, locale: MessageLocale = .default, metadata: EventMetadata = .none,
        idempotency: (@Sendable (CodeSent) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<CodeSent> {
        let email = try MemberRules.email(raw)
        _ = try requireMember(principal)
        let seal = try seal(for: principal.memberID)
        guard case .done(let sent) = try await verifications.send(
            channel: "email", to: email, operation: "bind_email", ttlSeconds: nil, locale: locale, metadata: metadata)
        else { throw MemberError.notFound }
        let answer = CodeSent(verificationKey: sent.key.rawValue, resendAfter: sent.resendAfter)
        return try await command(idempotency: idempotency) { _, now in
            let (member, old) = try requireMember(principal)
            var random = SystemRandomNumberGenerator()
            let decision = try MemberDecisions.requestEmailBinding(
                member, contact: old.contact, email: email, verificationKey: sent.key, seal: seal, now: now, metadata: metadata, random: &random)
            return Decision(decision.appends, answer)
        }
    }

    /// `POST /v1/members/me/email/confirm`: checks the code (a wrong one counts down its
    /// attempts), then binds the email, using the approved code up in the same append.
    public func confirmEmail(
        _ principal: Principal, verificationKey: String, code: String, metadata: EventMetadata = .none,
        idempotency: (@Sendable (MemberView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<MemberView> {
        let (member, personal) = try requireMember(principal)
        guard let key = EntityID(verificationKey), member.pendingEmailVerification == verificationKey, let email = personal.pendingEmail else {
            throw VerificationError.notFound
        }
        let seal = try seal(for: principal.memberID)
        try await approve(key: key, code: code, metadata: metadata)
        return try await command(idempotency: idempotency) { model, now in
            let (member, old) = try requireMember(principal)
            guard member.pendingEmailVerification == verificationKey else { throw VerificationError.notFound }
            let destination = Destination(channel: .email, raw: email).map { [$0] } ?? []
            let consumption = try verifications.consumption(
                key: key, operation: "bind_email", destinations: destination, purpose: "bind_email:\(member.id)", now: now
            ).stamped(metadata)
            var random = SystemRandomNumberGenerator()
            let decision = try MemberDecisions.bindEmail(
                member, contact: old.contact, email: email, actor: "member", consumption: consumption, in: model, seal: seal, keys: lookup,
                now: now, metadata: metadata, random: &random)
            var personal = old
            personal.contact = decision.answer
            var bound = member
            bound.emailVerified = true
            return Decision(decision.appends, view(bound, personal, updatedAt: now))
        }
    }

    /// Checks `code` unless the code is already approved and unused (a retry after the
    /// check succeeded but the command's own append did not). A wrong code throws
    /// `codeIncorrect` with the attempts left.
    func approve(key: EntityID, code: String, metadata: EventMetadata) async throws {
        if let state = verifications.code(key), state.approved, !state.consumed { return }
        if case .done(.incorrect(let left)) = try await verifications.check(key: key, code: code, metadata: metadata) {
            throw MemberError.codeIncorrect(attemptsLeft: left)
        }
    }
}
