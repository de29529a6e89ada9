import EventSourcing
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Members
import Testing
import Verification

@Suite struct AddressesAndAdminAPITests {
    @Test func addressBookKeepsOneDefaultPerType() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let auth = bearer(alice.token)
            let body = { (name: String, type: String, isDefault: Bool) in
                #"{"full_name":"\#(name)","zip_code":"100000","address":"1 Road, Beijing","phone":"+86 137 1234 5678","type":"\#(type)","default":\#(isDefault)}"#
            }
            let first = try await client.call(.post, "/v1/members/me/addresses", json: body("Home", "main_shipping", true), headers: auth)
            #expect(first.status == .created && first["default"] as? Bool == true && first["type"] as? String == "main_shipping")
            let firstID = try #require(first["id"] as? String)
            let second = try await client.call(.post, "/v1/members/me/addresses", json: body("Office", "main_shipping", true), headers: auth)
            let secondID = try #require(second["id"] as? String)
            _ = try await client.call(.post, "/v1/members/me/addresses", json: body("Live", "main_live", true), headers: auth)
            var list = try #require(try await client.call(.get, "/v1/members/me/addresses", headers: auth)["items"] as? [[String: Any]])
            #expect(list.count == 3)
            #expect(list.filter { $0["default"] as? Bool == true }.compactMap { $0["full_name"] as? String } == ["Office", "Live"])
            let replaced = try await client.call(.put, "/v1/members/me/addresses/\(firstID)", json: body("Home 2", "main_shipping", true), headers: auth)
            #expect(replaced.status == .ok && replaced["id"] as? String == firstID && replaced["full_name"] as? String == "Home 2")
            list = try #require(try await client.call(.get, "/v1/members/me/addresses", headers: auth)["items"] as? [[String: Any]])
            #expect(list.first { $0["id"] as? String == secondID }?["default"] as? Bool == false)
            #expect(try await client.call(.delete, "/v1/members/me/addresses/\(secondID)", headers: auth).status == .noContent)
            #expect(try await client.call(.delete, "/v1/members/me/addresses/\(secondID)", headers: auth).status == .notFound)
            let badType = try await client.call(.post, "/v1/members/me/addresses", json: body("X", "castle", false), headers: auth)
            #expect(badType.error["field"] as? String == "type")
            let noName = try await client.call(.post, "/v1/members/me/addresses", json: body("", "none", false), headers: auth)
            #expect(noName.error["field"] as? String == "full_name")
            #expect(try await client.call(.get, "/v1/members/me/addresses").status == .unauthorized)
            for event in try await server.allEvents() { #expect(!event.payload.contains(text: "Beijing")) }
        }
    }

    @Test func adminActionsNeedTheAdminTokenAndAreRecordedWithTheirActor() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            _ = try await client.call(.patch, "/v1/members/me", json: #"{"avatar_url":"https://img.example.com/a.png"}"#, headers: bearer(alice.token))
            let admin = bearer(TestServer.adminToken)
            #expect(try await client.call(.delete, "/v1/admin/members/\(alice.id)/avatar", headers: bearer(alice.token)).status == .unauthorized)
            #expect(try await client.call(.delete, "/v1/admin/members/\(alice.id)/avatar", headers: admin).status == .noContent)
            #expect(try await client.me(alice.token)["avatar_url"] as? String == "")
            #expect(try await client.call(.put, "/v1/admin/members/\(alice.id)/email", json: #"{"email":"new@example.com"}"#, headers: admin).status == .noContent)
            let me = try await client.me(alice.token)
            #expect(me["email"] as? String == "new@example.com" && me["email_verified"] as? Bool == true)
            #expect(try await client.call(.put, "/v1/admin/members/\(alice.id)/password", json: #"{"password":"x"}"#, headers: admin).errorCode == "weak_password")
            #expect(try await client.call(.put, "/v1/admin/members/\(alice.id)/password", json: #"{"password":"set-by-admin-1"}"#, headers: admin).status == .noContent)
            #expect(try await client.me(alice.token).status == .unauthorized)
            let session = try #require(try await client.login("alice", "set-by-admin-1")["token"] as? String)
            #expect(try await client.call(.delete, "/v1/admin/members/\(alice.id)", headers: admin).status == .noContent)
            #expect(try await client.me(session).status == .unauthorized)
            #expect(try await client.login("alice", "set-by-admin-1").status == .unauthorized)
            #expect(try await client.call(.get, "/v1/members/\(alice.id)").status == .notFound)
            #expect(try await client.call(.delete, "/v1/admin/members/\(alice.id)", headers: admin).status == .notFound)
            let adminEvents = try await server.allEvents().filter { $0.metadata.actor == "admin" }
            #expect(Set(adminEvents.map(\.type)).isSuperset(of: [
                ProfileUpdated.type, EmailBound.type, PasswordChanged.type, MemberDisabled.type,
            ]))
        }
    }
}
