import EventSourcing
import Feeds
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A retried feed command with the same `Idempotency-Key` gets the first answer back and
/// appends nothing, even when the command itself would now answer differently.
@Suite struct FeedRetryAPITests {
    @Test func retriedCommentsRemovalsLikesFollowsAndDeletionsReplayTheFirstAnswer() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice"), bob = try await client.registerMember("bob")
            let id = try await client.post(alice.token, "retry me")

            // A comment retried: one comment, the same id.
            let comment = #"{"content":"only once"}"#
            let first = try await client.call(.post, "/v1/feeds/\(id)/comments", json: comment, headers: keyed(bearer(bob.token), "c-1"))
            let second = try await client.call(.post, "/v1/feeds/\(id)/comments", json: comment, headers: keyed(bearer(bob.token), "c-1"))
            #expect(first.status == .created && second.status == .created)
            let commentID = try #require(first["id"] as? String)
            #expect(second["id"] as? String == commentID && second["created_at"] as? String == first["created_at"] as? String)
            #expect(try await server.events("feed.comment-added").count == 1)
            #expect(try await client.call(.get, "/v1/feeds/\(id)")["comment_count"] as? Int == 1)
            let reused = try await client.call(.post, "/v1/feeds/\(id)/comments", json: #"{"content":"other"}"#, headers: keyed(bearer(bob.token), "c-1"))
            #expect(reused.status == .unprocessableContent && reused.errorCode == "idempotency_key_reused")

            // A removal retried answers 204 again, not 404, and removes once.
            let path = "/v1/feeds/\(id)/comments/\(commentID)"
            #expect(try await client.call(.delete, path, headers: keyed(bearer(bob.token), "r-1")).status == .noContent)
            #expect(try await client.call(.delete, path, headers: keyed(bearer(bob.token), "r-1")).status == .noContent)
            #expect(try await client.call(.delete, path, headers: bearer(bob.token)).status == .notFound)
            #expect(try await server.events("feed.comment-removed").count == 1)

            // A like retried after an unlike replays the first answer: it likes nothing again.
            #expect(try await client.call(.put, "/v1/feeds/\(id)/like", headers: keyed(bearer(bob.token), "l-1")).status == .noContent)
            #expect(try await client.call(.delete, "/v1/feeds/\(id)/like", headers: bearer(bob.token)).status == .noContent)
            #expect(try await client.call(.put, "/v1/feeds/\(id)/like", headers: keyed(bearer(bob.token), "l-1")).status == .noContent)
            #expect(try await server.events("feed.liked").count == 1)
            #expect(try await client.call(.get, "/v1/feeds/\(id)")["like_count"] as? Int == 0)

            // A follow retried after an unfollow: the same.
            let follow = "/v1/members/\(alice.id)/follow"
            #expect(try await client.call(.put, follow, headers: keyed(bearer(bob.token), "f-1")).status == .noContent)
            #expect(try await client.call(.delete, follow, headers: bearer(bob.token)).status == .noContent)
            #expect(try await client.call(.put, follow, headers: keyed(bearer(bob.token), "f-1")).status == .noContent)
            #expect(try await server.events("feed.followed").count == 1)
            #expect(try await client.call(.get, "/v1/members/\(alice.id)/followers")["total_rows"] as? Int == 0)

            // A deletion retried answers 204 again; the moderator is named in the event's metadata.
            #expect(try await client.call(.delete, "/v1/feeds/\(id)", headers: keyed(bearer(alice.token), "d-1")).status == .noContent)
            #expect(try await client.call(.delete, "/v1/feeds/\(id)", headers: keyed(bearer(alice.token), "d-1")).status == .noContent)
            #expect(try await client.call(.delete, "/v1/feeds/\(id)", headers: bearer(alice.token)).status == .notFound)
            let other = try await client.post(bob.token, "moderated")
            #expect(try await client.call(.delete, "/v1/feeds/\(other)", headers: TestServer.admin).status == .noContent)
            let deletions = try await server.events("feed.post-deleted")
            #expect(deletions.map(\.metadata.actor) == [nil, "admin"])
        }
    }

    @Test func aRetriedReviewAppendsOneEntryToTheHistory() async throws {
        let server = try await TestServer(feedReview: .manual)
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            let id = try await client.post(alice.token, "to review")
            let headers = keyed(TestServer.admin, "review-1")
            let body = #"{"status":"approved","remark":"ok"}"#
            let first = try await client.call(.post, "/v1/admin/feeds/\(id)/review", json: body, headers: headers)
            let second = try await client.call(.post, "/v1/admin/feeds/\(id)/review", json: body, headers: headers)
            #expect(first.status == .ok && second.status == .ok)
            #expect(second["review_status"] as? String == "approved" && second["content"] as? String == "to review")
            let reviews = try await server.events("feed.post-reviewed")
            #expect(reviews.count == 1 && reviews.first?.metadata.actor == "admin")
        }
    }
}
