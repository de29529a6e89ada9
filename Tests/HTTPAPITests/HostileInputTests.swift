import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Requests an attacker would send first: each once crashed the process (a trap inside
/// the read model's lock, or an overflow) and must now be a 4xx in the envelope.
@Suite struct HostileInputTests {
    @Test func malformedUsernamesAtLoginAreInvalidCredentialsNotACrash() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let long = String(repeating: "a", count: 300)
            for username in ["a\\u0001", long, "\\u0000", "a b", ""] {
                let reply = try await client.call(.post, "/v1/sessions", json: #"{"username":"\#(username)","password":"whatever-1"}"#)
                #expect(reply.status == .unauthorized, "\(username.prefix(20)): \(reply.json)")
                #expect(reply.errorCode == "invalid_credentials")
            }
            let reset = try await client.call(.post, "/v1/password-resets", json: #"{"username":"a\u0001"}"#)
            #expect(reset.status == .badRequest)
        }
    }

    @Test func positionsAtTheTopOfTheIntegerRangeAreRefusedNotOverflowed() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let admin = bearer(TestServer.adminToken)
            for uri in ["/v1/admin/events?after=18446744073709551615", "/v1/admin/events/stream?after=18446744073709551615",
                        "/v1/log/proofs/inclusion?index=18446744073709551614&size=18446744073709551615"] {
                let reply = try await client.call(.get, uri, headers: admin)
                #expect(reply.status == .badRequest, "\(uri): \(reply.status)")
                #expect(reply.errorCode == "validation_failed")
            }
            let last = try await client.call(.get, "/v1/admin/events?after=9223372036854775807", headers: admin)
            #expect(last.status == .ok)
        }
    }

    @Test func malformedPathIdsAreNotFound() async throws {
        let server = try await TestServer()
        try await server.test { client in
            for uri in ["/v1/verifications/%00", "/v1/verifications/" + String(repeating: "Z", count: 300), "/v1/members/a%01b"] {
                let reply = try await client.call(.get, uri)
                #expect(reply.status == .notFound, "\(uri): \(reply.status)")
            }
        }
    }
}
