import EventSourcing
import Feeds
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Likes, comments and follows.
@Suite struct FeedSocialAPITests {
    @Test func likesAreIdempotentPerMemberAndShowForTheCaller() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice"), bob = try await client.registerMember("bob")
            let id = try await client.post(alice.token, "likeable")
            #expect(try await client.call(.put, "/v1/feeds/\(id)/like", headers: bearer(bob.token)).status == .noContent)
            #expect(try await client.call(.put, "/v1/feeds/\(id)/like", headers: bearer(bob.token)).status == .noContent)
            #expect(try await client.call(.put, "/v1/feeds/\(id)/like", headers: bearer(alice.token)).status == .noContent)
            #expect(try await server.events("feed.liked").count == 2)
            let seenByBob = try await client.call(.get, "/v1/feeds/\(id)", headers: bearer(bob.token))
            #expect(seenByBob["like_count"] as? Int == 2 && seenByBob["liked_by_me"] as? Bool == true)
            #expect(try await client.call(.get, "/v1/feeds/\(id)")["liked_by_me"] as? Bool == false)

            #expect(try await client.call(.delete, "/v1/feeds/\(id)/like", headers: bearer(bob.token)).status == .noContent)
            #expect(try await client.call(.delete, "/v1/feeds/\(id)/like", headers: bearer(bob.token)).status == .noContent)
            #expect(try await server.events("feed.unliked").count == 1)
            let after = try await client.call(.get, "/v1/feeds/\(id)", headers: bearer(bob.token))
            #expect(after["like_count"] as? Int == 1 && after["liked_by_me"] as? Bool == false)

            #expect(try await client.call(.put, "/v1/feeds/\(id)/like").status == .unauthorized)
            #expect(try await client.call(.put, "/v1/feeds/01KB7Y3Q0000000000000000ZZ/like", headers: bearer(bob.token)).status == .notFound)
            #expect(try await client.call(.delete, "/v1/feeds/bad/like", headers: bearer(bob.token)).status == .notFound)
        }
    }

    @Test func concurrentLikesOfOneMemberCountOnce() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice"), bob = try await client.registerMember("bob")
            let id = try await client.post(alice.token, "popular")
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<16 { group.addTask { try await client.call(.put, "/v1/feeds/\(id)/like", headers: bearer(bob.token)).status } }
                for try await status in group { #expect(status == .noContent) }
            }
            #expect(try await server.events("feed.liked").count == 1)
            #expect(try await client.call(.get, "/v1/feeds/\(id)")["like_count"] as? Int == 1)
        }
    }

    @Test func oneMembersManyConcurrentLikesAndFollowsAllSucceed() async throws {
        let server = try await TestServer(log: SwitchableHealthLog(commitDelay: .milliseconds(5)))
        try await server.test { client in
            let reader = try await client.registerMember("reader")
            var authors: [(id: String, post: String)] = []
            for index in 0..<24 {
                let author = try await client.registerMember("author\(index)")
                authors.append((author.id, try await client.post(author.token, "post \(index)")))
            }
            // All of them append to the reader's one feedsocial- stream.
            try await withThrowingTaskGroup(of: (String, HTTPResponse.Status).self) { group in
                for author in authors {
                    group.addTask { ("follow", try await client.call(.put, "/v1/members/\(author.id)/follow", headers: bearer(reader.token)).status) }
                    group.addTask { ("like", try await client.call(.put, "/v1/feeds/\(author.post)/like", headers: bearer(reader.token)).status) }
                }
                for try await (action, status) in group { #expect(status == .noContent, "\(action): \(status)") }
            }
            #expect(try await server.events("feed.followed").count == 24)
            #expect(try await server.events("feed.liked").count == 24)
            #expect(try await client.call(.get, "/v1/members/\(reader.id)/following")["total_rows"] as? Int == 24)
        }
    }

    @Test func commentsListOldestFirstAndAreRemovedByTheRightPeople() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice"), bob = try await client.registerMember("bob")
            let carol = try await client.registerMember("carol")
            let id = try await client.post(alice.token, "discuss")
            var comments: [String] = []
            for index in 0..<5 {
                server.clock.advance(seconds: 1)
                let reply = try await client.call(.post, "/v1/feeds/\(id)/comments", json: #"{"content":"c\#(index) 评论"}"#, headers: bearer(bob.token))
                #expect(reply.status == .created && reply["feed_id"] as? String == id && reply["author_id"] as? String == bob.id)
                #expect(reply["content"] as? String == "c\(index) 评论" && reply["created_at"] as? String == server.clock.now.rfc3339)
                comments.append(reply["id"] as? String ?? "")
            }
            #expect(try await client.allIDs("/v1/feeds/\(id)/comments", limit: 2) == comments)
            #expect(try await client.call(.get, "/v1/feeds/\(id)")["comment_count"] as? Int == 5)

            let path = "/v1/feeds/\(id)/comments/"
            #expect(try await client.call(.delete, path + comments[0], headers: bearer(carol.token)).status == .forbidden)
            #expect(try await client.call(.delete, path + comments[0], headers: bearer(bob.token)).status == .noContent)
            #expect(try await client.call(.delete, path + comments[1], headers: bearer(alice.token)).status == .noContent)
            #expect(try await client.call(.delete, path + comments[2], headers: TestServer.admin).status == .noContent)
            #expect(try await client.call(.delete, path + comments[2], headers: TestServer.admin).status == .notFound)
            #expect(try await client.call(.delete, "/v1/feeds/01KB7Y3Q0000000000000000ZZ/comments/\(comments[3])", headers: TestServer.admin).status == .notFound)
            #expect(try await client.allIDs("/v1/feeds/\(id)/comments", limit: 10) == Array(comments[3...]))
            #expect(try await client.call(.get, "/v1/feeds/\(id)")["comment_count"] as? Int == 2)
            let removed = try await server.events("feed.comment-removed").map { try CommentRemoved(payload: $0.payload).actor }
            #expect(removed == ["author", "post_author", "admin"])

            for (body, field) in [(#"{"content":""}"#, "content"), (#"{"content":"\#(String(repeating: "x", count: 1_001))"}"#, "content"), ("{}", "content")] {
                let refused = try await client.call(.post, "/v1/feeds/\(id)/comments", json: body, headers: bearer(bob.token))
                #expect(refused.status == .badRequest && refused.error["field"] as? String == field)
            }
            #expect(try await client.call(.get, "/v1/feeds/\(id)/comments?cursor=bogus").errorCode == "validation_failed")
            #expect(try await client.call(.get, "/v1/feeds/\(id)/comments?limit=0").status == .badRequest)
            #expect(try await client.call(.delete, "/v1/feeds/\(id)", headers: bearer(alice.token)).status == .noContent)
            #expect(try await client.call(.get, "/v1/feeds/\(id)/comments").status == .notFound)
            #expect(try await client.call(.post, "/v1/feeds/\(id)/comments", json: #"{"content":"late"}"#, headers: bearer(bob.token)).status == .notFound)
        }
    }

    @Test func followsAreIdempotentNeverOfOneselfAndPaged() async throws {
        let server = try await TestServer()
        try await server.test { client in
            let alice = try await client.registerMember("alice")
            var fans: [(id: String, token: String)] = []
            for index in 0..<5 {
                let fan = try await client.registerMember("fan\(index)")
                server.clock.advance(seconds: 1)
                #expect(try await client.call(.put, "/v1/members/\(alice.id)/follow", headers: bearer(fan.token)).status == .noContent)
                fans.append(fan)
            }
            #expect(try await client.call(.put, "/v1/members/\(alice.id)/follow", headers: bearer(fans[0].token)).status == .noContent)
            #expect(try await server.events("feed.followed").count == 5)
            let own = try await client.call(.put, "/v1/members/\(alice.id)/follow", headers: bearer(alice.token))
            #expect(own.status == .badRequest && own.error["field"] as? String == "id")
            #expect(try await client.call(.put, "/v1/members/01KB7Y3Q0000000000000000ZZ/follow", headers: bearer(alice.token)).status == .notFound)
            #expect(try await client.call(.put, "/v1/members/\(alice.id)/follow").status == .unauthorized)

            let page = try await client.call(.get, "/v1/members/\(alice.id)/followers?page=1&page_size=2")
            #expect(page["total_rows"] as? Int == 5 && page["total_pages"] as? Int == 3 && page["page_size"] as? Int == 2)
            let items = page["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["id"] as? String } == [fans[4].id, fans[3].id])
            #expect(items.first?["display_name"] as? String == "fan4" && items.first?["followed_at"] is String)
            let last = try await client.call(.get, "/v1/members/\(alice.id)/followers?page=3&page_size=2")
            #expect((last["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [fans[0].id])
            let following = try await client.call(.get, "/v1/members/\(fans[0].id)/following")
            #expect((following["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [alice.id])

            #expect(try await client.call(.delete, "/v1/members/\(alice.id)/follow", headers: bearer(fans[0].token)).status == .noContent)
            #expect(try await client.call(.delete, "/v1/members/\(alice.id)/follow", headers: bearer(fans[0].token)).status == .noContent)
            #expect(try await server.events("feed.unfollowed").count == 1)
            #expect(try await client.call(.get, "/v1/members/\(alice.id)/followers")["total_rows"] as? Int == 4)
            #expect(try await client.call(.get, "/v1/members/01KB7Y3Q0000000000000000ZZ/followers").status == .notFound)
            #expect(try await client.call(.get, "/v1/members/\(alice.id)/followers?page_size=101").status == .badRequest)
        }
    }
}
