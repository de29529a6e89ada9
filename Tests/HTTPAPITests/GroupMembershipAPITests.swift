import EventSourcing
import Groups
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Members
import Testing

@Suite struct GroupMembershipAPITests {
    @Test func joiningAndLeavingAnswer204AndANoOpAppendsNothing() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("gowner")
            let bob = try await client.registerMember("gbob")
            let group = try await client.createGroup(owner.token)
            #expect(try await client.join(group, bob.token).status == .noContent)
            #expect(server.groups.isMember(group, bob.id) && server.groups.members(of: group)?.count == 2)
            let events = try await server.allEvents().count
            #expect(try await client.join(group, bob.token).status == .noContent)
            #expect(try await server.allEvents().count == events)
            #expect((try await client.call(.get, "/v1/groups/\(group)"))["member_count"] as? Int == 2)

            #expect(try await client.call(.delete, "/v1/groups/\(group)/members/me", headers: bearer(bob.token)).status == .noContent)
            #expect(!server.groups.isMember(group, bob.id))
            #expect(try await client.join(group, bob.token).status == .noContent)
            #expect(try await client.removeMember(group, bob.id, bob.token).status == .noContent)  // own id = me
            #expect(try await client.removeMember(group, "me", bob.token).status == .noContent)  // not a member: nothing to do
            let owners = try await client.removeMember(group, "me", owner.token)
            #expect(owners.status == .conflict && owners.errorCode == "owner_cannot_leave")
            #expect(try await client.join(group, "lbk_nope").status == .unauthorized)
            #expect(try await client.call(.put, "/v1/groups/\(group)/members/me").status == .unauthorized)
            // Joining is only ever for oneself.
            #expect(try await client.call(.put, "/v1/groups/\(group)/members/\(bob.id)", headers: bearer(bob.token)).status == .methodNotAllowed)
        }
    }

    @Test func rolesAndRemovalsFollowTheTable() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("rowner")
            let admin = try await client.registerMember("radmin")
            let admin2 = try await client.registerMember("radmin2")
            let member = try await client.registerMember("rmember")
            let member2 = try await client.registerMember("rmember2")
            let outsider = try await client.registerMember("routsider")
            let group = try await client.createGroup(owner.token)
            for m in [admin, admin2, member, member2] { _ = try await client.join(group, m.token) }
            #expect(try await client.setRole(group, admin.id, "admin", owner.token).status == .noContent)
            #expect(try await client.setRole(group, admin2.id, "admin", owner.token).status == .noContent)

            func expectRefused(_ reply: Reply, _ status: HTTPResponse.Status, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(reply.status == status && reply.errorCode == code, "\(reply.json)", sourceLocation: sourceLocation)
            }
            // Only the owner changes roles; the owner's own role is fixed; a non-member is not_a_member.
            expectRefused(try await client.setRole(group, member.id, "admin", admin.token), .forbidden, "forbidden")
            expectRefused(try await client.setRole(group, member.id, "admin", member2.token), .forbidden, "forbidden")
            expectRefused(try await client.setRole(group, member.id, "admin", outsider.token), .forbidden, "forbidden")
            expectRefused(try await client.setRole(group, owner.id, "member", owner.token), .conflict, "owner_role_fixed")
            expectRefused(try await client.setRole(group, "me", "admin", owner.token), .conflict, "owner_role_fixed")
            expectRefused(try await client.setRole(group, outsider.id, "admin", owner.token), .conflict, "not_a_member")
            // Admins remove plain members, not the owner or other admins; members remove nobody.
            expectRefused(try await client.removeMember(group, owner.id, admin.token), .forbidden, "forbidden")
            expectRefused(try await client.removeMember(group, admin2.id, admin.token), .forbidden, "forbidden")
            expectRefused(try await client.removeMember(group, member2.id, member.token), .forbidden, "forbidden")
            expectRefused(try await client.removeMember(group, member2.id, outsider.token), .forbidden, "forbidden")
            #expect(try await client.removeMember(group, member2.id, admin.token).status == .noContent)
            #expect(try await client.removeMember(group, admin2.id, owner.token).status == .noContent)
            // Updates: owner or admin; deletion: owner only.
            #expect(try await client.call(.put, "/v1/groups/\(group)", json: #"{"name":"By admin"}"#, headers: bearer(admin.token)).status == .ok)
            expectRefused(try await client.call(.put, "/v1/groups/\(group)", json: #"{"name":"x"}"#, headers: bearer(member.token)), .forbidden, "forbidden")
            expectRefused(try await client.call(.delete, "/v1/groups/\(group)", headers: bearer(admin.token)), .forbidden, "forbidden")
            // Dismissing an admin.
            #expect(try await client.setRole(group, admin.id, "member", owner.token).status == .noContent)
            expectRefused(try await client.removeMember(group, member.id, admin.token), .forbidden, "forbidden")
            let page = try await client.groupMembers(group)
            #expect(page.members.map(\.0) == [owner.id, admin.id, member.id] && page.members.map(\.1) == ["owner", "member", "member"])
        }
    }

    @Test func ownershipIsHandedToAMemberAndTheOldOwnerBecomesAnAdmin() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("howner")
            let heir = try await client.registerMember("hheir")
            let outsider = try await client.registerMember("houtsider")
            let group = try await client.createGroup(owner.token)
            _ = try await client.join(group, heir.token)
            let notMember = try await client.handOver(group, to: outsider.id, owner.token)
            #expect(notMember.status == .conflict && notMember.errorCode == "not_a_member")
            #expect(try await client.handOver(group, to: owner.id, heir.token).errorCode == "forbidden")
            #expect(try await client.handOver(group, to: heir.id, owner.token).status == .noContent)
            let read = try await client.call(.get, "/v1/groups/\(group)")
            #expect(read["owner_id"] as? String == heir.id)
            #expect(try await client.groupMembers(group).members.map(\.1) == ["owner", "admin"])
            // The old owner may leave now, the new one may not; the new owner deletes.
            #expect(try await client.removeMember(group, "me", heir.token).errorCode == "owner_cannot_leave")
            #expect(try await client.call(.delete, "/v1/groups/\(group)", headers: bearer(owner.token)).errorCode == "forbidden")
            #expect(try await client.removeMember(group, "me", owner.token).status == .noContent)
            #expect(try await client.call(.delete, "/v1/groups/\(group)", headers: bearer(heir.token)).status == .noContent)
        }
    }

    @Test func membersArePagedOwnerAndAdminsFirstWithTheirPublicProfiles() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("powner", displayName: "Owner 主")
            var members: [(id: String, token: String)] = []
            let group = try await client.createGroup(owner.token)
            for index in 0..<7 {
                let member = try await client.registerMember("pmember\(index)")
                members.append(member)
                _ = try await client.join(group, member.token)
            }
            _ = try await client.setRole(group, members[5].id, "admin", owner.token)
            _ = try await client.setRole(group, members[2].id, "admin", owner.token)
            let expected = [owner.id, members[5].id, members[2].id] + [0, 1, 3, 4, 6].map { members[$0].id }
            var seen: [String] = []
            for page in 1...3 {
                let (reply, items) = try await client.groupMembers(group, page: page, size: 3)
                #expect(reply.status == .ok && reply["total_rows"] as? Int == 8 && reply["total_pages"] as? Int == 3)
                seen += items.map(\.0)
            }
            #expect(seen == expected)
            let first = try await client.call(.get, "/v1/groups/\(group)/members?page_size=1")
            let item = try #require((first["items"] as? [[String: Any]])?.first)
            #expect(item["display_name"] as? String == "Owner 主" && item["role"] as? String == "owner")
            #expect(item["gender"] as? String == "unknown" && item["joined_at"] as? String == server.clock.now.rfc3339)
            #expect(item["created_at"] != nil && item["avatar_url"] as? String == "")
            #expect(try await client.groupMembers(group, page: 9).members.isEmpty)
        }
    }

    /// Member lists open profiles a page at a time from a cache keyed by the member's
    /// version: a profile change shows on the next page read, in group pages and follower lists.
    @Test func memberListsShowAProfileChangeOnTheNextRead() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("fowner", displayName: "Before")
            let fan = try await client.registerMember("ffan")
            let group = try await client.createGroup(owner.token)
            _ = try await client.call(.put, "/v1/members/\(owner.id)/follow", headers: bearer(fan.token))
            func names() async throws -> (group: String?, following: String?) {
                let page = try await client.call(.get, "/v1/groups/\(group)/members")
                let following = try await client.call(.get, "/v1/members/\(fan.id)/following")
                return ((page["items"] as? [[String: Any]])?.first?["display_name"] as? String,
                        (following["items"] as? [[String: Any]])?.first?["display_name"] as? String)
            }
            #expect(try await names() == ("Before", "Before"))
            let patched = try await client.call(.patch, "/v1/members/me", json: #"{"display_name":"After"}"#, headers: bearer(owner.token))
            #expect(patched.status == .ok)
            #expect(try await names() == ("After", "After"))
        }
    }

    @Test func aMembersGroupsComeWithTheirRoleInJoinOrder() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("malice")
            let bob = try await client.registerMember("mbob")
            let first = try await client.createGroup(alice.token, name: "First")
            server.clock.advance(seconds: 1)
            let second = try await client.createGroup(bob.token, name: "Second")
            server.clock.advance(seconds: 1)
            _ = try await client.join(second, alice.token)
            _ = try await client.setRole(second, alice.id, "admin", bob.token)
            let third = try await client.createGroup(bob.token, name: "Third")
            server.clock.advance(seconds: 1)
            _ = try await client.join(third, alice.token)
            let reply = try await client.call(.get, "/v1/members/me/groups?page=1&page_size=2", headers: bearer(alice.token))
            #expect(reply.status == .ok && reply["total_rows"] as? Int == 3 && reply["total_pages"] as? Int == 2)
            let items = reply["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["id"] as? String } == [first, second])
            #expect(items.compactMap { $0["role"] as? String } == ["owner", "admin"])
            #expect(items.last?["member_count"] as? Int == 2 && items.last?["name"] as? String == "Second")
            let next = try await client.call(.get, "/v1/members/me/groups?page=2&page_size=2", headers: bearer(alice.token))
            #expect((next["items"] as? [[String: Any]])?.first?["role"] as? String == "member")
            #expect(try await client.call(.get, "/v1/members/me/groups").status == .unauthorized)
        }
    }

    @Test func joinsPastTheLimitAre409AndConcurrentOnesNeverExceedIt() async throws {
        let server = try await TestServer(groupMemberLimit: 5)
        try await server.test { client in
            let owner = try await client.registerMember("lowner")
            var members: [(id: String, token: String)] = []
            for index in 0..<20 { members.append(try await client.registerMember("lmember\(index)")) }
            let group = try await client.createGroup(owner.token)
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { tasks in
                for member in members {
                    tasks.addTask {
                        let reply = try await client.join(group, member.token)
                        return (reply.status, reply.errorCode)
                    }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == .noContent }.count == 4)
            #expect(statuses.filter { $0 == (.conflict, "group_full") }.count == 16)
            #expect(server.groups.members(of: group)?.count == 5)
            let joined = try await server.allEvents().filter { $0.type == GroupMemberJoined.type }.count
            #expect(joined == 4)
            // Room again after a leave.
            let inside = try #require(members.first { server.groups.isMember(group, $0.id) })
            let outside = try #require(members.first { !server.groups.isMember(group, $0.id) })
            #expect(try await client.join(group, outside.token).errorCode == "group_full")
            _ = try await client.removeMember(group, "me", inside.token)
            #expect(try await client.join(group, outside.token).status == .noContent)
        }
    }

    @Test func manyConcurrentJoinsAndLeavesOfOneGroupAllSucceed() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("cowner")
            var members: [(id: String, token: String)] = []
            for index in 0..<24 { members.append(try await client.registerMember("cmember\(index)")) }
            let group = try await client.createGroup(owner.token)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for member in members {
                    tasks.addTask {
                        for round in 0..<3 {
                            let joined = try await client.join(group, member.token)
                            #expect(joined.status == .noContent)
                            if round < 2 {
                                let left = try await client.removeMember(group, "me", member.token)
                                #expect(left.status == .noContent)
                            }
                        }
                    }
                }
                try await tasks.waitForAll()
            }
            #expect(server.groups.members(of: group)?.count == 25)
            #expect((try await client.call(.get, "/v1/groups/\(group)"))["member_count"] as? Int == 25)
        }
    }

    @Test func aRetriedJoinWithItsKeyGetsTheFirstAnswer() async throws {
        let server = try await TestServer(groupMemberLimit: 2)
        try await server.test { client in
            let owner = try await client.registerMember("iowner")
            let bob = try await client.registerMember("ibob")
            let carol = try await client.registerMember("icarol")
            let group = try await client.createGroup(owner.token)
            var headers = bearer(bob.token)
            headers[HTTPField.Name("Idempotency-Key")!] = "join-1"
            #expect(try await client.call(.put, "/v1/groups/\(group)/members/me", headers: headers).status == .noContent)
            _ = try await client.removeMember(group, "me", bob.token)
            _ = try await client.join(group, carol.token)
            // The group is full now, but the retry replays the first answer and appends nothing.
            let events = try await server.allEvents().count
            #expect(try await client.call(.put, "/v1/groups/\(group)/members/me", headers: headers).status == .noContent)
            #expect(try await server.allEvents().count == events && !server.groups.isMember(group, bob.id))
            var create = bearer(owner.token)
            create[HTTPField.Name("Idempotency-Key")!] = "create-1"
            let first = try await client.call(.post, "/v1/groups", json: #"{"name":"Once"}"#, headers: create)
            let again = try await client.call(.post, "/v1/groups", json: #"{"name":"Once"}"#, headers: create)
            #expect(first.status == .created && again.status == .created && first["id"] as? String == again["id"] as? String)
            #expect(try await client.call(.post, "/v1/groups", json: #"{"name":"Other"}"#, headers: create).errorCode == "idempotency_key_reused")
        }
    }
}
