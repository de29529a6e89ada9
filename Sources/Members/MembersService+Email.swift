public import EventSourcing
public import Verification

extension MembersService {
    /// What `POST /v1/members/me/email` and `POST /v1/password-resets` answer.
    public struct CodeSent: Hashable, Sendable {
        public var verificationKey: String
        public var resendAfter: Timestamp
    }

    /// `POST /v1/members/me/email`: sends a `bind_email` code to `email` and records it as
    /// the member's pending email (two appends: the code's, then the member's).
    public func requestEmailBinding(
        _ principal: Principal, email raw: String, metadata: EventMetadata = .none,
        idempotency: (@Sendable (CodeSent) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<CodeSent> {
        let email = try MemberRules.email(raw)
        _ = try requireMember(principal)
        guard case .done(let sent) = try await verifications.send(
            channel: "email", to: email, operation: "bind_email", ttlSeconds: nil, metadata: metadata)
        else { throw MemberError.notFound }
        let answer = CodeSent(verificationKey: sent.key.rawValue, resendAfter: sent.resendAfter)
        return try await command(idempotency: idempotency) { now in
            let (member, old) = try requireMember(principal)
            var personal = old
            personal.pendingEmail = email
            let update = try personalUpdate(personal, memberID: member.id, emailVerified: member.emailVerified)
            return ([try memberAppend(member, [.emailBindingRequested(update, verificationKey: sent.key.rawValue)], now: now, metadata: metadata)], answer)
        }
    }

    /// `POST /v1/members/me/email/confirm`: checks the code (a wrong one counts down its
    /// attempts), then binds the email, using the approved code up in the same append.
    public func confirmEmail(
        _ principal: Principal, verificationKey: String, code: String, metadata: EventMetadata = .none,
        idempotency: (@Sendable (MemberView) -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<MemberView> {
        let (member, personal) = try requireMember(principal)
        guard let key = EntityID(verificationKey), member.pendingEmailVerification == verificationKey, let email = personal.pendingEmail else {
            throw VerificationError.notFound
        }
        try await approve(key: key, code: code, metadata: metadata)
        return try await command(idempotency: idempotency) { now in
            let (member, old) = try requireMember(principal)
            guard member.pendingEmailVerification == verificationKey else { throw VerificationError.notFound }
            var personal = old
            (personal.email, personal.pendingEmail) = (email, nil)
            let update = try personalUpdate(personal, memberID: member.id, emailVerified: true)
            let destination = Destination(channel: .email, raw: email).map { [$0] } ?? []
            var appends = [try memberAppend(member, [.emailBound(update, actor: "member")], now: now, metadata: metadata)]
            appends.append(try verifications.consumption(
                key: key, operation: "bind_email", destinations: destination, purpose: "bind_email:\(member.id)", now: now
            ).with(metadata: metadata))
            appends += try claimAppends(.email, from: member.personal.emailKey, to: update.emailKey, memberID: member.id, now: now, metadata: metadata)
            var bound = member
            bound.emailVerified = true
            return (appends, view(bound, personal, updatedAt: now))
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
