import EventSourcing
import HashTreeCollections
import Testing
@testable import Groups
@testable import Members

/// A member who deletes their account leaves every group: ownership passes to the
/// longest-standing admin, else the longest-standing member; a group left empty is deleted.
@Suite struct AccountDeletionTests {
    let owner = id(1), admin = id(2), admin2 = id(3), member = id(4), member2 = id(5)

    @Test func anOwnersGroupPassesToTheFirstAppointedAdmin() throws {
        var log = GroupLog()
        let gid = groupID(1)
        // admin2 is appointed before admin, though admin joined first.
        try log.makeGroup(gid, owner: owner, members: [admin, admin2, member], admins: [admin2, admin])
        let decision = GroupDecisions.accountDeleted(log.group(gid), memberID: owner, now: t0, metadata: .none)
        #expect(types(decision) == [GroupOwnerChanged.type, GroupMemberLeft.type])
        let changed = try GroupOwnerChanged(payload: decision.appends[0].events[0].payload)
        #expect(changed.to == admin2 && changed.reason == "account_deleted")
        let left = try GroupMemberLeft(payload: decision.appends[0].events[1].payload)
        #expect(left.memberID == owner && left.reason == "account_deleted")
        try log.commit(decision)
        let group = try #require(log.group(gid))
        #expect(group.ownerID == admin2 && group.role(of: owner) == nil && group.memberCount == 3)
        #expect(group.memberIDs(in: 0..<3) == [admin2, admin, member])
    }

    @Test func withoutAdminsItPassesToTheLongestStandingMember() throws {
        var log = GroupLog()
        let gid = groupID(2)
        try log.makeGroup(gid, owner: owner, members: [member2, member])
        try log.commit(GroupDecisions.accountDeleted(log.group(gid), memberID: owner, now: t0, metadata: .none))
        #expect(log.group(gid)?.ownerID == member2)
    }

    @Test func aGroupLeftEmptyIsDeletedAndAPlainMemberJustLeaves() throws {
        var log = GroupLog()
        let (alone, shared) = (groupID(3), groupID(4))
        try log.makeGroup(alone, owner: owner)
        try log.makeGroup(shared, owner: admin, members: [owner])
        let decision = GroupDecisions.accountDeleted(log.group(alone), memberID: owner, now: t0, metadata: .none)
        #expect(types(decision) == [GroupMemberLeft.type, GroupDeleted.type])
        #expect(try GroupDeleted(payload: decision.appends[0].events[1].payload).reason == "empty")
        try log.commit(decision)
        #expect(log.model.group(alone.rawValue) == nil)
        #expect(types(GroupDecisions.accountDeleted(log.group(shared), memberID: owner, now: t0, metadata: .none)) == [GroupMemberLeft.type])
    }

    @Test func theReadModelKeepsDeletedMembersWithMembershipsUntilTheyLeft() throws {
        var log = GroupLog()
        let (g1, g2) = (groupID(5), groupID(6))
        try log.makeGroup(g1, owner: owner, members: [member])
        try log.makeGroup(g2, owner: admin, members: [member])
        log.deleteAccount(member2)
        #expect(log.model.pendingDeletions.isEmpty && log.model.deletedMembers.contains(member2))
        log.deleteAccount(member)
        #expect(Array(log.model.pendingDeletions) == [member])
        try log.commit(GroupDecisions.accountDeleted(log.group(g1), memberID: member, now: t0, metadata: .none))
        #expect(Array(log.model.pendingDeletions) == [member])
        try log.commit(GroupDecisions.accountDeleted(log.group(g2), memberID: member, now: t0, metadata: .none))
        #expect(log.model.pendingDeletions.isEmpty && log.model.memberGroups[member] == nil)
        // A join that raced the deletion is work again.
        try log.commit(GroupDecisions.join(log.group(g1), memberID: member, limit: 10, now: t0, metadata: .none))
        #expect(Array(log.model.pendingDeletions) == [member])
        // The work list survives a snapshot.
        let restored = try GroupsReadModel(snapshot: log.model.snapshot())
        #expect(Array(restored.pendingDeletions) == [member] && restored.digest == log.model.digest)
    }
}
