public import EventSourcing
import Verification

/// Admin actions (seed 003 AdminService) and erasure. Each admin event names its actor
/// (`admin`) in the event and in its metadata.
extension MembersService {
    static let admin = "admin"

    /// `PUT /v1/admin/members/{id}/email`: binds `email` as verified.
    public func adminSetEmail(_ memberID: String, email raw: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        let email = try MemberRules.email(raw)
        return try await adminCommand(memberID, metadata: metadata, idempotency: idempotency) { member, old, model, seal, now, metadata in
            var random = SystemRandomNumberGenerator()
            return try MemberDecisions.bindEmail(
                member, contact: old.contact, email: email, actor: Self.admin, consumption: nil, in: model, seal: seal, keys: lookup,
                now: now, metadata: metadata, random: &random
            ).appends
        }
    }

    /// `PUT /v1/admin/members/{id}/password`: sets a password and ends every session.
    public func adminSetPassword(_ memberID: String, password: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        guard let found = activeMember(memberID) else { throw MemberError.notFound }
        try MemberRules.password(password, username: found.username)
        let hash = try await hashPassword(password, client: Self.admin)
        return try await adminCommand(memberID, metadata: metadata, idempotency: idempotency) { member, _, _, _, now, metadata in
            try MemberDecisions.adminSetPassword(member, hash: hash.encoded, now: now, metadata: metadata).appends
        }
    }

    /// `DELETE /v1/admin/members/{id}/avatar`.
    public func adminRemoveAvatar(_ memberID: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil) async throws
        -> CommandResult<Void>
    {
        try await adminCommand(memberID, metadata: metadata, idempotency: idempotency) { member, old, model, seal, now, metadata in
            var random = SystemRandomNumberGenerator()
            return try MemberDecisions.changeProfile(
                member, from: old, .init(avatarURL: ""), actor: Self.admin, in: model, seal: seal, keys: lookup, now: now, metadata: metadata,
                random: &random
            ).appends
        }
    }

    /// `DELETE /v1/admin/members/{id}`: disables the member (no logins, gone from reads)
    /// and ends its sessions; its data stays (unlike a member's own deletion).
    public func adminDisable(_ memberID: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil) async throws
        -> CommandResult<Void>
    {
        let result = try await adminCommand(memberID, metadata: metadata, idempotency: idempotency) { member, _, _, _, now, metadata in
            try MemberDecisions.disable(member, now: now, metadata: metadata).appends
        }
        reindex(memberID)
        return result
    }

    /// `DELETE /v1/members/me`: with the password, deletes the member. The events go first
    /// (sessions ended, claims released but the username, which stays reserved), then the
    /// member's key is destroyed, so its personal data can no longer be read from the log.
    public func deleteAccount(
        _ principal: Principal, password: String, client: String = "", metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        let (found, _) = try requireMember(principal)
        try await requirePassword(password, of: found, client: client, metadata: metadata)
        let result: CommandResult<Void> = try await command(idempotency: IdempotencyRecord.constant(idempotency)) { model, now in
            let (member, _) = try requireMember(principal)
            return try MemberDecisions.delete(member, in: model, now: now, metadata: metadata)
        }
        try await keys.destroyKey(for: found.id)
        cache.forget(found.id)
        search.remove(found.id)
        return result
    }

    private func adminCommand(
        _ memberID: String, metadata: EventMetadata, idempotency: IdempotencyRecord?,
        _ decide: (MemberState, PersonalData, MembersReadModel, PersonalDataSeal, Timestamp, EventMetadata) throws -> [StreamAppend]
    ) async throws -> CommandResult<Void> {
        var metadata = metadata
        metadata.actor = Self.admin
        let stamped = metadata
        guard activeMember(memberID) != nil else { throw MemberError.notFound }
        let seal = try seal(for: memberID)
        let result = try await command(idempotency: IdempotencyRecord.constant(idempotency)) { model, now in
            guard let member = model.member(memberID), member.status == .active, let personal = cache.open(member, keys: keys) else {
                throw MemberError.notFound
            }
            return Decision(try decide(member, personal, model, seal, now, stamped), ())
        }
        reindex(memberID)
        return result
    }
}
