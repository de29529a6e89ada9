import EventSourcing
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Members
import Testing
import Verification

@Suite struct MembersAPITests {
    @Test func registrationAnswersMeWithATokenThatWorks() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let reply = try await client.call(
                .post, "/v1/members",
                json: #"{"username":"Alice_1","password":"correct-horse-7","display_name":"Alice 李","email":"Alice@Example.COM"}"#)
            #expect(reply.status == .created)
            let member = try #require(reply["member"] as? [String: Any])
            #expect(member["username"] as? String == "Alice_1")
            #expect(member["display_name"] as? String == "Alice 李")
            #expect(member["gender"] as? String == "unknown" && member["avatar_url"] as? String == "")
            #expect(member["email"] as? String == "Alice@example.com" && member["email_verified"] as? Bool == false)
            #expect(member["phone"] == nil)
            #expect(member["created_at"] as? String == server.clock.now.rfc3339)
            let token = try #require(reply["token"] as? String)
            #expect(token.hasPrefix("lbk_") && token.count >= 43)
            #expect(reply["expires_at"] as? String == server.clock.now.adding(seconds: 30 * 86_400).rfc3339)
            let me = try await client.me(token)
            #expect(me.status == .ok && me["id"] as? String == member["id"] as? String)
            #expect(try await client.me("lbk_wrong").errorCode == "unauthenticated")
            #expect(try await client.call(.get, "/v1/members/me").status == .unauthorized)
        }
    }

    @Test func inputRulesAnswer400WithTheirCodes() async throws {
        let server = try await TestServer()
        try await server.test { client in
            func register(_ body: String) async throws -> Reply { try await client.call(.post, "/v1/members", json: body) }
            let cases: [(String, String, String?)] = [
                (#"{"username":"ab","password":"correct-horse-7","display_name":"A"}"#, "validation_failed", "username"),
                (#"{"username":"a-b-c","password":"correct-horse-7","display_name":"A"}"#, "validation_failed", "username"),
                (#"{"username":"abc","password":"correct-horse-7","display_name":"A!"}"#, "validation_failed", "display_name"),
                (#"{"username":"abc","password":"correct-horse-7","display_name":" A"}"#, "validation_failed", "display_name"),
                (#"{"username":"abc","password":"correct-horse-7","display_name":"\#(String(repeating: "x", count: 33))"}"#, "validation_failed", "display_name"),
                (#"{"username":"abc","password":"short","display_name":"A"}"#, "weak_password", "password"),
                (#"{"username":"abcdefgh","password":"ABCDEFGH","display_name":"A"}"#, "weak_password", "password"),
                (#"{"username":"abc","password":"12345678","display_name":"A"}"#, "weak_password", "password"),
                (#"{"username":"abc","password":"password","display_name":"A"}"#, "weak_password", "password"),
                (#"{"username":"abc","password":"correct-horse-7","display_name":"A","phone":"12"}"#, "validation_failed", "phone"),
                (#"{"username":"abc","password":"correct-horse-7","display_name":"A","email":"nope"}"#, "validation_failed", "email"),
                (#"{"username":"abc","password":"correct-horse-7"}"#, "validation_failed", "display_name"),
                (#"{"username":"abc","password":7,"display_name":"A"}"#, "validation_failed", "password"),
            ]
            for (body, code, field) in cases {
                let reply = try await register(body)
                #expect(reply.status == .badRequest, "\(body)")
                #expect(reply.errorCode == code, "\(body): \(reply.json)")
                #expect(reply.error["field"] as? String == field, "\(body): \(reply.json)")
            }
            #expect(try await server.allEvents().isEmpty)
        }
    }

    @Test func usernamesAndDisplayNamesAreUniqueInAnyCase() async throws {
        let server = try await TestServer()
        try await server.test { client in
            _ = try await client.registerMember("alice", displayName: "Ålice Ü")
            let sameName = try await client.call(.post, "/v1/members", json: #"{"username":"ALICE","password":"correct-horse-7","display_name":"Other"}"#)
            #expect(sameName.status == .conflict && sameName.errorCode == "username_taken")
            let sameDisplay = try await client.call(.post, "/v1/members", json: #"{"username":"bob","password":"correct-horse-7","display_name":"ålice ü"}"#)
            #expect(sameDisplay.status == .conflict && sameDisplay.errorCode == "display_name_taken")
            let available = try await client.call(.get, "/v1/members/display-names/%C3%85LICE%20%C3%9C")
            #expect(available["available"] as? Bool == false && available["reason"] as? String == "taken")
            #expect(try await client.call(.get, "/v1/members/display-names/Bob")["available"] as? Bool == true)
            let invalid = try await client.call(.get, "/v1/members/display-names/a!b")
            #expect(invalid["available"] as? Bool == false && (invalid["reason"] as? String)?.isEmpty == false)
        }
    }

    @Test func concurrentRegistrationsOfOneNameLetExactlyOneWin() async throws {
        let server = try await TestServer(log: InMemoryEventLog())
        try await server.test { client in
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let reply = try await client.call(
                            .post, "/v1/members",
                            json: #"{"username":"\#(index % 2 == 0 ? "SameName" : "samename")","password":"correct-horse-7","display_name":"Name \#(index)"}"#)
                        return (reply.status.code, reply.errorCode)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 201 }.count == 1)
            #expect(statuses.filter { $0.1 == "username_taken" }.count == 7)
            let displays = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await client.call(
                            .post, "/v1/members",
                            json: #"{"username":"user\#(index)","password":"correct-horse-7","display_name":"\#(index % 2 == 0 ? "Twin" : "TWIN")"}"#
                        ).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(displays.filter { $0 == 201 }.count == 1 && displays.filter { $0 == 409 }.count == 7)
        }
    }

    @Test func phoneRegistrationNeedsAnApprovedRegisterKeyUsedOnceAndFiveMembersAtMost() async throws {
        let server = try await TestServer(limits: .init(resendIntervalSeconds: 0, hourlyLimit: 100))
        try await server.test { client in
            let phone = "+8613712345678"
            let missing = try await client.call(.post, "/v1/members", json: #"{"username":"phone0","password":"correct-horse-7","display_name":"P0","phone":"\#(phone)"}"#)
            #expect(missing.status == .badRequest && missing.errorCode == "verification_required")
            let pending = try await client.sendCode(to: phone, operation: "register")
            let unapproved = try await client.call(.post, "/v1/members", json: #"{"username":"phone0","password":"correct-horse-7","display_name":"P0","phone":"\#(phone)","phone_verification_key":"\#(pending)"}"#)
            #expect(unapproved.errorCode == "verification_required")
            let loginKey = try await server.approvedKey(client, to: phone, operation: "login")
            let wrongOperation = try await client.call(.post, "/v1/members", json: #"{"username":"phone0","password":"correct-horse-7","display_name":"P0","phone":"\#(phone)","phone_verification_key":"\#(loginKey)"}"#)
            #expect(wrongOperation.errorCode == "verification_required")
            var keys: [String] = []
            for index in 0..<5 {
                let key = try await server.approvedKey(client, to: phone, operation: "register")
                keys.append(key)
                let member = try await client.registerMember("phone\(index)", extra: #","phone":"13712345678","phone_verification_key":"\#(key)""#)
                #expect(try await client.me(member.token)["phone"] as? String == phone)
            }
            let reused = try await client.call(.post, "/v1/members", json: #"{"username":"phone9","password":"correct-horse-7","display_name":"P9","phone":"\#(phone)","phone_verification_key":"\#(keys[0])"}"#)
            #expect(reused.errorCode == "verification_required")
            let sixth = try await server.approvedKey(client, to: phone, operation: "register")
            let limit = try await client.call(.post, "/v1/members", json: #"{"username":"phone5","password":"correct-horse-7","display_name":"P5","phone":"\#(phone)","phone_verification_key":"\#(sixth)"}"#)
            #expect(limit.status == .conflict && limit.errorCode == "phone_member_limit")
        }
    }

    @Test func profilePatchPublicProfileAndPagedSearch() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice", displayName: "Alice")
            let bob = try await client.registerMember("bob", displayName: "Bobby")
            for index in 0..<5 { _ = try await client.registerMember("carol\(index)", displayName: "Carol \(index)") }
            server.clock.advance(seconds: 5)
            let patched = try await client.call(
                .patch, "/v1/members/me", json: #"{"display_name":"Alicia","gender":"female","avatar_url":"https://img.example.com/a.png"}"#,
                headers: bearer(alice.token))
            #expect(patched.status == .ok)
            #expect(patched["display_name"] as? String == "Alicia" && patched["gender"] as? String == "female")
            #expect(patched["updated_at"] as? String == server.clock.now.rfc3339)
            #expect(patched["created_at"] as? String != patched["updated_at"] as? String)
            let taken = try await client.call(.patch, "/v1/members/me", json: #"{"display_name":"bobby"}"#, headers: bearer(alice.token))
            #expect(taken.errorCode == "display_name_taken")
            let badGender = try await client.call(.patch, "/v1/members/me", json: #"{"gender":"x"}"#, headers: bearer(alice.token))
            #expect(badGender.error["field"] as? String == "gender")
            let badURL = try await client.call(.patch, "/v1/members/me", json: #"{"avatar_url":"javascript:alert(1)"}"#, headers: bearer(alice.token))
            #expect(badURL.error["field"] as? String == "avatar_url")
            // The old display name is free again, the new one is not.
            #expect(try await client.call(.get, "/v1/members/display-names/Alice")["available"] as? Bool == true)
            #expect(try await client.call(.get, "/v1/members/display-names/ALICIA")["available"] as? Bool == false)
            let profile = try await client.call(.get, "/v1/members/\(alice.id)")
            #expect(profile.status == .ok && profile["display_name"] as? String == "Alicia")
            #expect(profile["avatar_url"] as? String == "https://img.example.com/a.png")
            #expect(profile["username"] == nil && profile["email"] == nil && profile["phone"] == nil)
            #expect(try await client.call(.get, "/v1/members/01M8UNKNOWNUNKNOWNUNKNOWN0").status == .notFound)
            let search = try await client.call(.get, "/v1/members?q=CAROL&page=2&page_size=2")
            #expect(search["total_rows"] as? Int == 5 && search["total_pages"] as? Int == 3)
            #expect(search["page"] as? Int == 2 && search["page_size"] as? Int == 2)
            let names = (search["items"] as? [[String: Any]] ?? []).compactMap { $0["display_name"] as? String }
            #expect(names == ["Carol 2", "Carol 3"])
            let byUsername = try await client.call(.get, "/v1/members?q=bob")
            #expect((byUsername["items"] as? [[String: Any]])?.first?["id"] as? String == bob.id)
            #expect(try await client.call(.get, "/v1/members?page_size=101").error["field"] as? String == "page_size")
        }
    }

    /// Without a query, the list pages through every active member in username order (the
    /// search index's username order, not a sort per request); disabled and deleted members
    /// are not in it.
    @Test func theListWithoutAQueryPagesEveryActiveMemberInUsernameOrder() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let usernames = ["mike", "Alpha", "zed", "bravo", "Charlie", "delta", "echo"]
            var ids: [String: String] = [:]
            var tokens: [String: String] = [:]
            for username in usernames {
                let member = try await client.registerMember(username)
                (ids[username], tokens[username]) = (member.id, member.token)
            }
            let disable = try await client.call(.delete, "/v1/admin/members/\(ids["zed"] ?? "")", headers: bearer(TestServer.adminToken))
            #expect(disable.status == .noContent)
            let password = #"{"password":"correct-horse-7"}"#
            let deletion = try await client.call(.delete, "/v1/members/me", json: password, headers: bearer(tokens["bravo"] ?? ""))
            #expect(deletion.status == .noContent)
            let expected = usernames.filter { $0 != "zed" && $0 != "bravo" }
                .map { ($0.lowercased(), ids[$0] ?? "") }.sorted { $0 < $1 }.map(\.1)
            var listed: [String] = []
            for page in 1...4 {
                let reply = try await client.call(.get, "/v1/members?page=\(page)&page_size=2")
                #expect(reply["total_rows"] as? Int == expected.count && reply["total_pages"] as? Int == 3)
                listed += (reply["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(listed == expected)
            #expect(try await client.call(.get, "/v1/members?q=")["total_rows"] as? Int == expected.count)
        }
    }
}
