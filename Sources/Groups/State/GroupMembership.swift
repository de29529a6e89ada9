public import EventSourcing

/// A member's place in a group: the role, when they joined, and the keys of the two orders
/// the members page reads (join order for plain members, appointment order for admins).
public struct GroupMembership: Hashable, Sendable {
    public internal(set) var role: GroupRole
    public internal(set) var joinedAt: Timestamp
    /// The member's place in the join order (fixed at the join).
    var joinKey: UInt64
    /// The member's place among the admins (set at each appointment; 0 otherwise).
    var adminKey: UInt64

    init(role: GroupRole, joinedAt: Timestamp, joinKey: UInt64, adminKey: UInt64 = 0) {
        (self.role, self.joinedAt, self.joinKey, self.adminKey) = (role, joinedAt, joinKey, adminKey)
    }
}
