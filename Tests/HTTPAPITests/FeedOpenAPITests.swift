import EventSourcing
import Feeds
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct FeedOpenAPITests {
    @Test func everyFeedRouteIsDocumentedWithItsSchemas() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let document = try await client.inlinedOpenAPIDocument()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            func operation(_ method: String, _ path: String) -> [String: Any]? { paths[path]?[method] as? [String: Any] }
            let routes = [
                ("post", "/v1/feeds"), ("get", "/v1/feeds/{id}"), ("put", "/v1/feeds/{id}"), ("delete", "/v1/feeds/{id}"),
                ("put", "/v1/feeds/{id}/like"), ("delete", "/v1/feeds/{id}/like"), ("get", "/v1/feeds"), ("get", "/v1/members/me/feeds"),
                ("get", "/v1/feeds/following"), ("get", "/v1/feeds/recommended"), ("put", "/v1/members/{id}/follow"),
                ("delete", "/v1/members/{id}/follow"), ("get", "/v1/members/{id}/followers"), ("get", "/v1/members/{id}/following"),
                ("post", "/v1/feeds/{id}/comments"), ("get", "/v1/feeds/{id}/comments"), ("delete", "/v1/feeds/{id}/comments/{comment_id}"),
                ("post", "/v1/admin/feeds/{id}/review"), ("get", "/v1/admin/feeds"),
            ]
            for (method, path) in routes { #expect(operation(method, path) != nil, "\(method) \(path) is not documented") }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            for field in ["liked_by_me", "review_status", "comment_count", "next_cursor", "followed_at", "feed_id"] {
                #expect(text.contains("\"\(field)\""), "\(field) is in no schema")
            }
            let create = try #require(operation("post", "/v1/feeds"))
            let body = String(decoding: try JSONSerialization.data(withJSONObject: create), as: UTF8.self)
            #expect(body.contains("\"text\"") && body.contains("\"video\"") && body.contains("\"resources\""))
        }
    }

    @Test func theFastWriterAnswersExactlyTheDeclaredShape() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let tricky = "quote \" backslash \\ newline \n tab \t emoji 😀 中文"
            _ = try await client.post(alice.token, tricky)
            let raw = try await client.execute(uri: "/v1/feeds", method: .get) { Data($0.body.readableBytesView) }
            struct Page: Decodable {
                struct Feed: Decodable {
                    var id, author_id, type, content, review_status, created_at, updated_at: String
                    var resources: [String]
                    var like_count, view_count, comment_count: Int
                    var hot: Double
                    var liked_by_me: Bool
                }
                var items: [Feed]
                var next_cursor: String?
            }
            let page = try JSONDecoder().decode(Page.self, from: raw)
            #expect(page.items.first?.content == tricky && page.items.first?.author_id == alice.id && page.next_cursor == nil)
            #expect(String(decoding: raw, as: UTF8.self).contains("\"next_cursor\":null"))
        }
    }
}
