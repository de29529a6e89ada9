public import EventSourcing
import HashTreeCollections
public import Members

extension FeedDecisions {
    /// `member` likes the post (404 when they cannot see it). A second like decides nothing.
    public static func like(_ post: PostState?, by member: String, social: SocialState, now: Timestamp, metadata: EventMetadata = .none)
        throws(FeedError) -> Decision<Void>
    {
        let post = try visible(post, to: .member(member))
        guard !social.likes.contains(post.id) else { return Decision([], ()) }
        let event = FeedEvent.liked(PostLiked(postID: post.id))
        return Decision([append(try socialStream(member), .exactly(social.version), [event], now: now, metadata: metadata)], ())
    }

    /// `member` takes a like back (404 when they cannot see the post). An unlike of nothing
    /// decides nothing.
    public static func unlike(_ post: PostState?, by member: String, social: SocialState, now: Timestamp, metadata: EventMetadata = .none)
        throws(FeedError) -> Decision<Void>
    {
        let post = try visible(post, to: .member(member))
        guard social.likes.contains(post.id) else { return Decision([], ()) }
        let event = FeedEvent.unliked(PostUnliked(postID: post.id))
        return Decision([append(try socialStream(member), .exactly(social.version), [event], now: now, metadata: metadata)], ())
    }

    /// `member` follows `target` (400 for themselves, 404 when the target is not an active
    /// member). Following again decides nothing.
    public static func follow(
        _ target: String, by member: String, targetExists: Bool, social: SocialState, now: Timestamp, metadata: EventMetadata = .none
    ) throws(FeedError) -> Decision<Void> {
        guard target != member else { throw .invalid(field: "id", reason: "A member cannot follow themselves.") }
        guard targetExists else { throw .notFound }
        guard social.following[target] == nil else { return Decision([], ()) }
        let event = FeedEvent.followed(MemberFollowed(memberID: target))
        return Decision([append(try socialStream(member), .exactly(social.version), [event], now: now, metadata: metadata)], ())
    }

    /// `member` stops following `target`. Not following decides nothing (404 when the
    /// target is not a member either).
    public static func unfollow(
        _ target: String, by member: String, targetExists: Bool, social: SocialState, now: Timestamp, metadata: EventMetadata = .none
    ) throws(FeedError) -> Decision<Void> {
        guard target != member else { throw .invalid(field: "id", reason: "A member cannot follow themselves.") }
        guard social.following[target] != nil else {
            guard targetExists else { throw .notFound }
            return Decision([], ())
        }
        let event = FeedEvent.unfollowed(MemberUnfollowed(memberID: target))
        return Decision([append(try socialStream(member), .exactly(social.version), [event], now: now, metadata: metadata)], ())
    }

    /// The views counted since the last flush, as events of at most `ViewsCounted.maxItems`
    /// posts each, in post id order; nothing when there were none.
    public static func countViews(_ counts: [String: UInt64], now: Timestamp) -> Decision<Void> {
        let items = counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { ViewsCounted.Item(postID: $0.key, count: $0.value) }
        guard !items.isEmpty else { return Decision([], ()) }
        var events: [FeedEvent] = []
        var start = 0
        while start < items.count {
            let end = min(items.count, start + ViewsCounted.maxItems)
            events.append(.viewsCounted(ViewsCounted(items: Array(items[start..<end]))))
            start = end
        }
        return Decision([append(FeedStreams.views, .any, events, now: now, metadata: .none)], ())
    }
}
