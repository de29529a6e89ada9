import EventSourcing
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import ServerKit
import Testing
import Verification

/// Every read model of every domain, rebuilt from position 1, reaches the digest the live
/// models reached by following commits off the writer thread.
@Suite struct RebuildDigestTests {
    @Test func aRebuildFromPositionOneGivesTheLiveDigests() async throws {
        let server = try await TestServer()
        try await server.test { client in
            for index in 0..<5 {
                let member = try await client.registerMember("user\(index)")
                _ = try await client.call(.patch, "/v1/members/me", json: #"{"gender":"male"}"#, headers: bearer(member.token))
                _ = try await client.call(
                    .post, "/v1/members/me/addresses", json: #"{"full_name":"N","zip_code":"1","address":"A","phone":"1"}"#,
                    headers: bearer(member.token))
                _ = try await client.login("user\(index)", "wrong-password-9")
                _ = try await client.sendCode(to: "+861371234500\(index)")
                _ = try await client.call(.post, "/v1/captchas")
            }
            await server.worker.deliverDue()
            _ = try await client.call(.post, "/v1/password-resets", json: #"{"username":"user1"}"#)
        }
        let live = server.server.runtime.projections
        let rebuilt = try await LogbookDomains.audit(log: server.log)
        try await ProjectionRuntime(log: server.log, projections: rebuilt.readModels).rebuild()
        #expect(live.count == rebuilt.readModels.count && live.count >= 5)
        for (liveModel, rebuiltModel) in zip(live, rebuilt.readModels) {
            #expect(liveModel.name == rebuiltModel.name)
            #expect(liveModel.coveredPosition == rebuiltModel.coveredPosition, "\(liveModel.name)")
            #expect(liveModel.digestValue == rebuiltModel.digestValue, "\(liveModel.name)")
        }
    }

    /// `GET /v1/admin/read-models` (what the kill -9 rounds of tools/load/crash-rounds.py
    /// compare with `logbook replay --until`): every live model, at one position, with the
    /// digest a rebuild from position 1 to that position reaches; admin token only.
    @Test func theAdminRouteGivesEachModelsPositionAndTheDigestOfARebuild() async throws {
        let server = try await TestServer()
        let admin: HTTPFields = [.authorization: "Bearer \(TestServer.adminToken)"]
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let bob = try await client.registerMember("bob")
            _ = try await client.sendCode(to: "+8613712345601")
            let post = try await client.post(alice.token, "hello")
            #expect(try await client.call(.put, "/v1/feeds/\(post)/like", headers: bearer(bob.token)).status == .noContent)
            #expect(try await client.call(.post, "/v1/feeds/\(post)/comments", json: #"{"content":"hi"}"#, headers: bearer(bob.token)).status == .created)
            #expect(try await client.call(.put, "/v1/members/\(alice.id)/follow", headers: bearer(bob.token)).status == .noContent)
            let group = try await client.createGroup(alice.token)
            #expect(try await client.join(group, bob.token).status == .noContent)
            #expect(try await client.sendText(alice.token, to: bob.id).status == .created)
            #expect(try await client.sendMessage(bob.token, #""to_group_id":"\#(group)""#).status == .created)
            #expect(try await client.call(.get, "/v1/admin/read-models").status == .unauthorized)
            #expect(try await client.call(.get, "/v1/admin/read-models", headers: [.authorization: "Bearer nope"]).status == .unauthorized)
            let reply = try await client.call(.get, "/v1/admin/read-models", headers: admin)
            #expect(reply.status == .ok)
            let head = try await server.log.head().size
            let items = try #require(reply["items"] as? [[String: Any]])
            #expect(reply["position"] as? Int == Int(head))
            let rebuilt = try await LogbookDomains.audit(log: server.log)
            try await ProjectionRuntime(log: server.log, projections: rebuilt.readModels).rebuild()
            #expect(items.count >= 8 && items.map { $0["name"] as? String } == rebuilt.readModels.map(\.name))
            for (item, model) in zip(items, rebuilt.readModels) {
                #expect(item["position"] as? Int == Int(head), "\(model.name)")
                #expect(item["digest"] as? String == model.digestValue, "\(model.name)")
            }
        }
    }
}
