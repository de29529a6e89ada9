import EventSourcing
import Foundation
import Groups
import HTTPAPI
import HTTPTypes
import HashTreeCollections
import HummingbirdTesting
import Members
import Synchronization
import Testing

/// A member who deletes their account leaves every group, through the groups domain's
/// reactor on the commit feed (the members domain knows nothing of groups).
@Suite struct GroupAccountDeletionAPITests {
    /// Waits (up to 10 s) until `condition` holds.
    func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    struct Scene: Sendable {
        var owner, admin, member: (id: String, token: String)
        var led, alone, joined: String
    }

    /// The owner leads a group with an admin and a member, is alone in another, and is a
    /// plain member of the member's group.
    func scene(_ client: any TestClientProtocol, _ tag: String) async throws -> Scene {
        let owner = try await client.registerMember("\(tag)owner")
        let admin = try await client.registerMember("\(tag)admin")
        let member = try await client.registerMember("\(tag)member")
        let led = try await client.createGroup(owner.token, name: "Led")
        _ = try await client.join(led, member.token)
        _ = try await client.join(led, admin.token)
        _ = try await client.setRole(led, admin.id, "admin", owner.token)
        let alone = try await client.createGroup(owner.token, name: "Alone")
        let joined = try await client.createGroup(member.token, name: "Joined")
        _ = try await client.join(joined, owner.token)
        return Scene(owner: owner, admin: admin, member: member, led: led, alone: alone, joined: joined)
    }

    func expectProcessed(_ server: TestServer, _ client: any TestClientProtocol, _ scene: Scene) async throws {
        let led = try await client.call(.get, "/v1/groups/\(scene.led)")
        #expect(led["owner_id"] as? String == scene.admin.id && led["member_count"] as? Int == 2)
        #expect(try await client.groupMembers(scene.led).members.map(\.0) == [scene.admin.id, scene.member.id])
        #expect(try await client.call(.get, "/v1/groups/\(scene.alone)").status == .notFound)
        #expect((try await client.call(.get, "/v1/groups/\(scene.joined)"))["member_count"] as? Int == 1)
        #expect(!server.groups.isMember(scene.joined, scene.owner.id))
        let events = try await server.allEvents().filter { $0.stream.isIn(.group) }
        let left = try events.filter { $0.type == GroupMemberLeft.type }.map { try GroupMemberLeft(payload: $0.payload) }
        #expect(left.filter { $0.memberID == scene.owner.id }.allSatisfy { $0.reason == "account_deleted" })
        #expect(left.filter { $0.memberID == scene.owner.id }.count == 3)
        let owners = try events.filter { $0.type == GroupOwnerChanged.type }.map { try GroupOwnerChanged(payload: $0.payload) }
        #expect(owners.map(\.to) == [scene.admin.id] && owners.first?.reason == "account_deleted")
        let deleted = try events.filter { $0.type == GroupDeleted.type }.map { try GroupDeleted(payload: $0.payload) }
        #expect(deleted.map(\.reason) == ["empty"] && events.last { $0.type == GroupDeleted.type }?.stream.id == Substring(scene.alone))
    }

    @Test func theReactorFollowsTheFeedAndPassesOwnershipOnOrDeletesEmptyGroups() async throws {
        let server = try await TestServer()
        let reactor = Task { await server.server.domains.groups.reactor.follow() }
        defer { reactor.cancel() }
        try await server.test { client in
            let scene = try await scene(client, "d")
            let deleted = try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(scene.owner.token))
            #expect(deleted.status == .noContent)
            try await eventually { server.groups.members(of: scene.joined)?.count == 1 && server.groups.group(scene.alone) == nil
                && server.groups.group(scene.led)?.ownerID == scene.admin.id }
            try await expectProcessed(server, client, scene)
            #expect(server.groupModel.read { model, _ in model.pendingDeletions.isEmpty })
            // Processing again decides nothing.
            let count = try await server.allEvents().count
            #expect(await server.groups.processDeletedMembers())
            #expect(try await server.allEvents().count == count)
        }
    }

    @Test func aDeletionCommittedBeforeACrashIsProcessedAtStart() async throws {
        let log = InMemoryEventLog()
        let keys = InMemoryMemberKeyStore()
        let first = try await TestServer(log: log, memberKeys: keys)
        let box = Mutex<Scene?>(nil)
        try await first.test { client in
            let made = try await scene(client, "c")
            box.withLock { $0 = made }
            // No reactor runs here: the deletion is committed and the groups are untouched.
            #expect(try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(made.owner.token)).status == .noContent)
        }
        let made = try #require(box.withLock { $0 })
        #expect(first.groups.isMember(made.led, made.owner.id))
        #expect(first.groupModel.read { model, _ in Array(model.pendingDeletions) } == [made.owner.id])
        // The restarted server's reactor finds the work in its read model.
        let second = try await TestServer(log: log, memberKeys: keys)
        let reactor = Task { await second.server.domains.groups.reactor.follow() }
        defer { reactor.cancel() }
        try await eventually { second.groupModel.read { model, _ in model.pendingDeletions.isEmpty } }
        try await second.test { client in try await expectProcessed(second, client, made) }
    }

    @Test func countsAndRolesAfterARebuildEqualARecountFromTheLog() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let scene = try await scene(client, "r")
            var others: [(id: String, token: String)] = []
            for index in 0..<6 {
                let member = try await client.registerMember("rextra\(index)")
                others.append(member)
                _ = try await client.join(scene.led, member.token)
                _ = try await client.join(scene.joined, member.token)
            }
            _ = try await client.setRole(scene.led, others[1].id, "admin", scene.owner.token)
            _ = try await client.removeMember(scene.led, others[2].id, scene.admin.token)
            _ = try await client.removeMember(scene.joined, "me", others[3].token)
            _ = try await client.handOver(scene.joined, to: others[4].id, scene.member.token)
            _ = try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(scene.owner.token))
            await server.groups.processDeletedMembers()
        }
        // A recount: group events folded by hand, independently of GroupState.
        var roles: [String: [String: String]] = [:]
        for event in try await server.allEvents() where event.stream.isIn(.group) {
            let group = String(event.stream.id)
            switch try GroupEvent(event) {
            case .created(let e)?: roles[group] = [e.ownerID: "owner"]
            case .memberJoined(let e)?: if roles[group]?[e.memberID] == nil { roles[group]?[e.memberID] = "member" }
            case .memberLeft(let e)?: roles[group]?[e.memberID] = nil
            case .roleChanged(let e)?: roles[group]?[e.memberID] = e.role
            case .ownerChanged(let e)?:
                roles[group]?[e.to] = "owner"
                if roles[group]?[e.from] != nil { roles[group]?[e.from] = "admin" }
            case .deleted?: roles[group] = nil
            case .updated?, nil: break
            }
        }
        let rebuilt = try await LogbookDomains.audit(log: server.log)
        try await ProjectionRuntime(log: server.log, projections: rebuilt.readModels).rebuild()
        #expect(rebuilt.groups.model.digest == server.groupModel.digest)
        for model in [rebuilt.groups.model, server.groupModel] {
            let counted = model.read { model, _ in
                Dictionary(uniqueKeysWithValues: model.groups.values.filter { !$0.isDeleted }.map { group in
                    (group.id, Dictionary(uniqueKeysWithValues: group.members.map { ($0.key, $0.value.role.rawValue) }))
                })
            }
            #expect(counted == roles)
            let total: Int = model.read { model, _ in model.groups.values.filter { !$0.isDeleted }.map(\.memberCount).reduce(0, +) }
            let recounted: Int = roles.values.map(\.count).reduce(0, +)
            #expect(total == recounted)
        }
        #expect(roles.count == 2)
    }
}
