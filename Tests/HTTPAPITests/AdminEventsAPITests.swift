import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct AdminEventsAPITests {
    let bearer: HTTPFields = [.authorization: "Bearer \(TestServer.adminToken)"]

    @Test func eventsArePagedDecodedAndAdminOnly() async throws {
        let server = try await TestServer()
        let bearer = self.bearer
        try await server.test { client in
            for i in 0..<3 { _ = try await client.sendCode(to: "+86137000000\(10 + i)") }
            #expect(try await client.call(.get, "/v1/admin/events").status == .unauthorized)
            #expect(try await client.call(.get, "/v1/admin/events", headers: [.authorization: "Bearer nope"]).status == .unauthorized)
            let page = try await client.call(.get, "/v1/admin/events?after=1&limit=3", headers: bearer)
            #expect(page.status == .ok)
            let items = try #require(page["items"] as? [[String: Any]])
            #expect(items.map { $0["position"] as? Int } == [2, 3, 4])
            #expect(page["next_after"] as? Int == 4)
            let issued = try #require(items.first { $0["type"] as? String == "verification.code-issued.v1" })
            let payload = try #require(issued["payload"] as? [String: Any])
            #expect(payload["to"] as? String == "+86137****0010" || payload["to"] as? String == "+86137****0011")
            #expect(payload["code_hash"] is String && payload["base64"] == nil)
            let end = try await client.call(.get, "/v1/admin/events?after=6", headers: bearer)
            #expect((end["items"] as? [Any])?.isEmpty == true && end["next_after"] as? Int == 6)
            let bad = try await client.call(.get, "/v1/admin/events?limit=0", headers: bearer)
            #expect(bad.status == .badRequest && bad.error["field"] as? String == "limit")
        }
    }

    @Test func withoutATokenAdminRoutesAreOff() async throws {
        let server = try await TestServer(adminToken: nil)
        let bearer = self.bearer
        try await server.test { client in
            let reply = try await client.call(.get, "/v1/admin/events", headers: bearer)
            #expect(reply.status == .forbidden && reply.errorCode == "forbidden")
        }
    }
}
