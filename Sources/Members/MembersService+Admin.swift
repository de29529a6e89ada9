public import EventSourcing
public import Verification

/// Admin actions (seed 003 AdminService) and erasure. Each admin event names its actor
/// (`admin`) in the event and in its metadata.
extension MembersService {
    static let admin = "admin"

    /// `PUT /v1/admin/members/{id}/email`: binds `email` as verified.
    public func adminSetEmail(_ memberID: String, email raw: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil) async throws -> CommandResult<Void> {
        let email = try MemberRules.email(raw)
        return try await adminCommand(memberID, metadata: metadata, idempotency: idempotency) { member, old, now, metadata in
            var personal = old
            (personal.email, personal.pendingEmail) = (email, nil)
            let update = try personalUpdate(personal, memberID: member.id, emailVerified: true)
            return [try memberAppend(member, [.emailBound(update, actor: Self.admin)], now: now, metadata: metadata)]
                + (try claimAppends(.email, from: member.personal.emailKey, to: update.emailKey, memberID: member.id, now: now, metadata: metadata))
        }
    }

    /// `PUT /v1/admin/members/{id}/password`: sets a password and ends every session.
    public func adminSetPassword(_ memberID: String, password: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil) async throws -> CommandResult<Void> {
        guard let found = activeMember(memberID) else { throw MemberError.notFound }
        try MemberRules.password(password, username: found.username)
        let hash = try await hashPassword(password)
        return try await adminCommand(memberID, metadata: metadata, idempotency: idempotency) { member, _, now, metadata in
            [try memberAppend(member, [
                .passwordChanged(hash: hash.encoded, reason: "admin", actor: Self.admin),
                .sessionsEnded(ids: member.sessions.keys.sorted(), reason: "password_reset"),
            ], now: now, metadata: metadata)]
        }
    }

    /// `DELETE /v1/admin/members/{id}/avatar`.
    public func adminRemoveAvatar(_ memberID: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil) async throws -> CommandResult<Void> {
        try await adminCommand(memberID, metadata: metadata, idempotency: idempotency) { member, old, now, metadata in
            var personal = old
            personal.avatarURL = ""
            let update = try personalUpdate(personal, memberID: member.id, emailVerified: member.emailVerified)
            return [try memberAppend(member, [.profileUpdated(update, actor: Self.admin)], now: now, metadata: metadata)]
        }
    }

    /// `DELETE /v1/admin/members/{id}`: disables the member (no logins, gone from reads)
    /// and ends its sessions; its data stays (unlike a member's own deletion).
    public func adminDisable(_ memberID: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil) async throws -> CommandResult<Void> {
        try await adminCommand(memberID, metadata: metadata, idempotency: idempotency) { member, _, now, metadata in
            [try memberAppend(member, [
                .sessionsEnded(ids: member.sessions.keys.sorted(), reason: "disabled"), .disabled(actor: Self.admin),
            ], now: now, metadata: metadata)]
        }
    }

    /// `DELETE /v1/members/me`: with the password, deletes the member. The events go first
    /// (sessions ended, claims released but the username, which stays reserved), then the
    /// member's key is destroyed, so its personal data can no longer be read from the log.
    public func deleteAccount(
        _ principal: Principal, password: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        let (found, _) = try requireMember(principal)
        try requireNotLocked(found)
        guard try await verifyPassword(password, found) else {
            try await recordLoginFailure(found.id, metadata: metadata)
            throw MemberError.invalidCredentials
        }
        let result: CommandResult<Void> = try await command(idempotency: Self.constant(idempotency)) { now in
            let (member, _) = try requireMember(principal)
            var appends = [try memberAppend(member, [
                .sessionsEnded(ids: member.sessions.keys.sorted(), reason: "deleted"), .deleted(actor: "member"),
            ], now: now, metadata: metadata)]
            appends += try claimAppends(.displayName, from: member.personal.displayNameKey, to: nil, memberID: member.id, now: now, metadata: metadata)
            appends += try claimAppends(.phone, from: member.personal.phoneKey, to: nil, memberID: member.id, now: now, metadata: metadata)
            appends += try claimAppends(.email, from: member.personal.emailKey, to: nil, memberID: member.id, now: now, metadata: metadata)
            return (appends, ())
        }
        try await keys.destroyKey(for: found.id)
        cache.forget(found.id)
        return result
    }

    private func adminCommand(
        _ memberID: String, metadata: EventMetadata, idempotency: IdempotencyRecord?,
        _ decide: (MemberState, PersonalData, Timestamp, EventMetadata) throws -> [StreamAppend]
    ) async throws -> CommandResult<Void> {
        var metadata = metadata
        metadata.actor = Self.admin
        let stamped = metadata
        return try await command(idempotency: Self.constant(idempotency)) { now in
            guard let member = activeMember(memberID), let personal = cache.open(member, keys: keys) else { throw MemberError.notFound }
            return (try decide(member, personal, now, stamped), ())
        }
    }
}
