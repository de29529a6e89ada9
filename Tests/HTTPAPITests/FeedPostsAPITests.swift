import EventSourcing
import Feeds
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `POST|GET|PUT|DELETE /v1/feeds(/{id})` and views.
@Suite struct FeedPostsAPITests {
    @Test func aPostAnswersTheFeedShapeAndFollowsTheRulesOfItsType() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let reply = try await client.createPost(alice.token, "Hello 世界")
            #expect(reply.status == .created)
            #expect(Set(reply.json.keys) == [
                "id", "author_id", "type", "content", "resources", "like_count", "view_count", "comment_count", "hot", "review_status",
                "liked_by_me", "created_at", "updated_at",
            ])
            #expect(reply["author_id"] as? String == alice.id && reply["type"] as? String == "text")
            #expect(reply["content"] as? String == "Hello 世界" && (reply["resources"] as? [String]) == [])
            #expect(reply["review_status"] as? String == "approved" && reply["liked_by_me"] as? Bool == false)
            #expect(reply["created_at"] as? String == server.clock.now.rfc3339 && reply["like_count"] as? Int == 0)
            #expect(abs((reply["hot"] as? Double ?? 0) - 0.287175) < 1e-6)

            let upload = "/v1/uploads/" + String(repeating: "0f", count: 32)
            let image = try await client.call(
                .post, "/v1/feeds", json: #"{"type":"image","resources":["https://img.example.com/1.png","\#(upload)"]}"#, headers: bearer(alice.token))
            #expect(image.status == .created && (image["resources"] as? [String])?.count == 2 && image["content"] as? String == "")
            let video = try await client.call(
                .post, "/v1/feeds", json: #"{"type":"video","content":"clip","resources":["https://v.example.com/1.mp4"]}"#,
                headers: bearer(alice.token))
            #expect(video.status == .created && video["type"] as? String == "video")

            let refused: [(String, String)] = [
                (#"{"type":"text","content":""}"#, "content"),
                (#"{"type":"text"}"#, "content"),
                (#"{"type":"text","content":"\#(String(repeating: "字", count: 5_001))"}"#, "content"),
                (#"{"type":"text","content":"a","resources":["https://x.example.com/a"]}"#, "resources"),
                (#"{"type":"image","content":"a"}"#, "resources"),
                (#"{"type":"image","resources":[\#(Array(repeating: "\"https://x.example.com/a\"", count: 10).joined(separator: ","))]}"#, "resources"),
                (#"{"type":"video","resources":["https://x.example.com/a","https://x.example.com/b"]}"#, "resources"),
                (#"{"type":"image","resources":["javascript:alert(1)"]}"#, "resources.0"),
                (#"{"type":"audio","content":"a"}"#, "type"),
                (#"{"type":"text","content":7}"#, "content"),
            ]
            for (body, field) in refused {
                let answer = try await client.call(.post, "/v1/feeds", json: body, headers: bearer(alice.token))
                #expect(answer.status == .badRequest && answer.errorCode == "validation_failed", "\(body.prefix(60)): \(answer.json)")
                #expect(answer.error["field"] as? String == field, "\(body.prefix(60)): \(answer.json)")
            }
            #expect(try await client.call(.post, "/v1/feeds", json: #"{"type":"text","content":"a"}"#).status == .unauthorized)
            #expect(try await client.call(.post, "/v1/feeds", json: "{", headers: bearer(alice.token)).errorCode == "invalid_json")
            #expect(try await server.events("feed.post-created").count == 3)
        }
    }

    @Test func aReadCountsAViewWithoutWritingAndTheFlushWritesOneEvent() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let id = try await client.post(alice.token, "seen")
            let before = try await server.allEvents().count
            for expected in 1...3 {
                let reply = try await client.call(.get, "/v1/feeds/\(id)")
                #expect(reply.status == .ok && reply["view_count"] as? Int == expected)
            }
            #expect(try await server.allEvents().count == before)
            try await server.feeds.flushViews()
            let flushed = try await server.events("feed.views-counted")
            #expect(flushed.count == 1)
            #expect(try flushed.first.map { try ViewsCounted(payload: $0.payload).items } == [.init(postID: id, count: 3)])
            #expect(server.feedModel.read { model, _ in model.post(id)?.viewCount } == 3)
            #expect(try await client.call(.get, "/v1/feeds/\(id)")["view_count"] as? Int == 4)
            try await server.feeds.flushViews()
            try await server.feeds.flushViews()  // nothing counted since: nothing appended
            #expect(try await server.events("feed.views-counted").count == 2)

            for uri in ["/v1/feeds/01KB7Y3Q0000000000000000ZZ", "/v1/feeds/nope", "/v1/feeds/%00"] {
                #expect(try await client.call(.get, uri).status == .notFound, "\(uri)")
            }
            #expect(try await client.call(.get, "/v1/feeds/\(id)", headers: bearer("lbk_wrong")).status == .unauthorized)
        }
    }

    @Test func onlyTheAuthorEditsAndTheAuthorOrTheAdminDeletes() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice"), bob = try await client.registerMember("bob")
            let id = try await client.post(alice.token, "first")
            let edit = #"{"type":"text","content":"second"}"#
            let byBob = try await client.call(.put, "/v1/feeds/\(id)", json: edit, headers: bearer(bob.token))
            #expect(byBob.status == .forbidden && byBob.errorCode == "forbidden")
            #expect(try await client.call(.put, "/v1/feeds/\(id)", json: edit).status == .unauthorized)
            let invalid = try await client.call(.put, "/v1/feeds/\(id)", json: #"{"type":"video","content":"x"}"#, headers: bearer(alice.token))
            #expect(invalid.status == .badRequest && invalid.error["field"] as? String == "resources")
            server.clock.advance(seconds: 60)
            let edited = try await client.call(.put, "/v1/feeds/\(id)", json: edit, headers: bearer(alice.token))
            #expect(edited.status == .ok && edited["content"] as? String == "second")
            #expect(edited["updated_at"] as? String == server.clock.now.rfc3339 && edited["created_at"] as? String != server.clock.now.rfc3339)
            let events = try await server.events("feed.post-edited").count
            let again = try await client.call(.put, "/v1/feeds/\(id)", json: edit, headers: bearer(alice.token))
            #expect(again.status == .ok)
            #expect(try await server.events("feed.post-edited").count == events)
            #expect(try await client.call(.get, "/v1/feeds/\(id)")["content"] as? String == "second")

            #expect(try await client.call(.delete, "/v1/feeds/\(id)", headers: bearer(bob.token)).status == .forbidden)
            #expect(try await client.call(.delete, "/v1/feeds/\(id)").status == .unauthorized)
            #expect(try await client.call(.delete, "/v1/feeds/\(id)", headers: bearer(alice.token)).status == .noContent)
            #expect(try await client.call(.get, "/v1/feeds/\(id)", headers: bearer(alice.token)).status == .notFound)
            #expect(try await client.call(.put, "/v1/feeds/\(id)", json: edit, headers: bearer(alice.token)).status == .notFound)
            #expect(try await client.call(.delete, "/v1/feeds/\(id)", headers: bearer(alice.token)).status == .notFound)

            let other = try await client.post(bob.token, "moderated")
            #expect(try await client.call(.delete, "/v1/feeds/\(other)", headers: TestServer.admin).status == .noContent)
            let deleted = try await server.events("feed.post-deleted")
            #expect(try deleted.map { try PostDeleted(payload: $0.payload).actor } == ["author", "admin"])
            #expect(try await client.ids("/v1/feeds").isEmpty)
        }
    }

    @Test func anIdempotencyKeyReplaysTheFirstPostAndAppendsNothing() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let first = try await client.createPost(alice.token, "once", idempotencyKey: "k-1")
            let second = try await client.createPost(alice.token, "once", idempotencyKey: "k-1")
            #expect(first.status == .created && second.status == .created, "\(first.status) \(first.json) / \(second.status) \(second.json)")
            #expect(first["id"] as? String == second["id"] as? String)
            #expect(try await server.events("feed.post-created").count == 1)
            let other = try await client.createPost(alice.token, "twice", idempotencyKey: "k-1")
            #expect(other.status == .unprocessableContent && other.errorCode == "idempotency_key_reused")
            // The post's text is in the log only sealed under alice's key.
            let raw = try await server.allEvents().flatMap(\.payload)
            #expect(!raw.contains(text: "once"))
        }
    }
}
