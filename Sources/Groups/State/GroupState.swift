public import HashTreeCollections
public import EventSourcing

/// One group as its stream folds: its values, its members with their roles, and the two
/// orders the members page reads (admins by appointment, plain members by joining). The
/// maps are hash tries and the orders persistent treaps, so a copy is O(1) and a change
/// copies O(log n): decisions and the sequencer work on copies while the projector
/// applies.
public struct GroupState: Sendable {
    public let id: String
    public internal(set) var name = ""
    public internal(set) var introduction = ""
    public internal(set) var avatarURL = ""
    /// Empty only in the instant between an owner's account deletion and the group's deletion.
    public internal(set) var ownerID = ""
    public internal(set) var createdAt: Timestamp
    public internal(set) var updatedAt: Timestamp
    public internal(set) var isDeleted = false
    /// The stream's version: how many events it holds.
    public internal(set) var version: StreamVersion = 0
    /// Every member (owner and admins too) and their place.
    public internal(set) var members: TreeDictionary<String, GroupMembership> = [:]
    /// Admins, in appointment order.
    var admins = MemberOrder()
    /// Plain members, in join order.
    var regulars = MemberOrder()
    /// The next key of either order.
    var nextKey: UInt64 = 1
    /// The group's place in the creation order of groups (set by the read model).
    var listKey: UInt64 = 0

    init(id: String, at time: Timestamp) {
        self.id = id
        createdAt = time
        updatedAt = time
    }

    /// How many members the group has.
    public var memberCount: Int { members.count }

    /// The role of `memberID`, nil when not a member.
    public func role(of memberID: String) -> GroupRole? { members[memberID]?.role }

    /// How many members come before the plain members on the members page: the owner, then the admins.
    public var staffCount: Int { (ownerID.isEmpty ? 0 : 1) + admins.count }

    /// The longest-standing admin (first appointed), else the longest-standing member.
    public var successor: String? { admins.first ?? regulars.first }

    /// The members at positions `range` of the members page: the owner, the admins in
    /// appointment order, then the others in join order. O(log n + range.count).
    public func memberIDs(in range: Range<Int>) -> [String] {
        guard !range.isEmpty, range.lowerBound >= 0 else { return [] }
        var ids: [String] = []
        var position = range.lowerBound
        let owners = ownerID.isEmpty ? 0 : 1
        if position < owners {
            ids.append(ownerID)
            position += 1
        }
        let staff = owners + admins.count
        if position < range.upperBound, position < staff {
            ids += admins.values(from: position - owners, limit: min(range.upperBound, staff) - position)
            position = staff
        }
        if position < range.upperBound {
            ids += regulars.values(from: position - staff, limit: range.upperBound - position)
        }
        return ids
    }

    /// The state after `event`, recorded at `time`: total (an event that does not fit the
    /// state changes nothing but the version), so replays never stop on a surprise.
    public mutating func apply(_ event: GroupEvent, at time: Timestamp) {
        version += 1
        switch event {
        case .created(let e):
            guard version == 1 else { return }
            (name, introduction, avatarURL, ownerID) = (e.name, e.introduction, e.avatarURL, e.ownerID)
            (createdAt, updatedAt) = (time, time)
            members[e.ownerID] = GroupMembership(role: .owner, joinedAt: time, joinKey: takeKey())
        case .updated(let e):
            (name, introduction, avatarURL, updatedAt) = (e.name, e.introduction, e.avatarURL, time)
        case .deleted:
            isDeleted = true
            updatedAt = time
            (members, admins, regulars, ownerID) = ([:], MemberOrder(), MemberOrder(), "")
        case .memberJoined(let e):
            guard !isDeleted, members[e.memberID] == nil else { return }
            let membership = GroupMembership(role: .member, joinedAt: time, joinKey: takeKey())
            members[e.memberID] = membership
            regulars.insert(e.memberID, at: membership.joinKey)
        case .memberLeft(let e):
            guard let membership = members.removeValue(forKey: e.memberID) else { return }
            switch membership.role {
            case .member: regulars.remove(at: membership.joinKey)
            case .admin: admins.remove(at: membership.adminKey)
            case .owner: ownerID = ""
            }
        case .roleChanged(let e):
            guard let role = GroupRole(rawValue: e.role), role != .owner else { return }
            setRole(role, of: e.memberID)
        case .ownerChanged(let e):
            guard members[e.to] != nil, e.from != e.to else { return }
            takeOwnership(e.to)
            if members[e.from]?.role == .owner { setRole(.admin, of: e.from) }
            updatedAt = time
        }
    }

    /// Moves a non-owner member between the plain members and the admins.
    private mutating func setRole(_ role: GroupRole, of memberID: String) {
        guard var membership = members[memberID], membership.role != role else { return }
        switch membership.role {
        case .member: regulars.remove(at: membership.joinKey)
        case .admin: admins.remove(at: membership.adminKey)
        case .owner: break
        }
        membership.role = role
        switch role {
        case .admin:
            membership.adminKey = takeKey()
            admins.insert(memberID, at: membership.adminKey)
        case .member:
            membership.adminKey = 0
            regulars.insert(memberID, at: membership.joinKey)
        case .owner:
            membership.adminKey = 0
        }
        members[memberID] = membership
    }

    private mutating func takeOwnership(_ memberID: String) {
        setRole(.owner, of: memberID)
        ownerID = memberID
    }

    private mutating func takeKey() -> UInt64 {
        defer { nextKey &+= 1 }
        return nextKey
    }
}
