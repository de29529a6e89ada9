public import EventSourcing

/// Everything that happens to posts, comments, likes, follows and view counts: the feeds
/// domain's events, each declared once in its own `EventPayload`.
///
/// Post and comment text (and resource URLs, and moderators' remarks) exist in events only
/// sealed under the author's member key, so deleting the member erases them (crypto-shredding).
public enum FeedEvent: Hashable, Sendable {
    // On `feed-<id>`:
    case postCreated(PostCreated)
    case postEdited(PostEdited)
    case postReviewed(PostReviewed)
    case postDeleted(PostDeleted)
    // On `feedcomment-<id>`:
    case commentAdded(CommentAdded)
    case commentRemoved(CommentRemoved)
    // On `feedsocial-<member id>`:
    case liked(PostLiked)
    case unliked(PostUnliked)
    case followed(MemberFollowed)
    case unfollowed(MemberUnfollowed)
    // On `feedviews-counts`:
    case viewsCounted(ViewsCounted)

    /// The domain's codec: every type string tied to its case.
    public static let codec = EventCodec<FeedEvent>(
        categories: [.feed, .feedComment, .feedSocial, .feedViews],
        [
            .case(PostCreated.self, FeedEvent.postCreated),
            .case(PostEdited.self, FeedEvent.postEdited),
            .case(PostReviewed.self, FeedEvent.postReviewed),
            .case(PostDeleted.self, FeedEvent.postDeleted),
            .case(CommentAdded.self, FeedEvent.commentAdded),
            .case(CommentRemoved.self, FeedEvent.commentRemoved),
            .case(PostLiked.self, FeedEvent.liked),
            .case(PostUnliked.self, FeedEvent.unliked),
            .case(MemberFollowed.self, FeedEvent.followed),
            .case(MemberUnfollowed.self, FeedEvent.unfollowed),
            .case(ViewsCounted.self, FeedEvent.viewsCounted),
        ])

    /// The event's payload value.
    public var payload: any EventPayload {
        switch self {
        case .postCreated(let e): e
        case .postEdited(let e): e
        case .postReviewed(let e): e
        case .postDeleted(let e): e
        case .commentAdded(let e): e
        case .commentRemoved(let e): e
        case .liked(let e): e
        case .unliked(let e): e
        case .followed(let e): e
        case .unfollowed(let e): e
        case .viewsCounted(let e): e
        }
    }

    /// This event as a `NewEvent` at `time`.
    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent {
        payload.newEvent(at: time, metadata: metadata)
    }

    /// Decodes a recorded event: nil for other domains' events; throws for an event of
    /// this domain that does not decode.
    public init?(_ event: RecordedEvent) throws {
        guard let decoded = try Self.codec.decode(event) else { return nil }
        self = decoded
    }
}
