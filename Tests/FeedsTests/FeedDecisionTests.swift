import EventFixtures
import EventSourcing
import Members
import HashTreeCollections
import Testing
@testable import Feeds

/// The feed decisions without a log, a service or HTTP: a command, the state it needs,
/// time and a random source in; appends and an answer out.
@Suite struct FeedDecisionTests {
    let alice = memberID(1), bob = memberID(2)

    func created(by author: String = memberID(1), review: ReviewMode = .auto, seed: UInt64 = 1, text: String = "hello") throws -> Decision<PostState> {
        var random = SplitMix64(seed: seed)
        return try FeedDecisions.create(
            id: EntityID.make(now: t0, random: &random), author: author, kind: .text, body: PostBody(content: text, resources: []),
            review: review, seal: seal(for: author), now: t0, random: &random)
    }

    @Test func aPostIsOneNewStreamWithItsBodySealedUnderTheAuthorsKey() throws {
        let decision = try created()
        #expect(decision.appends.count == 1)
        let append = try #require(decision.appends.first)
        #expect(append.stream == FeedStreams.post(try #require(EntityID(decision.answer.id))) && append.expected == .noStream)
        let event = try PostCreated(payload: try #require(append.events.first).payload)
        #expect(event.authorID == alice && event.status == .approved && event.kind == .text)
        #expect(!event.body.bytes.isEmpty && !append.events[0].payload.contains(text: "hello"))
        #expect(seal(for: alice).postBody(event.body, post: decision.answer.id)?.content == "hello")
        #expect(seal(for: bob).postBody(event.body, post: decision.answer.id) == nil)
        #expect(try created(review: .manual).answer.status == .pending)
    }

    @Test func theSameInputsDecideTheSameEvents() throws {
        #expect(try created(seed: 5).appends == created(seed: 5).appends)
        #expect(try created(seed: 5).appends != created(seed: 6).appends)
    }

    @Test func onlyTheAuthorEditsAndAnEditThatChangesNothingDecidesNothing() throws {
        let post = try created().answer
        var random = SplitMix64(seed: 2)
        let same = PostBody(content: "hello", resources: [])
        let unchanged = try FeedDecisions.edit(
            post, current: same, by: alice, kind: .text, body: same, review: .auto, seal: seal(for: alice), now: t0, random: &random)
        #expect(unchanged.appends.isEmpty && unchanged.answer == post)

        let changed = try FeedDecisions.edit(
            post, current: same, by: alice, kind: .text, body: PostBody(content: "bye", resources: []), review: .manual, seal: seal(for: alice),
            now: t0.adding(seconds: 5), random: &random)
        #expect(changed.appends.first?.expected == .exactly(1) && changed.answer.status == .pending)
        #expect(changed.answer.updatedAt == t0.adding(seconds: 5) && changed.answer.version == 2)

        #expect(refusal {
            _ = try FeedDecisions.edit(post, current: nil, by: bob, kind: .text, body: same, review: .auto, seal: seal(for: bob), now: t0, random: &random)
        } == .forbidden)
        #expect(refusal {
            _ = try FeedDecisions.edit(nil, current: nil, by: alice, kind: .text, body: same, review: .auto, seal: seal(for: alice), now: t0, random: &random)
        } == .notFound)
        // Another member's pending post is not theirs to see: 404, not 403.
        var pending = post
        pending.status = .pending
        #expect(refusal {
            _ = try FeedDecisions.edit(pending, current: nil, by: bob, kind: .text, body: same, review: .auto, seal: seal(for: bob), now: t0, random: &random)
        } == .notFound)
    }

    @Test func theAuthorOrAModeratorDeletes() throws {
        let post = try created().answer
        #expect(try FeedDecisions.delete(post, by: .member(alice), now: t0).appends.count == 1)
        let byAdmin = try FeedDecisions.delete(post, by: .admin, now: t0)
        #expect(try PostDeleted(payload: try #require(byAdmin.appends.first?.events.first).payload).actor == "admin")
        #expect(refusal { _ = try FeedDecisions.delete(post, by: .member(bob), now: t0) } == .forbidden)
        #expect(refusal { _ = try FeedDecisions.delete(nil, by: .admin, now: t0) } == .notFound)
    }

    @Test func aSecondLikeAndAnUnlikeOfNothingDecideNothing() throws {
        let post = try created().answer
        var social = SocialState()
        let first = try FeedDecisions.like(post, by: bob, social: social, now: t0)
        #expect(first.appends.count == 1 && first.appends[0].expected == .exactly(0))
        #expect(first.appends[0].stream == FeedStreams.social(bob))
        social.likes.insert(post.id)
        social.version = 1
        #expect(try FeedDecisions.like(post, by: bob, social: social, now: t0).appends.isEmpty)
        #expect(try FeedDecisions.unlike(post, by: bob, social: social, now: t0).appends.first?.expected == .exactly(1))
        #expect(try FeedDecisions.unlike(post, by: bob, social: SocialState(), now: t0).appends.isEmpty)
        #expect(refusal { _ = try FeedDecisions.like(nil, by: bob, social: social, now: t0) } == .notFound)
        var pending = post
        pending.status = .pending
        #expect(refusal { _ = try FeedDecisions.like(pending, by: bob, social: social, now: t0) } == .notFound)
        #expect(try FeedDecisions.like(pending, by: alice, social: SocialState(), now: t0).appends.count == 1)
    }

    @Test func followsAreIdempotentAndNeverOfOneself() throws {
        var social = SocialState()
        #expect(try FeedDecisions.follow(bob, by: alice, targetExists: true, social: social, now: t0).appends.count == 1)
        social.following[bob] = t0.millisecondsSince1970
        #expect(try FeedDecisions.follow(bob, by: alice, targetExists: true, social: social, now: t0).appends.isEmpty)
        #expect(try FeedDecisions.unfollow(bob, by: alice, targetExists: true, social: social, now: t0).appends.count == 1)
        #expect(try FeedDecisions.unfollow(bob, by: alice, targetExists: true, social: SocialState(), now: t0).appends.isEmpty)
        guard case .invalid(let field, _)? = refusal({ _ = try FeedDecisions.follow(alice, by: alice, targetExists: true, social: social, now: t0) })
        else { Issue.record("self-follow was not refused"); return }
        #expect(field == "id")
        #expect(refusal { _ = try FeedDecisions.follow(memberID(9), by: alice, targetExists: false, social: social, now: t0) } == .notFound)
        #expect(refusal { _ = try FeedDecisions.unfollow(memberID(9), by: alice, targetExists: false, social: SocialState(), now: t0) } == .notFound)
    }

    @Test func commentsAreRemovedByTheirAuthorThePostsAuthorOrAModerator() throws {
        let post = try created().answer
        var random = SplitMix64(seed: 3)
        let carol = memberID(3)
        let added = try FeedDecisions.comment(
            on: post, id: EntityID.make(now: t0, random: &random), by: bob, text: "nice", seal: seal(for: bob), now: t0, random: &random)
        #expect(added.appends.first?.expected == .noStream)
        let comment = added.answer
        func role(_ actor: FeedDecisions.Actor) throws -> String {
            let decision = try FeedDecisions.removeComment(comment, of: post.id, post: post, by: actor, now: t0)
            return try CommentRemoved(payload: try #require(decision.appends.first?.events.first).payload).actor
        }
        #expect(try role(.member(bob)) == "author")
        #expect(try role(.member(alice)) == "post_author")
        #expect(try role(.admin) == "admin")
        #expect(refusal { _ = try FeedDecisions.removeComment(comment, of: post.id, post: post, by: .member(carol), now: t0) } == .forbidden)
        #expect(refusal { _ = try FeedDecisions.removeComment(comment, of: memberID(8), post: post, by: .admin, now: t0) } == .notFound)
        #expect(refusal { _ = try FeedDecisions.removeComment(nil, of: post.id, post: post, by: .admin, now: t0) } == .notFound)
    }

    @Test func aReviewOfTheStatusAPostHasDecidesNothingUnlessItCarriesARemark() throws {
        var random = SplitMix64(seed: 4)
        let pending = try created(review: .manual).answer
        let approved = try FeedDecisions.review(pending, verdict: .approved, remark: nil, seal: seal(for: alice), now: t0, random: &random)
        #expect(approved.appends.count == 1 && approved.answer.status == .approved && approved.answer.reviewCount == 1)
        #expect(try FeedDecisions.review(approved.answer, verdict: .approved, remark: nil, seal: seal(for: alice), now: t0, random: &random)
            .appends.isEmpty)
        let remarked = try FeedDecisions.review(approved.answer, verdict: .approved, remark: "fine", seal: seal(for: alice), now: t0, random: &random)
        let event = try PostReviewed(payload: try #require(remarked.appends.first?.events.first).payload)
        #expect(event.remark.flatMap { seal(for: alice).remark($0, post: pending.id) } == "fine")
    }

    @Test func viewsAreFlushedInBoundedEventsAndNoViewsDecideNothing() throws {
        #expect(FeedDecisions.countViews([:], now: t0).appends.isEmpty)
        var counts: [String: UInt64] = [:]
        for index in 0..<2_500 { counts[memberID(index)] = UInt64(index % 3) }
        let decision = FeedDecisions.countViews(counts, now: t0)
        let events = try decision.appends[0].events.map { try ViewsCounted(payload: $0.payload) }
        #expect(events.map(\.items.count) == [1_000, 666])
        #expect(events.flatMap(\.items).reduce(0) { $0 + $1.count } == counts.values.reduce(0, +))
        #expect(decision.appends[0].expected == .any)
    }

    @Test func bodiesFollowTheSeedsRulesPerType() throws {
        #expect(try FeedRules.body(.text, content: "hi", resources: nil).content == "hi")
        let url = "https://img.example.com/a.png", upload = "/v1/uploads/" + String(repeating: "ab", count: 32)
        func field(_ kind: FeedType, _ content: String?, _ resources: [String]?) -> String? {
            guard case .invalid(let field, _)? = refusal({ _ = try FeedRules.body(kind, content: content, resources: resources) }) else { return nil }
            return field
        }
        #expect(field(.text, "", nil) == "content" && field(.text, "   ", nil) == "content")
        #expect(field(.text, String(repeating: "字", count: 5_001), nil) == "content")
        #expect(field(.text, String(repeating: "字", count: 5_000), nil) == nil)
        #expect(field(.text, "hi", [url]) == "resources")
        #expect(field(.image, nil, []) == "resources" && field(.image, nil, Array(repeating: url, count: 10)) == "resources")
        #expect(field(.image, nil, Array(repeating: upload, count: 9)) == nil)
        #expect(field(.video, nil, [url, url]) == "resources" && field(.video, "clip", [url]) == nil)
        #expect(field(.image, nil, ["ftp://x/y"]) == "resources.0" && field(.image, nil, [url, "/v1/uploads/zz"]) == "resources.1")
        #expect(field(.image, nil, ["https://"]) == "resources.0" && field(.image, nil, ["https://a b/c"]) == "resources.0")
    }
}

extension Array where Element == UInt8 {
    func contains(text: String) -> Bool { contains(bytes: Array(text.utf8)) }

    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
