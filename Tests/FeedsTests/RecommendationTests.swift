import EventFixtures
import EventSourcing
import HashTreeCollections
import Testing
@testable import Feeds

@Suite struct RecommendationTests {
    @Test func theHotScoreOnFixedTimestamps() {
        let created = Timestamp(millisecondsSince1970: 1_795_000_000_000)
        // Fresh, no engagement: 1 / 2^1.8.
        #expect(abs(HotScore.score(likes: 0, comments: 0, views: 0, createdAt: created, now: created) - 0.287_174_589) < 1e-9)
        // 9 likes, 0 comments, 0 views, 10 hours old: 10^0.8 / 12^1.8.
        let tenHours = created.adding(seconds: 36_000)
        #expect(abs(HotScore.score(likes: 9, comments: 0, views: 0, createdAt: created, now: tenHours) - 0.072_023_423) < 1e-9)
        // 3 likes, 2 comments, 30 views (points 3 + 4 + 3 = 10), 1 hour old: 11^0.8 / 3^1.8.
        let oneHour = created.adding(seconds: 3_600)
        #expect(abs(HotScore.score(likes: 3, comments: 2, views: 30, createdAt: created, now: oneHour) - 0.942_531_535) < 1e-9)
        // A clock behind the post counts as age 0.
        #expect(HotScore.score(likes: 0, comments: 0, views: 0, createdAt: oneHour, now: created) == HotScore.score(
            likes: 0, comments: 0, views: 0, createdAt: created, now: created))
        // More engagement ranks higher; more age lower.
        #expect(HotScore.score(likes: 2, comments: 0, views: 0, createdAt: created, now: oneHour)
            > HotScore.score(likes: 1, comments: 0, views: 0, createdAt: created, now: oneHour))
        #expect(HotScore.score(likes: 1, comments: 0, views: 0, createdAt: created, now: tenHours)
            < HotScore.score(likes: 1, comments: 0, views: 0, createdAt: created, now: oneHour))
    }

    @Test func theThresholdWalkRanksExactlyLikeScoringEveryPost() {
        var log = FeedLog()
        var random = SplitMix64(seed: 21)
        let members = (1...30).map(memberID)
        var posts: [String] = []
        for index in 0..<600 {
            let at = t0.adding(seconds: Int64(index) * 97 + Int64(random.next() % 50))
            posts.append(log.post(by: members[index % 30], at: at, status: index % 7 == 0 ? .pending : .approved))
        }
        for _ in 0..<1_500 {
            guard let post = posts.randomElement(using: &random), let member = members.randomElement(using: &random) else { continue }
            switch random.next() % 3 {
            case 0: log.like(member, post, at: t0)
            case 1: log.comment(by: member, on: post, at: t0)
            default:
                log.append(.viewsCounted(ViewsCounted(items: [.init(postID: post, count: random.next() % 40)])), on: FeedStreams.views, at: t0)
            }
        }
        for hours in [0, 3, 17, 90, 2_000] as [Int64] {
            let now = t0.adding(seconds: 600 * 97 + hours * 3_600)
            let all = log.model.posts.values.filter(\.isPublished)
                .map { (key: $0.key, hot: HotScore.score($0, now: now)) }
                .sorted { $0.hot != $1.hot ? $0.hot > $1.hot : $0.key > $1.key }
            for limit in [1, 10, 100] {
                let ranked = log.model.recommended(limit: limit, now: now)
                #expect(ranked.map(\.key) == all.prefix(limit).map(\.key), "\(hours) h, limit \(limit)")
            }
        }
    }
}
