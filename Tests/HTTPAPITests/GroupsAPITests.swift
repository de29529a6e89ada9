import EventSourcing
import Foundation
import Groups
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Members
import Testing

@Suite struct GroupsAPITests {
    @Test func aGroupIsCreatedReadUpdatedAndDeleted() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("owner1")
            let created = try await client.call(
                .post, "/v1/groups", json: #"{"name":"  Rust 学习 ","introduction":"Weekly.","avatar_url":"https://example.com/a.png"}"#,
                headers: bearer(owner.token))
            #expect(created.status == .created)
            let id = try #require(created["id"] as? String)
            #expect(created["name"] as? String == "Rust 学习" && created["introduction"] as? String == "Weekly.")
            #expect(created["avatar_url"] as? String == "https://example.com/a.png" && created["owner_id"] as? String == owner.id)
            #expect(created["member_count"] as? Int == 1 && created["created_at"] as? String == server.clock.now.rfc3339)
            #expect(created["updated_at"] as? String == server.clock.now.rfc3339)

            let read = try await client.call(.get, "/v1/groups/\(id)")
            #expect(read.status == .ok && read["name"] as? String == "Rust 学习")

            server.clock.advance(seconds: 60)
            let updated = try await client.call(.put, "/v1/groups/\(id)", json: #"{"introduction":"Daily."}"#, headers: bearer(owner.token))
            #expect(updated.status == .ok && updated["introduction"] as? String == "Daily." && updated["name"] as? String == "Rust 学习")
            #expect(updated["updated_at"] as? String == server.clock.now.rfc3339 && updated["created_at"] as? String != updated["updated_at"] as? String)
            // Nothing to change: 200, no event.
            let events = try await server.allEvents().count
            #expect(try await client.call(.put, "/v1/groups/\(id)", json: #"{"introduction":"Daily."}"#, headers: bearer(owner.token)).status == .ok)
            #expect(try await server.allEvents().count == events)

            #expect(try await client.call(.delete, "/v1/groups/\(id)", headers: bearer(owner.token)).status == .noContent)
            for reply in [
                try await client.call(.get, "/v1/groups/\(id)"), try await client.call(.get, "/v1/groups/\(id)/members"),
                try await client.join(id, owner.token), try await client.call(.delete, "/v1/groups/\(id)", headers: bearer(owner.token)),
                try await client.call(.put, "/v1/groups/\(id)", json: #"{"name":"x"}"#, headers: bearer(owner.token)),
            ] {
                #expect(reply.status == .notFound && reply.errorCode == "not_found")
            }
            #expect((try await client.call(.get, "/v1/members/me/groups", headers: bearer(owner.token)))["total_rows"] as? Int == 0)
            #expect(!server.groups.isMember(id, owner.id))
        }
    }

    @Test func inputRulesAnswer400NamingTheField() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("owner2")
            let long = String(repeating: "名", count: 65)
            let marks = "a" + String(repeating: "\u{0301}", count: 5)
            let cases: [(String, String)] = [
                (#"{"name":""}"#, "name"), (#"{"name":"   "}"#, "name"), (#"{"name":"\#(long)"}"#, "name"),
                (#"{"name":"a\u0007b"}"#, "name"), (#"{"name":"a\u200Bb"}"#, "name"), (#"{"name":"\#(marks)"}"#, "name"),
                (#"{"name":"ok","introduction":"\#(String(repeating: "x", count: 1001))"}"#, "introduction"),
                (#"{"name":"ok","introduction":"a\u0000"}"#, "introduction"),
                (#"{"name":"ok","avatar_url":"javascript:alert(1)"}"#, "avatar_url"), (#"{"name":7}"#, "name"), (#"{}"#, "name"),
            ]
            for (body, field) in cases {
                let reply = try await client.call(.post, "/v1/groups", json: body, headers: bearer(owner.token))
                #expect(reply.status == .badRequest && reply.errorCode == "validation_failed", "\(body): \(reply.json)")
                #expect(reply.error["field"] as? String == field, "\(body): \(reply.json)")
            }
            #expect(try await client.call(.post, "/v1/groups", json: #"{"name":"\#(String(repeating: "名", count: 64))"}"#, headers: bearer(owner.token)).status == .created)
            #expect(try await client.call(.post, "/v1/groups", json: #"{"name":"x"}"#).status == .unauthorized)
            #expect(try await client.call(.post, "/v1/groups", json: "{", headers: bearer(owner.token)).errorCode == "invalid_json")
            // Paths: a malformed group id names nothing; an unknown one neither.
            for uri in ["/v1/groups/nope", "/v1/groups/\(EntityID.example)", "/v1/groups/%00/members"] {
                #expect(try await client.call(.get, uri).status == .notFound, "\(uri)")
            }
            let group = try await client.createGroup(owner.token)
            #expect(try await client.removeMember(group, "not-an-id", owner.token).status == .notFound)
            #expect(try await client.setRole(group, owner.id, "owner", owner.token).error["field"] as? String == "role")
            #expect(try await client.handOver(group, to: "x", owner.token).error["field"] as? String == "member_id")
            #expect(try await client.call(.get, "/v1/groups/\(group)/members?page_size=101").error["field"] as? String == "page_size")
            #expect(try await client.call(.get, "/v1/groups?q=\(String(repeating: "a", count: 65))").error["field"] as? String == "q")
        }
    }

    @Test func searchFindsNamesByWordPrefixAndCJKCharactersInCreationOrder() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let owner = try await client.registerMember("owner3")
            let rust = try await client.createGroup(owner.token, name: "Rust Readers")
            let weather = try await client.createGroup(owner.token, name: "今天天气很好")
            let swift = try await client.createGroup(owner.token, name: "Swift readers club")
            func search(_ q: String, page: Int = 1, size: Int = 20) async throws -> [String] {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")) ?? q
                let reply = try await client.call(.get, "/v1/groups?q=\(encoded)&page=\(page)&page_size=\(size)")
                #expect(reply.status == .ok)
                return (reply["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await search("read") == [rust, swift])
            #expect(try await search("READERS swift") == [swift])
            #expect(try await search("天气") == [weather])
            #expect(try await search("天") == [weather])
            #expect(try await search("气很") == [weather])
            // A run of three matches the run, not just its pairs (东京 and 京塔 apart).
            let tower = try await client.createGroup(owner.token, name: "东京塔同好会")
            _ = try await client.createGroup(owner.token, name: "东京和京塔")
            #expect(try await search("东京塔") == [tower])
            #expect(try await search("club rust").isEmpty)
            #expect(try await search("").prefix(3) == [rust, weather, swift])
            #expect(try await search("", page: 2, size: 2).first == swift)
            let page = try await client.call(.get, "/v1/groups?page=1&page_size=2")
            #expect(page["total_rows"] as? Int == 5 && page["total_pages"] as? Int == 3 && page["page_size"] as? Int == 2)
            _ = try await client.call(.put, "/v1/groups/\(rust)", json: #"{"name":"Go gophers"}"#, headers: bearer(owner.token))
            #expect(try await search("rust").isEmpty)
            #expect(try await search("gopher") == [rust])
            _ = try await client.call(.delete, "/v1/groups/\(swift)", headers: bearer(owner.token))
            #expect(try await search("read").isEmpty)
            #expect(try await search("").prefix(2) == [rust, weather])
        }
    }
    @Test func theOpenAPIDocumentListsEveryGroupRouteWithItsSchemas() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let document = try await client.inlinedOpenAPIDocument()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            func operation(_ method: String, _ path: String) -> [String: Any]? { paths[path]?[method] as? [String: Any] }
            for (method, path) in [
                ("post", "/v1/groups"), ("get", "/v1/groups"), ("get", "/v1/groups/{id}"), ("put", "/v1/groups/{id}"),
                ("delete", "/v1/groups/{id}"), ("get", "/v1/groups/{id}/members"), ("put", "/v1/groups/{id}/members/me"),
                ("delete", "/v1/groups/{id}/members/me"), ("delete", "/v1/groups/{id}/members/{member_id}"),
                ("put", "/v1/groups/{id}/members/{member_id}/role"), ("put", "/v1/groups/{id}/owner"), ("get", "/v1/members/me/groups"),
            ] {
                #expect(operation(method, path) != nil, "\(method) \(path) is not documented")
            }
            let described = "\(paths)"
            for field in ["member_count", "owner_id", "total_rows", "role", "joined_at", "member_id", "introduction"] {
                #expect(described.contains(field), "\(field) is in no schema")
            }
            let create = "\(operation("post", "/v1/groups")?["requestBody"] ?? "")"
            #expect("\(create)".contains("avatar_url") && "\(create)".contains("name"))
            let role = "\(operation("put", "/v1/groups/{id}/members/{member_id}/role")?["requestBody"] ?? "")"
            #expect("\(role)".contains("admin") && !"\(role)".contains("owner"))
        }
    }
}
