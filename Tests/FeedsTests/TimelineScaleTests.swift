import EventSourcing
import HashTreeCollections
import Testing
@testable import Feeds

/// The two shapes the fan-out choice was measured on, as correctness checks (no time
/// bounds here: the timings are in ARCHITECTURE.md, Feeds).
@Suite struct TimelineScaleTests {
    @Test func aPostByAnAuthorWithTenThousandFollowersIsInEveryTimelineAtOnce() {
        var log = FeedLog()
        let author = memberID(1)
        let followers = (2...10_001).map(memberID)
        for follower in followers { log.follow(follower, author, at: t0) }
        let post = log.post(by: author, at: t0.adding(seconds: 1))
        #expect(followers.allSatisfy { log.model.followingPage($0, below: nil, limit: 1).first?.id == post })
    }

    @Test func aMemberFollowingAThousandAuthorsPagesAllTheWayDown() {
        var log = FeedLog(timelineWindow: 100)
        let reader = memberID(1)
        let authors = (2...1_001).map(memberID)
        for author in authors { log.follow(reader, author, at: t0) }
        for round in 0..<3 {
            for (index, author) in authors.enumerated() { log.post(by: author, at: t0.adding(seconds: Int64(round * 1_000 + index))) }
        }
        var cursor: PostKey?, seen = 0, pages = 0
        while true {
            let page = log.model.followingPage(reader, below: cursor, limit: 20)
            seen += page.count
            pages += 1
            guard page.count == 20, let last = page.last else { break }
            cursor = last
        }
        #expect(seen == 3_000 && pages == 151)
    }
}
