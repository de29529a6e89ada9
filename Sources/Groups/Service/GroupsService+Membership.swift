public import EventSourcing
import HashTreeCollections
import Members

extension GroupsService {
    /// `PUT /v1/groups/{id}/members/me`: the caller joins (nothing to do when in it already).
    public func join(_ principal: Principal, _ groupID: EntityID, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        let limit = memberLimit
        return try await sequencer.run(groupID, idempotency: IdempotencyRecord.constant(idempotency)) { group, now in
            try GroupDecisions.join(group, memberID: principal.memberID, limit: limit, now: now, metadata: metadata)
        }
    }

    /// `DELETE /v1/groups/{id}/members/{member_id}`: the caller leaves (`target` is the
    /// caller) or removes `target`.
    public func remove(
        _ principal: Principal, _ groupID: EntityID, target: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        try await sequencer.run(groupID, idempotency: IdempotencyRecord.constant(idempotency)) { group, now in
            try GroupDecisions.remove(group, target: target, by: principal.memberID, now: now, metadata: metadata)
        }
    }

    /// `PUT /v1/groups/{id}/members/{member_id}/role`: the owner appoints or dismisses an admin.
    public func setRole(
        _ principal: Principal, _ groupID: EntityID, target: String, role: GroupRole, metadata: EventMetadata = .none,
        idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        try await sequencer.run(groupID, idempotency: IdempotencyRecord.constant(idempotency)) { group, now in
            try GroupDecisions.setRole(group, target: target, to: role, by: principal.memberID, now: now, metadata: metadata)
        }
    }

    /// `PUT /v1/groups/{id}/owner`: the owner hands ownership to a member and becomes an admin.
    public func handOver(
        _ principal: Principal, _ groupID: EntityID, to newOwner: String, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        try await sequencer.run(groupID, idempotency: IdempotencyRecord.constant(idempotency)) { group, now in
            try GroupDecisions.handOver(group, to: newOwner, by: principal.memberID, now: now, metadata: metadata)
        }
    }

    /// Every deleted member that still holds memberships leaves each of its groups (the
    /// account-deletion reactor's work, at start and after each deletion). Idempotent: each
    /// append is at the version the model shows, and a member no longer in a group decides
    /// nothing. Returns false when some group could not be written (tried again later).
    @discardableResult
    public func processDeletedMembers() async -> Bool {
        let pending = groups.read { model, _ in
            model.pendingDeletions.map { member in (member, Array(model.memberGroups[member] ?? [])) }
        }
        var complete = true
        for (memberID, groupIDs) in pending {
            for groupID in groupIDs.sorted() {
                guard let id = EntityID(groupID) else { continue }
                do {
                    _ = try await sequencer.run(id, idempotency: nil) { group, now in
                        GroupDecisions.accountDeleted(group, memberID: memberID, now: now, metadata: EventMetadata(actor: "system"))
                    }
                } catch {
                    complete = false
                }
            }
        }
        return complete
    }
}
