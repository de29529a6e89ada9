public import EventSourcing
public import Members

/// API.md's Group as a service answers it.
public struct GroupView: Hashable, Sendable {
    public var id: String
    public var name: String
    public var introduction: String
    public var avatarURL: String
    public var ownerID: String
    public var memberCount: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(_ group: GroupState) {
        (id, name, introduction, avatarURL) = (group.id, group.name, group.introduction, group.avatarURL)
        (ownerID, memberCount, createdAt, updatedAt) = (group.ownerID, group.memberCount, group.createdAt, group.updatedAt)
    }
}

/// One of a member's groups, with their role in it.
public struct MemberGroupView: Hashable, Sendable {
    public var group: GroupView
    public var role: GroupRole
    public var joinedAt: Timestamp
}

/// One member on a group's members page: the public profile and the role.
public struct GroupMemberView: Hashable, Sendable {
    public var member: PublicMember
    public var role: GroupRole
    public var joinedAt: Timestamp
}
