import EventSourcing
import Testing
@testable import Groups
@testable import Members

/// The group decisions without a log, a service or HTTP: commands, the group as it
/// stands, time and the limit in; appends and an answer out.
@Suite struct GroupDecisionTests {
    let owner = id(1), admin = id(2), member = id(3), other = id(4), outsider = id(9)
    let gid = groupID(1)

    func log() throws -> GroupLog {
        var log = GroupLog()
        try log.makeGroup(gid, owner: owner, members: [admin, member, other], admins: [admin])
        return log
    }

    @Test func creationAppendsTheGroupAtNoStreamWithTheCreatorAsOwnerAndMember() throws {
        let decision = GroupDecisions.create(
            id: gid, owner: owner, .init(name: "Readers", introduction: "Hi", avatarURL: ""), now: t0, metadata: .none)
        #expect(decision.appends.map(\.stream) == [GroupStreams.group(gid)])
        #expect(decision.appends[0].expected == .noStream)
        #expect(types(decision) == [GroupCreated.type])
        #expect(decision.answer.ownerID == owner && decision.answer.memberCount == 1 && decision.answer.role(of: owner) == .owner)
        #expect(decision.answer.name == "Readers" && decision.answer.createdAt == t0)
    }

    @Test func theSameInputsDecideTheSameEvents() throws {
        let log = try log()
        func decide() throws -> [StreamAppend] {
            try GroupDecisions.join(log.group(gid), memberID: outsider, limit: 10, now: t0, metadata: .none).appends
        }
        #expect(try decide() == decide())
    }

    @Test func commandsWithNothingToDoDecideNoEvents() throws {
        let log = try log()
        let group = log.group(gid)
        #expect(try GroupDecisions.join(group, memberID: member, limit: 10, now: t0, metadata: .none).appends.isEmpty)
        #expect(try GroupDecisions.join(group, memberID: owner, limit: 10, now: t0, metadata: .none).appends.isEmpty)
        #expect(try GroupDecisions.remove(group, target: outsider, by: outsider, now: t0, metadata: .none).appends.isEmpty)
        #expect(try GroupDecisions.remove(group, target: outsider, by: owner, now: t0, metadata: .none).appends.isEmpty)
        #expect(try GroupDecisions.setRole(group, target: admin, to: .admin, by: owner, now: t0, metadata: .none).appends.isEmpty)
        #expect(try GroupDecisions.setRole(group, target: member, to: .member, by: owner, now: t0, metadata: .none).appends.isEmpty)
        #expect(try GroupDecisions.handOver(group, to: owner, by: owner, now: t0, metadata: .none).appends.isEmpty)
        let same = GroupDecisions.Change(name: group?.name, introduction: "")
        #expect(try GroupDecisions.update(group, by: admin, same, now: t0, metadata: .none).appends.isEmpty)
        #expect(GroupDecisions.accountDeleted(group, memberID: outsider, now: t0, metadata: .none).appends.isEmpty)
    }

    @Test func aJoinIsAppendedAtTheGroupsVersionAndRefusedAtTheLimit() throws {
        var log = try log()
        let joined = try GroupDecisions.join(log.group(gid), memberID: outsider, limit: 5, now: t0, metadata: .none)
        #expect(joined.appends[0].expected == .exactly(log.group(gid)?.version ?? 0))
        #expect(types(joined) == [GroupMemberJoined.type])
        try log.commit(joined)
        #expect(log.group(gid)?.memberCount == 5)
        #expect(refusal { _ = try GroupDecisions.join(log.group(gid), memberID: id(10), limit: 5, now: t0, metadata: .none) } == .groupFull(limit: 5))
    }

    @Test func twoJoinsDecidedOnOneVersionCannotBothLandSoTheLimitHolds() throws {
        var log = try log()
        let base = log.group(gid)
        // Both see 4 members of 5 allowed; whichever lands first wins, the other conflicts.
        let first = try GroupDecisions.join(base, memberID: id(10), limit: 5, now: t0, metadata: .none)
        let second = try GroupDecisions.join(base, memberID: id(11), limit: 5, now: t0, metadata: .none)
        try log.commit(first)
        #expect(throws: EventLogError.self) { try log.commit(second) }
        #expect(log.group(gid)?.memberCount == 5)
        // Decided again on the fresher group, it is refused.
        #expect(refusal { _ = try GroupDecisions.join(log.group(gid), memberID: id(11), limit: 5, now: t0, metadata: .none) } == .groupFull(limit: 5))
    }

    @Test func aDeletedOrUnknownGroupIsNotFoundToEveryCommand() throws {
        var log = try log()
        try log.commit(GroupDecisions.delete(log.group(gid), by: owner, now: t0, metadata: .none))
        for group in [log.group(gid), nil] {
            #expect(refusal { _ = try GroupDecisions.join(group, memberID: outsider, limit: 10, now: t0, metadata: .none) } == .notFound)
            #expect(refusal { _ = try GroupDecisions.update(group, by: owner, .init(name: "x"), now: t0, metadata: .none) } == .notFound)
            #expect(refusal { _ = try GroupDecisions.delete(group, by: owner, now: t0, metadata: .none) } == .notFound)
            #expect(refusal { _ = try GroupDecisions.remove(group, target: member, by: owner, now: t0, metadata: .none) } == .notFound)
        }
        #expect(log.model.group(gid.rawValue) == nil && !log.model.isMember(gid.rawValue, member))
    }

    @Test func handingOverMakesTheOldOwnerAnAdminAndTheNewOneTheOwner() throws {
        var log = try log()
        #expect(refusal { _ = try GroupDecisions.handOver(log.group(gid), to: outsider, by: owner, now: t0, metadata: .none) } == .notAMember)
        try log.commit(GroupDecisions.handOver(log.group(gid), to: member, by: owner, now: t0.adding(seconds: 5), metadata: .none))
        let group = try #require(log.group(gid))
        #expect(group.ownerID == member && group.role(of: member) == .owner && group.role(of: owner) == .admin)
        #expect(group.memberIDs(in: 0..<4) == [member, admin, owner, other])
        #expect(group.updatedAt == t0.adding(seconds: 5))
        // The old owner may leave now; the new one may not.
        #expect(try types(GroupDecisions.remove(group, target: owner, by: owner, now: t0, metadata: .none)) == [GroupMemberLeft.type])
        #expect(refusal { _ = try GroupDecisions.remove(group, target: member, by: member, now: t0, metadata: .none) } == .ownerCannotLeave)
    }

    @Test func theMembersPageIsOwnerThenAdminsByAppointmentThenOthersByJoining() throws {
        var log = try log()
        try log.commit(GroupDecisions.setRole(log.group(gid), target: other, to: .admin, by: owner, now: t0, metadata: .none))
        try log.commit(GroupDecisions.join(log.group(gid), memberID: id(20), limit: 100, now: t0, metadata: .none))
        // A dismissed admin goes back to their place in the join order.
        try log.commit(GroupDecisions.setRole(log.group(gid), target: admin, to: .member, by: owner, now: t0, metadata: .none))
        let group = try #require(log.group(gid))
        #expect(group.memberIDs(in: 0..<10) == [owner, other, admin, member, id(20)])
        #expect(group.memberIDs(in: 1..<3) == [other, admin])
        #expect(group.memberIDs(in: 3..<5) == [member, id(20)])
        #expect(group.memberIDs(in: 5..<9).isEmpty)
    }
}
