import EventSourcing
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// Creates a group as `token` and returns its id.
    func createGroup(_ token: String, name: String = "Readers", extra: String = "") async throws -> String {
        let reply = try await call(.post, "/v1/groups", json: #"{"name":"\#(name)"\#(extra)}"#, headers: bearer(token))
        #expect(reply.status == .created, "create group failed: \(reply.json)")
        return reply["id"] as? String ?? ""
    }

    func join(_ group: String, _ token: String) async throws -> Reply {
        try await call(.put, "/v1/groups/\(group)/members/me", headers: bearer(token))
    }

    func removeMember(_ group: String, _ member: String, _ token: String) async throws -> Reply {
        try await call(.delete, "/v1/groups/\(group)/members/\(member)", headers: bearer(token))
    }

    func setRole(_ group: String, _ member: String, _ role: String, _ token: String) async throws -> Reply {
        try await call(.put, "/v1/groups/\(group)/members/\(member)/role", json: #"{"role":"\#(role)"}"#, headers: bearer(token))
    }

    func handOver(_ group: String, to member: String, _ token: String) async throws -> Reply {
        try await call(.put, "/v1/groups/\(group)/owner", json: #"{"member_id":"\#(member)"}"#, headers: bearer(token))
    }

    /// The members page as (id, role) pairs.
    func groupMembers(_ group: String, page: Int = 1, size: Int = 100) async throws -> (reply: Reply, members: [(String, String)]) {
        let reply = try await call(.get, "/v1/groups/\(group)/members?page=\(page)&page_size=\(size)")
        let items = reply["items"] as? [[String: Any]] ?? []
        return (reply, items.map { ($0["id"] as? String ?? "", $0["role"] as? String ?? "") })
    }
}
