import EventSourcing
import Feeds
import Foundation
import HTTPTypes
import HummingbirdTesting
import Members
import Synchronization
import Testing

/// A deleted member's posts, comments, likes and follows leave every read and count, their
/// text is unrecoverable from the log, and no later checkpoint holds them.
@Suite struct FeedErasureAPITests {
    @Test func aDeletedMembersFeedDisappearsEverywhereAndCannotBeRecovered() async throws {
        let log = InMemoryEventLog()
        let keys = InMemoryMemberKeyStore()
        let server = try await TestServer(log: log, memberKeys: keys)
        let ids = Mutex<[String: String]>([:])
        try await server.test { client in
            let alice = try await client.registerMember("alice"), bob = try await client.registerMember("bob")
            let carol = try await client.registerMember("carol")
            let alicesPost = try await client.post(alice.token, "alice writes")
            let replyOfBob = try await client.createPost(bob.token, "Quuxbeard speaks 秘密日记", idempotencyKey: "bob-1")
            let bobsPost = replyOfBob["id"] as? String ?? ""
            _ = try await client.call(.put, "/v1/feeds/\(alicesPost)/like", headers: bearer(bob.token))
            _ = try await client.call(.post, "/v1/feeds/\(alicesPost)/comments", json: #"{"content":"Zorgle says hi"}"#, headers: bearer(bob.token))
            _ = try await client.call(.put, "/v1/feeds/\(bobsPost)/like", headers: bearer(alice.token))
            _ = try await client.call(.post, "/v1/feeds/\(bobsPost)/comments", json: #"{"content":"alice replies"}"#, headers: bearer(alice.token))
            _ = try await client.call(.put, "/v1/members/\(alice.id)/follow", headers: bearer(bob.token))
            _ = try await client.call(.put, "/v1/members/\(bob.id)/follow", headers: bearer(carol.token))
            #expect(try await client.ids("/v1/feeds/following", token: carol.token) == [bobsPost])
            #expect(try await client.call(.get, "/v1/feeds/\(alicesPost)")["like_count"] as? Int == 1)
            #expect(server.feeds.indexedPosts == 2)

            #expect(try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(bob.token)).status == .noContent)

            #expect(try await client.call(.get, "/v1/feeds/\(bobsPost)", headers: bearer(alice.token)).status == .notFound)
            let post = try await client.call(.get, "/v1/feeds/\(alicesPost)")
            #expect(post["like_count"] as? Int == 0 && post["comment_count"] as? Int == 0)
            #expect(try await client.ids("/v1/feeds") == [alicesPost])
            #expect(try await client.ids("/v1/feeds?q=quuxbeard").isEmpty)
            #expect(try await client.ids("/v1/feeds?q=%E7%A7%98%E5%AF%86").isEmpty)
            #expect(try await client.ids("/v1/feeds/following", token: carol.token).isEmpty)
            #expect(try await client.ids("/v1/feeds/recommended") == [alicesPost])
            #expect(try await client.ids("/v1/feeds/\(alicesPost)/comments").isEmpty)
            #expect(try await client.call(.get, "/v1/members/\(alice.id)/followers")["total_rows"] as? Int == 0)
            #expect(try await client.call(.get, "/v1/members/\(carol.id)/following")["total_rows"] as? Int == 0)
            #expect(try await client.call(.get, "/v1/members/\(bob.id)/followers").status == .notFound)
            // Bob's stored answer was sealed under his key: gone with it.
            let replay = try await client.createPost(bob.token, "Quuxbeard speaks 秘密日记", idempotencyKey: "bob-1")
            #expect(replay.status == .notFound)
            // The search index lets go of bob's words once the janitor sees the deletion.
            server.feeds.forgetDeletedAuthors(in: try await server.allEvents())
            #expect(server.feeds.indexedPosts == 1)
            ids.withLock { $0 = ["bob": bob.id, "post": bobsPost] }
        }
        let (bob, bobsPost) = ids.withLock { ($0["bob"] ?? "", $0["post"] ?? "") }
        #expect(keys.key(for: bob) == nil)
        let events = try await log.read(from: 1, limit: 10_000)
        for event in events {
            for text in ["Quuxbeard", "秘密", "Zorgle"] { #expect(!event.payload.contains(text: text)) }
        }
        // The sealed copies stay in the log, but nothing opens them any more.
        let sealed = events.compactMap { try? FeedEvent($0) }.compactMap { event -> SealedPart? in
            if case .postCreated(let created) = event, created.authorID == bob { return created.body }
            if case .commentAdded(let added) = event, added.authorID == bob { return added.content }
            return nil
        }
        #expect(sealed.count == 2)
        // A checkpoint taken now holds none of it.
        let checkpoint = server.feedModel.takeCheckpoint().snapshot
        #expect(!checkpoint.contains(text: bobsPost))
        for part in sealed { #expect(!checkpoint.contains(bytes: part.bytes)) }
        // A new server on the same log and keys rebuilds the same model and indexes nothing of bob's.
        let rebuilt = try await TestServer(log: log, memberKeys: keys)
        #expect(rebuilt.feedModel.digest == server.feedModel.digest)
        #expect(rebuilt.feeds.indexedPosts == 1)
    }
}
