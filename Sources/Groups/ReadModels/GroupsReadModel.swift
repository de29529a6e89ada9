public import HashTreeCollections
public import EventSourcing
import Members

/// Every group with its members and roles, each member's groups, the group-name search
/// index, and the deleted members that still hold memberships (the account-deletion
/// reactor's work list): what group commands decide on, what the group routes read, and
/// what messaging asks "may this member post here" and "whom to fan out to".
///
/// Everything here is a hash trie or a persistent treap, so the model is copied in O(1)
/// (checkpoints, decisions) and a membership change costs O(log n). The search index is
/// rebuilt from the names on restore and is not in the snapshot (group names are not
/// personal data; the index only would make snapshots larger).
public struct GroupsReadModel: Projection {
    public static let name = "groups"
    public static let formatVersion: UInt32 = 1

    /// Every group, deleted ones as tombstones (their members dropped).
    public internal(set) var groups: TreeDictionary<String, GroupState> = [:]
    /// Member -> the live groups they are in.
    public internal(set) var memberGroups: TreeDictionary<String, TreeSet<String>> = [:]
    /// Members whose account is deleted (from `member.deleted.v1`).
    public internal(set) var deletedMembers: TreeSet<String> = []
    /// Deleted members that still hold a membership: the reactor's work.
    public internal(set) var pendingDeletions: TreeSet<String> = []
    /// Live groups in creation order (search without a query).
    var listing = MemberOrder()
    var nextListKey: UInt64 = 1
    /// Group names, word prefixes and CJK characters and pairs.
    var search = TextIndex<String>(prefixes: true)

    public init() {}

    /// A group that exists and is not deleted.
    public func group(_ id: String) -> GroupState? {
        guard let group = groups[id], !group.isDeleted else { return nil }
        return group
    }

    /// Whether `memberID` is in the live group `groupID`: O(1) expected (two hash lookups).
    public func isMember(_ groupID: String, _ memberID: String) -> Bool { group(groupID)?.members[memberID] != nil }

    /// The members of a live group with their roles (an O(1) copy); nil when there is no such group.
    public func members(of groupID: String) -> TreeDictionary<String, GroupMembership>? { group(groupID)?.members }

    public mutating func apply(_ event: RecordedEvent) throws {
        if event.stream.isIn(.member) {
            guard event.type == MemberDeleted.type else { return }
            _ = try MemberDeleted(payload: event.payload)
            memberDeleted(String(event.stream.id))
            return
        }
        guard var decoded = try GroupEvent(event), event.stream.isIn(.group) else { return }
        if case .memberJoined(let e) = decoded { decoded = .memberJoined(GroupMemberJoined(memberID: interned(e.memberID))) }
        let streamID = String(event.stream.id)
        // The group's own id instance, so every index entry shares one copy of it.
        let id = groups[streamID]?.id ?? streamID
        if case .created = decoded, groups[id] == nil {
            var created = GroupState(id: id, at: event.timestamp)
            created.listKey = nextListKey
            nextListKey &+= 1
            groups[id] = created
        }
        guard let facts = groups[id].map(Facts.init) else { return }
        if case .deleted = decoded, !facts.isDeleted, let members = groups[id]?.members {
            for memberID in members.keys { left(memberID, id) }
        }
        groups[id]?.apply(decoded, at: event.timestamp)
        guard let after = groups[id].map(Facts.init) else { return }
        index(id, decoded, before: facts, after: after)
    }

    /// What the indexes need to know of a group before and after an event (not the group
    /// itself: holding a copy would make the change copy its paths).
    private struct Facts {
        var version: StreamVersion, isDeleted: Bool, name: String, listKey: UInt64, memberCount: Int
        init(_ group: GroupState) {
            (version, isDeleted, name, listKey, memberCount) = (group.version, group.isDeleted, group.name, group.listKey, group.memberCount)
        }
    }

    /// Keeps the member index, the listing and the search index in line with one group's change.
    private mutating func index(_ id: String, _ event: GroupEvent, before: Facts, after: Facts) {
        switch event {
        case .created(let e):
            guard before.version == 0, !after.isDeleted else { return }
            listing.insert(id, at: after.listKey)
            search.set(id, text: after.name)
            joined(e.ownerID, id)
        case .updated:
            if before.name != after.name, !after.isDeleted { search.set(id, text: after.name) }
        case .deleted:
            guard !before.isDeleted else { return }
            listing.remove(at: before.listKey)
            search.remove(id)
        case .memberJoined(let e):
            if after.memberCount > before.memberCount { joined(e.memberID, id) }
        case .memberLeft(let e):
            if after.memberCount < before.memberCount { left(e.memberID, id) }
        case .roleChanged, .ownerChanged:
            break
        }
    }

    /// The model's own instance of `memberID` when it holds one, so a member in many groups
    /// keeps one copy of their id (ids are 26 bytes: each copy is a heap allocation).
    private func interned(_ memberID: String) -> String {
        guard let index = memberGroups.index(forKey: memberID) else { return memberID }
        return memberGroups[index].key
    }

    private mutating func joined(_ memberID: String, _ groupID: String) {
        memberGroups[memberID, default: []].insert(groupID)
        if deletedMembers.contains(memberID) { pendingDeletions.insert(memberID) }
    }

    private mutating func left(_ memberID: String, _ groupID: String) {
        guard var set = memberGroups.removeValue(forKey: memberID) else { return }
        set.remove(groupID)
        if set.isEmpty {
            pendingDeletions.remove(memberID)
        } else {
            memberGroups[memberID] = set
        }
    }

    private mutating func memberDeleted(_ memberID: String) {
        deletedMembers.insert(memberID)
        if memberGroups[memberID] != nil { pendingDeletions.insert(memberID) }
    }
}
