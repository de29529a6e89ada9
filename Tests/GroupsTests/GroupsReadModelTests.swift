import EventSourcing
import HashTreeCollections
import Testing
@testable import Groups
@testable import Members

@Suite struct GroupsReadModelTests {
    @Test func membershipQueriesForMessaging() throws {
        var log = GroupLog()
        let gid = groupID(1)
        try log.makeGroup(gid, owner: id(1), members: [id(2), id(3)], admins: [id(2)])
        #expect(log.model.isMember(gid.rawValue, id(3)) && !log.model.isMember(gid.rawValue, id(4)))
        #expect(log.model.members(of: gid.rawValue)?.count == 3)
        #expect(log.model.members(of: gid.rawValue)?[id(2)]?.role == .admin)
        #expect(log.model.members(of: groupID(2).rawValue) == nil)
        #expect(log.model.memberGroups[id(3)] == [gid.rawValue])
    }

    @Test func aSnapshotRestoresTheSameStateAndRebuildsTheIndexes() throws {
        var log = GroupLog()
        try log.makeGroup(groupID(1), owner: id(1), members: [id(2), id(3), id(4)], admins: [id(3)])
        try log.makeGroup(groupID(2), owner: id(2), members: [id(1)])
        try log.commit(GroupDecisions.update(log.group(groupID(2)), by: id(2), .init(name: "今天天气 Weather club"), now: t0, metadata: .none))
        try log.makeGroup(groupID(3), owner: id(5))
        try log.commit(GroupDecisions.delete(log.group(groupID(3)), by: id(5), now: t0, metadata: .none))
        let restored = try GroupsReadModel(snapshot: log.model.snapshot())
        #expect(restored.digest == log.model.digest)
        #expect(restored.search.search("天气") == [groupID(2).rawValue] && restored.search.search("weath") == [groupID(2).rawValue])
        #expect(restored.memberGroups == log.model.memberGroups)
        #expect(restored.listing.values(from: 0, limit: 10) == [groupID(1).rawValue, groupID(2).rawValue])
        #expect(restored.group(groupID(1).rawValue)?.memberIDs(in: 0..<10) == [id(1), id(3), id(2), id(4)])
        // The restored model goes on like the live one.
        var live = log
        live.model = restored
        try live.commit(GroupDecisions.join(live.group(groupID(1)), memberID: id(9), limit: 10, now: t0, metadata: .none))
        try log.commit(GroupDecisions.join(log.group(groupID(1)), memberID: id(9), limit: 10, now: t0, metadata: .none))
        #expect(live.model.digest == log.model.digest)
    }

    @Test func anEventOfTheDomainThatDoesNotDecodeStopsTheModel() throws {
        var model = GroupsReadModel()
        let broken = RecordedEvent(
            position: 1, stream: GroupStreams.group(groupID(1)), version: 1, type: GroupCreated.type, payload: [1, 2],
            timestamp: t0, metadata: .none)
        #expect(throws: (any Error).self) { try model.apply(broken) }
        let unknown = RecordedEvent(
            position: 1, stream: GroupStreams.group(groupID(1)), version: 1, type: "group.unknown.v1", payload: [],
            timestamp: t0, metadata: .none)
        #expect(throws: (any Error).self) { try model.apply(unknown) }
    }

    @Test func everyEventRoundTripsItsExample() {
        #expect(GroupEvent.codec.typesFailingRoundTrip().isEmpty)
        #expect(GroupEvent.codec.types.count == 7)
    }
}
