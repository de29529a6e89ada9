import EventSourcing
import Feeds
import Foundation
import HTTPTypes
import HummingbirdTesting
import Members
import Testing

/// `--feed-review manual`: posts wait in the moderation queue; reviews are history.
@Suite struct FeedModerationAPITests {
    @Test func underManualReviewPostsWaitUntilApprovedAndOnlyTheirAuthorSeesThem() async throws {
        let server = try await TestServer(feedReview: .manual)
        try await server.test { client in
            let alice = try await client.registerMember("alice"), bob = try await client.registerMember("bob")
            _ = try await client.call(.put, "/v1/members/\(alice.id)/follow", headers: bearer(bob.token))
            var posts: [String] = []
            for index in 0..<3 {
                server.clock.advance(seconds: 1)
                let reply = try await client.createPost(alice.token, "waiting \(index)")
                #expect(reply.status == .created && reply["review_status"] as? String == "pending")
                posts.append(reply["id"] as? String ?? "")
            }
            #expect(try await client.call(.get, "/v1/feeds/\(posts[0])", headers: bearer(bob.token)).status == .notFound)
            #expect(try await client.call(.get, "/v1/feeds/\(posts[0])").status == .notFound)
            #expect(try await client.call(.get, "/v1/feeds/\(posts[0])", headers: bearer(alice.token)).status == .ok)
            #expect(try await client.call(.put, "/v1/feeds/\(posts[0])/like", headers: bearer(bob.token)).status == .notFound)
            #expect(try await client.ids("/v1/feeds").isEmpty)
            #expect(try await client.ids("/v1/feeds/following", token: bob.token).isEmpty)
            // Nobody but the author comments on, or reads the comments of, a pending post.
            let comment = #"{"content":"early"}"#
            #expect(try await client.call(.post, "/v1/feeds/\(posts[0])/comments", json: comment, headers: bearer(bob.token)).status == .notFound)
            #expect(try await client.call(.get, "/v1/feeds/\(posts[0])/comments", headers: bearer(bob.token)).status == .notFound)
            #expect(try await client.call(.post, "/v1/feeds/\(posts[0])/comments", json: comment, headers: bearer(alice.token)).status == .created)
            #expect(try await client.ids("/v1/feeds/\(posts[0])/comments", token: alice.token).count == 1)

            // The queue, oldest first, for the admin token only.
            #expect(try await client.allIDs("/v1/admin/feeds?review_status=pending", limit: 2, token: TestServer.adminToken) == posts)
            #expect(try await client.call(.get, "/v1/admin/feeds").status == .unauthorized)
            #expect(try await client.call(.get, "/v1/admin/feeds", headers: bearer(alice.token)).status == .unauthorized)
            #expect(try await client.call(.get, "/v1/admin/feeds?review_status=maybe", headers: TestServer.admin).status == .badRequest)

            let approved = try await client.call(
                .post, "/v1/admin/feeds/\(posts[0])/review", json: #"{"status":"approved","remark":"fine"}"#, headers: TestServer.admin)
            #expect(approved.status == .ok && approved["review_status"] as? String == "approved" && approved["content"] as? String == "waiting 0")
            let rejected = try await client.call(
                .post, "/v1/admin/feeds/\(posts[1])/review", json: #"{"status":"rejected","remark":"spam"}"#, headers: TestServer.admin)
            #expect(rejected["review_status"] as? String == "rejected")
            #expect(try await client.ids("/v1/feeds") == [posts[0]])
            #expect(try await client.ids("/v1/feeds/following", token: bob.token) == [posts[0]])
            #expect(try await client.ids("/v1/admin/feeds", token: TestServer.adminToken) == [posts[2]])
            #expect(try await client.ids("/v1/admin/feeds?review_status=rejected", token: TestServer.adminToken) == [posts[1]])

            // The author sees their own posts by status.
            #expect(try await client.ids("/v1/members/me/feeds", token: alice.token) == posts.reversed())
            #expect(try await client.ids("/v1/members/me/feeds?review_status=pending", token: alice.token) == [posts[2]])
            #expect(try await client.ids("/v1/members/me/feeds?review_status=rejected", token: alice.token) == [posts[1]])
            #expect(try await client.ids("/v1/members/me/feeds?review_status=approved&q=waiting", token: alice.token) == [posts[0]])
            #expect(try await client.ids("/v1/members/me/feeds", token: bob.token).isEmpty)
            #expect(try await client.call(.get, "/v1/members/me/feeds").status == .unauthorized)

            // An edit goes back to the queue; a second approval is history too.
            let edited = try await client.call(.put, "/v1/feeds/\(posts[0])", json: #"{"type":"text","content":"changed"}"#, headers: bearer(alice.token))
            #expect(edited["review_status"] as? String == "pending")
            #expect(try await client.ids("/v1/feeds").isEmpty)
            _ = try await client.call(.post, "/v1/admin/feeds/\(posts[0])/review", json: #"{"status":"approved"}"#, headers: TestServer.admin)
            let again = try await client.call(.post, "/v1/admin/feeds/\(posts[0])/review", json: #"{"status":"approved"}"#, headers: TestServer.admin)
            #expect(again.status == .ok)
            let history = try await server.events("feed.post-reviewed").filter { $0.stream.rawValue == "feed-\(posts[0])" }
            #expect(try history.map { try PostReviewed(payload: $0.payload).status } == [.approved, .approved])
            #expect(history.first?.timestamp != nil && (try? PostReviewed(payload: history[0].payload))?.actor == "admin")
            let remark = try PostReviewed(payload: history[0].payload).remark
            let key = try #require(server.memberKeys.key(for: alice.id))
            #expect(remark.flatMap { PersonalDataSeal(memberID: alice.id, key: key).remark($0, post: posts[0]) } == "fine")

            for (body, status) in [(#"{"status":"pending"}"#, HTTPResponse.Status.badRequest), (#"{"status":"ok"}"#, .badRequest), ("{}", .badRequest)] {
                #expect(try await client.call(.post, "/v1/admin/feeds/\(posts[2])/review", json: body, headers: TestServer.admin).status == status)
            }
            #expect(try await client.call(.post, "/v1/admin/feeds/\(posts[2])/review", json: #"{"status":"approved"}"#).status == .unauthorized)
            #expect(try await client.call(
                .post, "/v1/admin/feeds/01KB7Y3Q0000000000000000ZZ/review", json: #"{"status":"approved"}"#, headers: TestServer.admin).status == .notFound)
        }
    }
}
