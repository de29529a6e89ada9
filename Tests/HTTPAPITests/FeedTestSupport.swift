import EventSourcing
import Feeds
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

extension TestClientProtocol {
    /// Writes a text post and returns its reply. The body's keys are sorted: a dictionary's
    /// order varies between instances, and a retry must send the same bytes.
    func createPost(_ token: String, _ content: String, idempotencyKey: String? = nil) async throws -> Reply {
        let headers = idempotencyKey.map { keyed(bearer(token), $0) } ?? bearer(token)
        let body = try String(decoding: JSONSerialization.data(withJSONObject: ["type": "text", "content": content], options: .sortedKeys), as: UTF8.self)
        return try await call(.post, "/v1/feeds", json: body, headers: headers)
    }

    /// Writes a text post and returns its id.
    func post(_ token: String, _ content: String) async throws -> String {
        let reply = try await createPost(token, content)
        #expect(reply.status == .created, "post failed: \(reply.json)")
        return reply["id"] as? String ?? ""
    }

    /// The items of a list reply.
    func items(_ uri: String, token: String? = nil) async throws -> (items: [[String: Any]], next: String?, reply: Reply) {
        let reply = try await call(.get, uri, headers: token.map(bearer) ?? [:])
        #expect(reply.status == .ok, "\(uri): \(reply.status) \(reply.json)")
        return (reply["items"] as? [[String: Any]] ?? [], reply["next_cursor"] as? String, reply)
    }

    /// The ids of a list reply's items.
    func ids(_ uri: String, token: String? = nil) async throws -> [String] {
        try await items(uri, token: token).items.compactMap { $0["id"] as? String }
    }

    /// Every id of a cursor list, page by page.
    func allIDs(_ path: String, limit: Int, token: String? = nil) async throws -> [String] {
        var ids: [String] = []
        var cursor: String?
        let separator = path.contains("?") ? "&" : "?"
        repeat {
            let page = try await items(path + separator + "limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            ids += page.items.compactMap { $0["id"] as? String }
            cursor = page.next
        } while cursor != nil
        return ids
    }
}

/// `headers` with an `Idempotency-Key`.
func keyed(_ headers: HTTPFields, _ key: String) -> HTTPFields {
    var headers = headers
    headers[HTTPField.Name("Idempotency-Key")!] = key
    return headers
}

extension TestServer {
    /// The events appended so far whose type starts with `prefix`.
    func events(_ prefix: String) async throws -> [RecordedEvent] { try await allEvents().filter { $0.type.hasPrefix(prefix) } }

    static let admin = bearer(adminToken)
}
