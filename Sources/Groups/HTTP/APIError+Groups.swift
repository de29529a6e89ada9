import HTTPTypes
public import ServerKit

extension GroupError: APIErrorConvertible {
    /// API.md's statuses and codes for the group routes.
    public var apiError: APIError {
        switch self {
        case .invalid(let field, let reason): .validation(field: field, reason)
        case .unauthenticated: .unauthenticated
        case .forbidden(let reason): APIError(.forbidden, "forbidden", reason)
        case .notFound: APIError(.notFound, "not_found", "No such group or member.")
        case .groupFull(let limit): APIError(.conflict, "group_full", "The group has \(limit) members, the most it may have.")
        case .ownerCannotLeave: APIError(.conflict, "owner_cannot_leave", "The owner cannot leave; hand ownership to another member first.")
        case .ownerRoleFixed: APIError(.conflict, "owner_role_fixed", "The owner's role changes only by handing ownership over.")
        case .notAMember: APIError(.conflict, "not_a_member", "That member is not in the group.")
        }
    }
}
