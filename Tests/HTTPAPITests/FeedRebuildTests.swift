import EventSourcing
import Feeds
import HashTreeCollections
import HTTPAPI
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct FeedRebuildTests {
    @Test func feedTrafficRebuildsToTheLiveDigestAndRestartsFromACheckpoint() async throws {
        let log = InMemoryEventLog()
        let server = try await TestServer(log: log, feedReview: .manual)
        try await server.test { client in
            var members: [(id: String, token: String)] = []
            for index in 0..<4 { members.append(try await client.registerMember("user\(index)")) }
            for (index, member) in members.enumerated() {
                let post = try await client.post(member.token, "post \(index) 你好")
                _ = try await client.call(.post, "/v1/admin/feeds/\(post)/review", json: #"{"status":"approved"}"#, headers: TestServer.admin)
                for other in members where other.id != member.id {
                    _ = try await client.call(.put, "/v1/feeds/\(post)/like", headers: bearer(other.token))
                    _ = try await client.call(.put, "/v1/members/\(member.id)/follow", headers: bearer(other.token))
                    _ = try await client.call(.get, "/v1/feeds/\(post)")
                }
                _ = try await client.call(.post, "/v1/feeds/\(post)/comments", json: #"{"content":"hi"}"#, headers: bearer(members[0].token))
            }
            try await server.feeds.flushViews()
            _ = try await client.call(.delete, "/v1/members/me", json: #"{"password":"correct-horse-7"}"#, headers: bearer(members[1].token))
        }
        let rebuilt = try await LogbookDomains.audit(log: log)
        try await ProjectionRuntime(log: log, projections: rebuilt.readModels).rebuild()
        #expect(rebuilt.feeds.model.digest == server.feedModel.digest)
        #expect(rebuilt.feeds.model.coveredPosition == server.feedModel.coveredPosition)
        // A model restored from a checkpoint answers like the live one.
        let checkpoint = server.feedModel.takeCheckpoint()
        let restored = try FeedsReadModel(snapshot: checkpoint.snapshot)
        let (live, following) = server.feedModel.read { model, _ in
            (model.recommended(limit: 10, now: server.clock.now).map(\.key), model.followingPage(model.posts.values.map(\.authorID).min() ?? "", below: nil, limit: 10))
        }
        #expect(restored.recommended(limit: 10, now: server.clock.now).map(\.key) == live && live.count == 3)
        #expect(restored.followingPage(restored.posts.values.map(\.authorID).min() ?? "", below: nil, limit: 10) == following && !following.isEmpty)
    }
}
