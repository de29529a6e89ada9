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
}
