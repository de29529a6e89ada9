import HashTreeCollections
import EventSourcing

extension GroupsReadModel {
    /// Canonical: groups sorted by id, each with its members in page order (owner, admins by
    /// appointment, others by joining) and their keys; deleted members sorted. The member
    /// index, the pending deletions, the listing and the search index are rebuilt from these.
    public func snapshot() -> [UInt8] {
        var w = BinaryWriter(capacity: 64 * groups.count + 48 * memberGroups.count + 64)
        w.write(nextListKey)
        w.write(UInt64(groups.count))
        for (_, group) in groups.sorted(by: { $0.key < $1.key }) { group.write(to: &w) }
        w.write(UInt64(deletedMembers.count))
        for member in deletedMembers.sorted() { w.write(member) }
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { r in
            nextListKey = try r.readUInt64()
            for _ in 0..<(try r.readCount()) {
                let group = try GroupState(from: &r)
                groups[group.id] = group
                guard !group.isDeleted else { continue }
                listing.insert(group.id, at: group.listKey)
                search.set(group.id, text: group.name)
                for memberID in group.members.keys { memberGroups[memberID, default: []].insert(group.id) }
            }
            for _ in 0..<(try r.readCount()) { deletedMembers.insert(try r.readString()) }
        }
        for member in deletedMembers where memberGroups[member] != nil { pendingDeletions.insert(member) }
    }
}

extension GroupState {
    func write(to w: inout BinaryWriter) {
        w.write(id); w.write(name); w.write(introduction); w.write(avatarURL); w.write(ownerID)
        w.write(createdAt); w.write(updatedAt); w.write(isDeleted); w.write(version); w.write(nextKey); w.write(listKey)
        let entries = memberIDs(in: 0..<members.count).compactMap { id in members[id].map { (id, $0) } }
        w.write(UInt64(entries.count))
        for (memberID, membership) in entries {
            w.write(memberID); w.write(byte: membership.role.code); w.write(membership.joinedAt)
            w.write(membership.joinKey); w.write(membership.adminKey)
        }
    }

    init(from r: inout BinaryReader) throws {
        let id = try r.readString()
        let (name, introduction, avatarURL, ownerID) = (try r.readString(), try r.readString(), try r.readString(), try r.readString())
        self.init(id: id, at: try r.readTimestamp())
        (self.name, self.introduction, self.avatarURL, self.ownerID) = (name, introduction, avatarURL, ownerID)
        updatedAt = try r.readTimestamp()
        isDeleted = try r.readBool()
        version = try r.readUInt64()
        nextKey = try r.readUInt64()
        listKey = try r.readUInt64()
        for _ in 0..<(try r.readCount()) {
            let memberID = try r.readString()
            guard let role = GroupRole(code: try r.readByte()) else { throw BinaryReader.Error(description: "bad group role") }
            let membership = GroupMembership(role: role, joinedAt: try r.readTimestamp(), joinKey: try r.readUInt64(), adminKey: try r.readUInt64())
            members[memberID] = membership
            switch role {
            case .member: regulars.insert(memberID, at: membership.joinKey)
            case .admin: admins.insert(memberID, at: membership.adminKey)
            case .owner: break
            }
        }
    }
}

extension GroupRole {
    /// The role's byte in snapshots.
    var code: UInt8 {
        switch self {
        case .owner: 0
        case .admin: 1
        case .member: 2
        }
    }

    init?(code: UInt8) {
        switch code {
        case 0: self = .owner
        case 1: self = .admin
        case 2: self = .member
        default: return nil
        }
    }
}
