import EventFixtures
import EventSourcing
import HashTreeCollections
import Testing
@testable import Feeds

/// The following timeline (a window filled on write, merged on read below it) against the
/// definition: the approved posts of the members followed, newest first.
@Suite struct TimelineTests {
    /// What the timeline must be, computed the slow way.
    func expected(_ model: FeedsReadModel, _ member: String) -> [PostKey] {
        let followed = Set(model.social[member]?.following.keys.map { $0 } ?? [])
        return model.posts.values.filter { $0.isPublished && followed.contains($0.authorID) }.map(\.key).sorted(by: >)
    }

    /// Every page of the timeline, walked with cursors.
    func paged(_ model: FeedsReadModel, _ member: String, limit: Int) -> [PostKey] {
        var all: [PostKey] = [], cursor: PostKey?
        while true {
            let page = model.followingPage(member, below: cursor, limit: limit)
            all += page
            guard page.count == limit, let last = page.last else { return all }
            cursor = last
        }
    }

    @Test func randomFollowsPostsAndRemovalsMatchTheDefinitionAtEveryWindow() throws {
        for window in [1, 3, 8] {
            var log = FeedLog(timelineWindow: window)
            var random = SplitMix64(seed: UInt64(window))
            let members = (1...6).map(memberID)
            var posts: [String] = []
            var time = t0
            for step in 0..<400 {
                time = time.adding(seconds: Int64(random.next() % 3))
                let a = members[Int(random.next() % 6)], b = members[Int(random.next() % 6)]
                switch random.next() % 10 {
                case 0, 1, 2, 3:
                    // Some posts land with older times than the newest (concurrent writers).
                    let at = time.adding(seconds: -Int64(random.next() % 5))
                    posts.append(log.post(by: a, at: at, status: random.next() % 4 == 0 ? .pending : .approved))
                case 4, 5: log.follow(a, b, at: time)
                case 6: log.unfollow(a, b, at: time)
                case 7: if let post = posts.randomElement(using: &random) { log.delete(post, at: time) }
                case 8: if let post = posts.randomElement(using: &random) { log.review(post, random.next() % 2 == 0 ? .approved : .rejected, at: time) }
                default: if step % 50 == 0 { log.deleteMember(a, at: time) }
                }
                for member in members {
                    #expect(paged(log.model, member, limit: 2) == expected(log.model, member), "window \(window) step \(step)")
                }
            }
            let restored = try FeedsReadModel(snapshot: log.model.snapshot())
            for member in members { #expect(paged(restored, member, limit: 3) == expected(log.model, member)) }
            #expect(try log.rebuilt().digest == log.model.digest && restored.digest == log.model.digest)
        }
    }

    @Test func aPostReachesEveryFollowersWindowAndLeavesItWhenDeleted() {
        var log = FeedLog(timelineWindow: 4)
        let author = memberID(1)
        let followers = (2...41).map(memberID)
        for follower in followers { log.follow(follower, author, at: t0) }
        let post = log.post(by: author, at: t0.adding(seconds: 1))
        #expect(followers.allSatisfy { log.model.timelines[$0]?.keys.contains(PostKey(t0.adding(seconds: 1), post)) == true })
        log.delete(post, at: t0.adding(seconds: 2))
        #expect(followers.allSatisfy { log.model.followingPage($0, below: nil, limit: 10).isEmpty })
    }

    @Test func theMergeOnReadCoversPagesBelowTheWindow() {
        var log = FeedLog(timelineWindow: 2)
        let reader = memberID(1)
        let authors = (2...5).map(memberID)
        for author in authors { log.follow(reader, author, at: t0) }
        for index in 0..<20 { log.post(by: authors[index % 4], at: t0.adding(seconds: Int64(index))) }
        #expect(log.model.timelines[reader]?.keys.count == 2)
        let all = paged(log.model, reader, limit: 3)
        #expect(all.count == 20 && all == all.sorted(by: >))
        #expect(log.model.mergeFollowed(reader, below: nil, limit: 20) == all)
    }
}
