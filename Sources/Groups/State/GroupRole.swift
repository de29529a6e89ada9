/// A member's role in a group. "Admin" is the group role, not the server's admin token.
public enum GroupRole: String, Hashable, Sendable, CaseIterable {
    case owner
    case admin
    case member
}
