import EventSourcing
import Foundation
import HTTPTypes
import HTTPAPI
import ServerKit
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ConventionsTests {
    /// API.md counts characters as a person sees them; JSON Schema's maxLength counts code
    /// points. A name of 30 characters, each a letter and an accent with no precomposed form,
    /// is 60 code points: accepted, and its answers still keep to the documented schemas.
    @Test func namesOfCombinedCharactersAreAcceptedAndKeepToTheirSchemas() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let document = try await client.inlinedOpenAPIDocument()
            let auth = bearer(try await client.registerMember("alice").token)
            let name = String(repeating: "q\u{301}", count: 30)
            #expect(name.count == 30 && name.unicodeScalars.count == 60)
            let patched = try await client.call(.patch, "/v1/members/me", json: #"{"display_name":"\#(name)"}"#, headers: auth)
            #expect(patched.status == .ok, "\(patched.json)")
            let me = try await client.call(.get, "/v1/members/me", headers: auth)
            #expect(me["display_name"] as? String == name)
            #expect(schemaViolations(of: me.json, against: try #require(responseSchema(document, "get", "/v1/members/me", 200))) == [])
            let address = #"{"full_name":"\#(name)\#(name)","zip_code":"","address":"\#(name)","phone":"","type":"none","default":false}"#
            let added = try await client.call(.post, "/v1/members/me/addresses", json: address, headers: auth)
            #expect(added.status == .created, "\(added.json)")
            #expect(schemaViolations(of: added.json, against: try #require(responseSchema(document, "post", "/v1/members/me/addresses", 201))) == [])
        }
    }

    @Test func malformedBodiesAreA400() async throws {
        let server = try await TestServer()
        try await server.test { client in
            for body in ["{bad", "[1,2]", "", "\"text\""] {
                let reply = try await client.call(.post, "/v1/verifications", json: body)
                #expect(reply.status == .badRequest && reply.errorCode == "invalid_json", "body \(body)")
            }
        }
    }

    @Test func bodiesOverOneMiBAreA413() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let big = #"{"channel":"sms","to":"+8613712345678","operation":"x","pad":""# + String(repeating: "a", count: 1 << 20) + #""}"#
            let reply = try await client.call(.post, "/v1/verifications", json: big)
            #expect(reply.status == .contentTooLarge && reply.errorCode == "payload_too_large", "\(reply.status) \(reply.json)")
        }
    }

    @Test func otherMediaTypesAreA415() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let reply = try await client.call(
                .post, "/v1/verifications", json: "channel=sms", headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(reply.status == .unsupportedMediaType && reply.errorCode == "unsupported_media_type")
        }
    }

    @Test func unknownRoutesAndMethodsGetTheEnvelope() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let missing = try await client.call(.get, "/v1/nothing")
            #expect(missing.status == .notFound && missing.errorCode == "not_found")
            let method = try await client.call(.put, "/v1/verifications")
            #expect(method.status == .methodNotAllowed && method.errorCode == "method_not_allowed")
            #expect(method.headers[.allow] == "POST")
            let devOnly = try await client.call(.patch, "/v1/verifications/01ZZZZZZZZZZZZZZZZZZZZZZZZ")
            #expect(devOnly.status == .methodNotAllowed && devOnly.headers[.allow] == "GET, DELETE")
        }
    }

    @Test func aRetryWithTheSameKeyReplaysTheFirstResponseAndAppendsNothing() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let body = #"{"channel":"sms","to":"+8613712345678","operation":"register"}"#
            let headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "retry-1"]
            let first = try await client.call(.post, "/v1/verifications", json: body, headers: headers)
            let events = try await server.log.head().size
            let second = try await client.call(.post, "/v1/verifications", json: body, headers: headers)
            #expect(second.status == .created)
            #expect(second["key"] as? String == first["key"] as? String)
            #expect(second["expires_at"] as? String == first["expires_at"] as? String)
            #expect(try await server.log.head().size == events)
            let other = try await client.call(
                .post, "/v1/verifications", json: body.replacingOccurrences(of: "register", with: "login"), headers: headers)
            #expect(other.status == .unprocessableContent && other.errorCode == "idempotency_key_reused")
            // The same key on another route is another key.
            let key = try #require(first["key"] as? String)
            let check = try await client.call(.post, "/v1/verifications/\(key)/check", json: #"{"code":"000000"}"#, headers: headers)
            #expect(check.errorCode == "code_incorrect" || check.status == .ok)
        }
    }

    @Test func aRetriedWrongCheckIsNotASecondAttempt() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let key = try await client.sendCode()
            let code = try #require(await server.deliveredCode())
            let wrong = code == "000000" ? "111111" : "000000"
            let headers: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "check-1"]
            for _ in 0..<3 {
                let reply = try await client.call(.post, "/v1/verifications/\(key)/check", json: #"{"code":"\#(wrong)"}"#, headers: headers)
                #expect(reply.status == .unprocessableContent && reply.error["attempts_left"] as? Int == 4)
            }
            #expect(try await client.call(.get, "/v1/verifications/\(key)")["attempts_left"] as? Int == 4)
        }
    }

    @Test(arguments: ["", String(repeating: "k", count: 129), "has space", "tab\tkey", "ключ"])
    func malformedIdempotencyKeysAreA400(key: String) async throws {
        let server = try await TestServer()
        try await server.test { client in
            var headers = HTTPFields()
            headers.append(HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: key))
            let reply = try await client.call(.post, "/v1/verifications", json: #"{"channel":"sms","to":"+8613712345678","operation":"x"}"#, headers: headers)
            #expect(reply.status == .badRequest && reply.error["field"] as? String == "Idempotency-Key")
        }
    }

    @Test func healthHeadAndMetrics() async throws {
        let server = try await TestServer()
        try await server.test { client in
            #expect(try await client.call(.get, "/healthz")["status"] as? String == "ok")
            let empty = try await client.call(.get, "/v1/log/head")
            #expect(empty["size"] as? Int == 0 && empty["timestamp"] == nil)
            #expect(empty["root"] as? String == MerkleHash.empty.hex)
            _ = try await client.sendCode()
            let head = try await client.call(.get, "/v1/log/head")
            #expect(head["size"] as? Int == 2)
            #expect(head["root"] as? String == (try await server.log.head()).root.hex)
            #expect(head["timestamp"] as? String == server.clock.now.rfc3339)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }

    /// Every query parameter API.md names is in the document for its route (a route that
    /// reads `page` without declaring it leaves generated clients without it).
    @Test func theOpenAPIDocumentListsTheQueryParametersAPIMdNames() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let document = try await client.inlinedOpenAPIDocument()
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            let expected: [(String, Set<String>)] = [
                ("/v1/dev/outbox", ["to"]), ("/v1/members", ["q", "page", "page_size"]),
                ("/v1/feeds", ["q", "cursor", "limit"]), ("/v1/members/me/feeds", ["review_status", "q", "cursor", "limit"]),
                ("/v1/feeds/following", ["cursor", "limit"]), ("/v1/feeds/recommended", ["limit"]),
                ("/v1/members/{id}/followers", ["page", "page_size"]), ("/v1/members/{id}/following", ["page", "page_size"]),
                ("/v1/feeds/{id}/comments", ["cursor", "limit"]), ("/v1/admin/feeds", ["review_status", "cursor", "limit"]),
                ("/v1/groups", ["q", "page", "page_size"]), ("/v1/groups/{id}/members", ["page", "page_size"]),
                ("/v1/members/me/groups", ["page", "page_size"]), ("/v1/conversations/{id}/messages", ["before_seq", "limit"]),
                ("/v1/sync", ["after", "limit"]), ("/v1/stream", ["token", "after"]), ("/v1/admin/events", ["after", "limit"]),
                ("/v1/admin/events/stream", ["after", "types"]), ("/v1/log/proofs/inclusion", ["index", "size"]),
                ("/v1/log/proofs/consistency", ["from", "to"]),
            ]
            for (path, names) in expected {
                let get = paths[path]?["get"] as? [String: Any]
                let declared = Set((get?["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String })
                #expect(names.isSubset(of: declared), "GET \(path) declares \(declared.sorted()), API.md names \(names.sorted())")
            }
        }
    }

    /// The document bounds `Idempotency-Key` as API.md and the server do (1-128 visible
    /// ASCII; it said 255, so a generated client's longer key was a 400 it did not expect),
    /// and declares it on the upload route too.
    @Test func theIdempotencyKeyParameterIsBoundedAsTheServerBoundsIt() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let document = try await client.inlinedOpenAPIDocument()
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            let upload = paths["/v1/uploads"]?["post"] as? [String: Any]
            let declared = (document["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]] ?? [:]
            let parameter = (upload?["parameters"] as? [[String: Any]] ?? [])
                .map { ($0["$ref"] as? String).flatMap { declared[String($0.split(separator: "/").last ?? "")] } ?? $0 }
                .first { $0["name"] as? String == "Idempotency-Key" }
            let schema = parameter?["schema"] as? [String: Any]
            #expect(schema?["maxLength"] as? Int == 128 && schema?["minLength"] as? Int == 1)
            let pattern = try #require(schema?["pattern"] as? String)
            let regex = try NSRegularExpression(pattern: pattern)
            for (key, valid) in [("a", true), (String(repeating: "k", count: 128), true), ("~!", true), ("a b", false), ("é", false)] {
                let matched = regex.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil
                #expect(matched == valid, "\(key)")
            }
        }
    }

    @Test func theOpenAPIDocumentDescribesExactlyTheRoutesThatExist() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) { response in
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
            }
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
            let registered = Set(server.routes.routes.map { "\($0.method.rawValue) \($0.path)" })
            #expect(documented == registered)
            // API.md's verification, members and operations routes are all there.
            for route in ["POST /v1/verifications", "GET /v1/verifications/{key}", "POST /v1/verifications/{key}/check",
                          "DELETE /v1/verifications/{key}", "GET /v1/dev/outbox", "GET /healthz", "GET /metrics",
                          "GET /openapi.json", "GET /v1/log/head",
                          "POST /v1/members", "GET /v1/members/display-names/{name}", "POST /v1/sessions",
                          "DELETE /v1/sessions/current", "GET /v1/sessions", "GET /v1/members/me", "PATCH /v1/members/me",
                          "GET /v1/members/{id}", "GET /v1/members", "PUT /v1/members/me/password", "POST /v1/members/me/email",
                          "POST /v1/members/me/email/confirm", "POST /v1/password-resets", "POST /v1/password-resets/confirm",
                          "PUT /v1/members/me/security-question", "GET /v1/members/me/addresses", "POST /v1/members/me/addresses",
                          "PUT /v1/members/me/addresses/{id}", "DELETE /v1/members/me/addresses/{id}", "DELETE /v1/members/me",
                          "PUT /v1/admin/members/{id}/email", "PUT /v1/admin/members/{id}/password",
                          "DELETE /v1/admin/members/{id}/avatar", "DELETE /v1/admin/members/{id}"] {
                #expect(documented.contains(route), "\(route) is not documented")
            }
            // Every documented route exists on the real router: no 405, and no router 404
            // (an unknown entity's 404 is fine).
            for route in server.routes.routes {
                let uri = route.path.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix("{") ? "01ZZZZZZZZZZZZZZZZZZZZZZZZ" : String($0) }.joined(separator: "/")
                let reply = try await client.call(route.method, uri, json: route.requestSchema == nil ? nil : "{}")
                let routerMiss = reply.status == .notFound && reply.error["message"] as? String == "There is nothing here."
                #expect(reply.status != .methodNotAllowed && !routerMiss, "\(route.method) \(route.path) answered \(reply.status)")
            }
        }
    }

    /// The document's security is what the server does: a route that needs a token
    /// declares it (a generated client sends it), and a route that declares none
    /// never answers 401 to a caller without one.
    @Test func everyOperationDeclaresTheTokenItNeeds() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let document = try await client.execute(uri: "/openapi.json", method: .get) { response in
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any] ?? [:]
            }
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            var checked = 0
            for (path, operations) in paths {
                for (method, operation) in operations {
                    let requirements = operation["security"] as? [[String: Any]] ?? []
                    let schemes = requirements.flatMap(\.keys)
                    // `[{}, {memberToken: []}]`: a token is optional, but a bad one is refused.
                    let optional = requirements.contains { $0.isEmpty }
                    let uri = path.split(separator: "/", omittingEmptySubsequences: false)
                        .map { $0.hasPrefix("{") ? "01ZZZZZZZZZZZZZZZZZZZZZZZZ" : String($0) }.joined(separator: "/")
                    let reply = try await client.call(
                        HTTPRequest.Method(rawValue: method.uppercased()) ?? .get, uri,
                        json: operation["requestBody"] == nil ? nil : "{}")
                    if optional {
                        #expect(reply.status != .unauthorized, "\(method) \(path) declares the token optional but answered 401 without one")
                        let badToken = try await client.call(
                            HTTPRequest.Method(rawValue: method.uppercased()) ?? .get, uri,
                            json: operation["requestBody"] == nil ? nil : "{}", headers: [.authorization: "Bearer lbk_not_a_token"])
                        #expect(badToken.status == .unauthorized, "\(method) \(path) declares an optional token but let a bad one through")
                    } else if schemes.isEmpty {
                        #expect(reply.status != .unauthorized, "\(method) \(path) answers 401 without a token but declares no security")
                    } else {
                        #expect(reply.status == .unauthorized, "\(method) \(path) declares \(schemes) but answered \(reply.status) without a token")
                        let declared = (operation["responses"] as? [String: Any])?["401"]
                        #expect(declared != nil, "\(method) \(path) needs a token but does not document its 401")
                    }
                    checked += 1
                }
            }
            #expect(checked == server.routes.routes.count)
        }
    }
}
