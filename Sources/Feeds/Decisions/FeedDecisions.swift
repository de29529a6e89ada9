import EventSourcing
import Members

/// The feed decisions: pure functions of a command, the read model's state for it (a post,
/// a comment, a member's likes and follows), the time and a random source (plus the
/// author's sealing key the service looked up). Tested without a log or HTTP; the service
/// reads the state, calls one of these and appends. A command with nothing to do (a second
/// like, an unlike of nothing, an edit that changes nothing) decides no appends.
public enum FeedDecisions {
    /// Who acts: a member (by token) or a moderator (the admin token).
    public enum Actor: Hashable, Sendable {
        case member(String)
        case admin

        /// The member acting, nil for a moderator.
        public var memberID: String? {
            if case .member(let id) = self { return id }
            return nil
        }
    }

    /// One append of `events` to `stream` at `expected`.
    static func append(_ stream: StreamID, _ expected: ExpectedVersion, _ events: [FeedEvent], now: Timestamp, metadata: EventMetadata) -> StreamAppend {
        StreamAppend(stream: stream, expected: expected, events: events.map { $0.newEvent(at: now, metadata: metadata) })
    }

    /// The post `post` as `actor` may act on it: 404 when it is gone or not theirs to see.
    static func visible(_ post: PostState?, to actor: Actor) throws(FeedError) -> PostState {
        guard let post else { throw .notFound }
        if case .member(let id) = actor, !post.isVisible(to: id) { throw .notFound }
        return post
    }

    /// The post's stream (its id came from the read model, so it is an entity id).
    static func stream(of post: PostState) throws(FeedError) -> StreamID {
        guard let id = EntityID(post.id) else { throw .notFound }
        return FeedStreams.post(id)
    }

    static func socialStream(_ memberID: String) throws(FeedError) -> StreamID {
        guard let stream = FeedStreams.social(memberID) else { throw .unauthenticated }
        return stream
    }
}
