import EventSourcing
import Members
import HashTreeCollections
import Testing
@testable import Feeds

@Suite struct FeedsReadModelTests {
    let alice = memberID(1), bob = memberID(2), carol = memberID(3)

    @Test func countsFollowLikesCommentsAndViewsExactly() {
        var log = FeedLog()
        let post = log.post(by: alice, at: t0)
        log.like(bob, post, at: t0)
        log.like(bob, post, at: t0)  // a duplicate in the log counts once
        log.like(carol, post, at: t0)
        let comment = log.comment(by: bob, on: post, at: t0)
        log.comment(by: carol, on: post, at: t0)
        log.append(.viewsCounted(ViewsCounted(items: [.init(postID: post, count: 5)])), on: FeedStreams.views, at: t0)
        var state = log.model.posts[post]
        #expect(state?.likeCount == 2)
        #expect(state?.commentCount == 2)
        #expect(state?.viewCount == 5)
        #expect(state?.engagement == Int64(65))
        if let id = EntityID(comment) { log.append(.commentRemoved(CommentRemoved(actor: "author")), on: FeedStreams.comment(id), at: t0) }
        log.social(bob, .unliked(PostUnliked(postID: post)), at: t0)
        state = log.model.posts[post]
        #expect(state?.likeCount == 1)
        #expect(state?.commentCount == 1)
        #expect(log.model.socialState(of: bob).version == 3)
        #expect(log.model.engagement.all.map(\.post.id) == [post] && log.model.engagement.first?.points == 10 + 20 + 5)
    }

    @Test func aDeletedMemberLeavesEveryFactIndexAndCountAndNoLaterSnapshotHoldsThem() throws {
        var log = FeedLog()
        let bobsPost = log.post(by: bob, "bob's words", at: t0)
        let alicesPost = log.post(by: alice, at: t0.adding(seconds: 1))
        log.like(bob, alicesPost, at: t0)
        log.like(alice, bobsPost, at: t0)
        log.comment(by: bob, on: alicesPost, at: t0)
        log.comment(by: alice, on: bobsPost, at: t0)
        log.follow(bob, alice, at: t0)
        log.follow(alice, bob, at: t0)
        log.follow(carol, bob, at: t0)
        let sealed = try #require(log.model.posts[bobsPost]?.body.bytes)

        log.deleteMember(bob, at: t0.adding(seconds: 2))
        let model = log.model
        #expect(model.posts[bobsPost] == nil && model.posts[alicesPost]?.likeCount == 0 && model.posts[alicesPost]?.commentCount == 0)
        #expect(model.comments.values.allSatisfy { $0.authorID != bob && $0.postID != bobsPost } && model.comments.isEmpty)
        #expect(model.social[bob] == nil && model.social[alice]?.likes.isEmpty == true && model.social[alice]?.following.isEmpty == true)
        #expect(model.followers[bob] == nil && model.followers[alice] == nil && model.followees[carol] == nil)
        #expect(model.followingPage(alice, below: nil, limit: 10).isEmpty && model.followingPage(carol, below: nil, limit: 10).isEmpty)
        #expect(model.newest.all.map(\.id) == [alicesPost] && model.likers.isEmpty && model.commentsBy.isEmpty)
        let snapshot = model.snapshot()
        #expect(!snapshot.contains(text: bobsPost) && !snapshot.contains(bytes: sealed))
        #expect(log.model.gone.contains(bob))

        // Anything of theirs committed after the deletion is ignored.
        log.post(by: bob, at: t0.adding(seconds: 3))
        log.like(bob, alicesPost, at: t0.adding(seconds: 3))
        log.follow(alice, bob, at: t0.adding(seconds: 3))
        #expect(log.model.posts.count == 1 && log.model.posts[alicesPost]?.likeCount == 0 && log.model.followers[bob] == nil)
        #expect(try log.rebuilt().digest == log.model.digest)
    }

    @Test func aSnapshotRestoresTheSameFactsAndIndexes() throws {
        var log = FeedLog(timelineWindow: 3)
        for index in 0..<30 {
            let author = memberID(index % 4 + 1)
            let post = log.post(by: author, at: t0.adding(seconds: Int64(index)), status: index % 5 == 0 ? .pending : .approved)
            if index % 3 == 0 { log.like(memberID(9), post, at: t0) }
            if index % 4 == 0 { log.comment(by: memberID(8), on: post, at: t0) }
        }
        for follower in 5...9 { for author in 1...4 { log.follow(memberID(follower), memberID(author), at: t0.adding(seconds: Int64(follower))) } }
        let restored = try FeedsReadModel(snapshot: log.model.snapshot())
        #expect(restored.digest == log.model.digest)
        #expect(restored.newest == log.model.newest && restored.pending == log.model.pending && restored.engagement == log.model.engagement)
        #expect(restored.authored == log.model.authored && restored.published == log.model.published)
        #expect(restored.postComments == log.model.postComments && restored.followers == log.model.followers)
        #expect(restored.followees == log.model.followees && restored.likers == log.model.likers)
        for member in (5...9).map(memberID) {
            #expect(restored.followingPage(member, below: nil, limit: 50) == log.model.followingPage(member, below: nil, limit: 50))
        }
        #expect(restored.followPage(memberID(1), followers: true, offset: 1, limit: 2).keys.map(\.id) == [memberID(8), memberID(7)])
    }

    @Test func anEventOfTheDomainThatDoesNotDecodeStopsTheModel() {
        var model = FeedsReadModel()
        let broken = RecordedEvent(
            position: 1, stream: FeedStreams.post(.example), version: 1, type: PostCreated.type, payload: [0xFF], timestamp: t0, metadata: .none)
        #expect(throws: (any Error).self) { try model.apply(broken) }
        let unknown = RecordedEvent(
            position: 1, stream: FeedStreams.post(.example), version: 1, type: "feed.unheard-of.v1", payload: [], timestamp: t0, metadata: .none)
        #expect(throws: (any Error).self) { try model.apply(unknown) }
        #expect(FeedEvent.codec.typesFailingRoundTrip().isEmpty)
    }
}
