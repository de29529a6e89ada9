public import EventSourcing
import HashTreeCollections
public import Members

/// Joining, leaving, removals, roles and ownership: the rules of API.md's Groups section
/// (the table in ARCHITECTURE.md), each a pure function of the group as it stands.
extension GroupDecisions {
    /// `memberID` joins; nothing to do when already a member; 409 `group_full` at `limit`.
    public static func join(_ group: GroupState?, memberID: String, limit: Int, now: Timestamp, metadata: EventMetadata)
        throws(GroupError) -> Decision<Void>
    {
        let group = try live(group)
        guard group.members[memberID] == nil else { return Decision([], ()) }
        guard group.memberCount < limit else { throw .groupFull(limit: limit) }
        return Decision(appends(group, [.memberJoined(GroupMemberJoined(memberID: memberID))], now: now, metadata: metadata), ())
    }

    /// `actor` removes `target` from the group (`target == actor`: leaves). Members leave by
    /// themselves; the owner removes anyone else; an admin removes plain members only; the
    /// owner cannot leave before handing ownership over. Nothing to do when `target` is not a member.
    public static func remove(_ group: GroupState?, target: String, by actor: String, now: Timestamp, metadata: EventMetadata)
        throws(GroupError) -> Decision<Void>
    {
        let group = try live(group)
        let actorRole = group.role(of: actor)
        if target == actor {
            guard let actorRole else { return Decision([], ()) }
            guard actorRole != .owner else { throw .ownerCannotLeave }
            let left = GroupEvent.memberLeft(GroupMemberLeft(memberID: target, actor: actor, reason: "left"))
            return Decision(appends(group, [left], now: now, metadata: metadata), ())
        }
        guard let actorRole, actorRole != .member else { throw .forbidden(reason: "Only the group's owner or an admin may remove members.") }
        guard let targetRole = group.role(of: target) else { return Decision([], ()) }
        guard actorRole == .owner || targetRole == .member else {
            throw .forbidden(reason: "Admins may not remove the owner or other admins.")
        }
        let removed = GroupEvent.memberLeft(GroupMemberLeft(memberID: target, actor: actor, reason: "removed"))
        return Decision(appends(group, [removed], now: now, metadata: metadata), ())
    }

    /// The owner appoints (`admin`) or dismisses (`member`) an admin. 403 for anyone else;
    /// 409 `owner_role_fixed` for the owner's own role; 409 `not_a_member` for a non-member.
    public static func setRole(
        _ group: GroupState?, target: String, to role: GroupRole, by actor: String, now: Timestamp, metadata: EventMetadata
    ) throws(GroupError) -> Decision<Void> {
        let group = try live(group)
        guard group.ownerID == actor else { throw .forbidden(reason: "Only the group's owner may change roles.") }
        guard let current = group.role(of: target) else { throw .notAMember }
        guard current != .owner, role != .owner else { throw .ownerRoleFixed }
        guard current != role else { return Decision([], ()) }
        let changed = GroupEvent.roleChanged(GroupRoleChanged(memberID: target, role: role.rawValue, actor: actor))
        return Decision(appends(group, [changed], now: now, metadata: metadata), ())
    }

    /// The owner hands ownership to another member, and becomes an admin. 403 for anyone
    /// else; 409 `not_a_member` when `newOwner` is not in the group; nothing to do when it
    /// is the owner already.
    public static func handOver(_ group: GroupState?, to newOwner: String, by actor: String, now: Timestamp, metadata: EventMetadata)
        throws(GroupError) -> Decision<Void>
    {
        let group = try live(group)
        guard group.ownerID == actor else { throw .forbidden(reason: "Only the group's owner may hand ownership over.") }
        guard group.members[newOwner] != nil else { throw .notAMember }
        guard newOwner != actor else { return Decision([], ()) }
        let handed = GroupEvent.ownerChanged(GroupOwnerChanged(from: actor, to: newOwner, reason: "handed_over"))
        return Decision(appends(group, [handed], now: now, metadata: metadata), ())
    }

    /// `memberID` deleted their account: they leave. An owner's ownership passes first to the
    /// longest-standing admin, else the longest-standing member; a group left empty is
    /// deleted. Nothing to do when the member is not in the group (or it is gone).
    public static func accountDeleted(_ group: GroupState?, memberID: String, now: Timestamp, metadata: EventMetadata) -> Decision<Void> {
        guard let group, !group.isDeleted, let role = group.role(of: memberID) else { return Decision([], ()) }
        let left = GroupEvent.memberLeft(GroupMemberLeft(memberID: memberID, actor: memberID, reason: "account_deleted"))
        var events: [GroupEvent] = [left]
        if role == .owner {
            if let successor = group.successor {
                events = [.ownerChanged(GroupOwnerChanged(from: memberID, to: successor, reason: "account_deleted")), left]
            } else {
                events.append(.deleted(GroupDeleted(actor: memberID, reason: "empty")))
            }
        }
        return Decision(appends(group, events, now: now, metadata: metadata), ())
    }
}
