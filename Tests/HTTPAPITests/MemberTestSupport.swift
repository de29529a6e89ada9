import EventSourcing
import Foundation
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Testing
import Verification

/// `Authorization: Bearer <token>`.
func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

extension TestClientProtocol {
    /// Registers a member and returns its id and token.
    func registerMember(
        _ username: String, password: String = "correct-horse-7", displayName: String? = nil, extra: String = ""
    ) async throws -> (id: String, token: String) {
        let reply = try await call(
            .post, "/v1/members",
            json: #"{"username":"\#(username)","password":"\#(password)","display_name":"\#(displayName ?? username)"\#(extra)}"#)
        #expect(reply.status == .created, "register \(username) failed: \(reply.json)")
        let member = reply["member"] as? [String: Any] ?? [:]
        return (member["id"] as? String ?? "", reply["token"] as? String ?? "")
    }

    func login(_ username: String, _ password: String = "correct-horse-7") async throws -> Reply {
        try await call(.post, "/v1/sessions", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    func me(_ token: String) async throws -> Reply { try await call(.get, "/v1/members/me", headers: bearer(token)) }
}

extension TestServer {
    /// Sends a code for `operation` to `to`, reads it from the dev outbox and checks it: an approved key.
    func approvedKey(_ client: any TestClientProtocol, to: String, operation: String, channel: String = "sms") async throws -> String {
        let key = try await client.sendCode(to: to, operation: operation, channel: channel)
        await worker.deliverDue()
        let code = try #require(outbox.messages(to: to).first { $0.message.key == key }?.message.code)
        let checked = try await client.call(.post, "/v1/verifications/\(key)/check", json: #"{"code":"\#(code)"}"#)
        #expect(checked.status == .ok)
        return key
    }

    /// Every event in the log.
    func allEvents() async throws -> [RecordedEvent] { try await log.read(from: 1, limit: 1_000_000) }
}

extension Array where Element == UInt8 {
    func contains(text: String) -> Bool { contains(bytes: Array(text.utf8)) }

    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
