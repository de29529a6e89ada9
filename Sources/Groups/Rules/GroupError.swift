/// Why a group command was refused. The HTTP layer maps each to API.md's status and error
/// code; none of them is a server fault.
public enum GroupError: Error, Hashable, Sendable {
    /// 400 `validation_failed` with the field.
    case invalid(field: String, reason: String)
    /// 401 `unauthenticated`.
    case unauthenticated
    /// 403 `forbidden`: the caller's role does not allow it.
    case forbidden(reason: String)
    /// 404: no such group (or deleted), or no such member.
    case notFound
    /// 409 `group_full`: the group has the most members the server allows.
    case groupFull(limit: Int)
    /// 409 `owner_cannot_leave`: hand ownership over first.
    case ownerCannotLeave
    /// 409 `owner_role_fixed`: the owner's role changes only by handing ownership over.
    case ownerRoleFixed
    /// 409 `not_a_member`: the member named is not in the group.
    case notAMember
}
