public import EventSourcing

/// Stream names of the feeds domain, built here and nowhere else.
///
/// - `feed-<post id>`: one post's life (created, edited, reviewed, deleted).
/// - `feedcomment-<comment id>`: one comment (added, removed), so comments on a busy post
///   never race on one stream.
/// - `feedsocial-<member id>`: a member's likes and follows, appended at the version the
///   read model shows, so a member's two concurrent likes of one post cannot both count.
/// - `feedviews-counts`: the view counter's periodic flushes (appended with `.any`).
public enum FeedStreams {
    public static func post(_ id: EntityID) -> StreamID { StreamID(.feed, id) }
    public static func comment(_ id: EntityID) -> StreamID { StreamID(.feedComment, id) }

    /// `feedsocial-<member id>`; nil when `memberID` is not an entity id.
    public static func social(_ memberID: String) -> StreamID? { EntityID(memberID).map { StreamID(.feedSocial, $0) } }

    public static var views: StreamID { StreamID(.feedViews, key: "counts") ?? StreamID(.feedViews, EntityID.example) }
}

extension StreamCategory {
    /// `feed-<id>`: one post.
    public static let feed = StreamCategory("feed")
    /// `feedcomment-<id>`: one comment.
    public static let feedComment = StreamCategory("feedcomment")
    /// `feedsocial-<member id>`: a member's likes and follows.
    public static let feedSocial = StreamCategory("feedsocial")
    /// `feedviews-counts`: aggregated views.
    public static let feedViews = StreamCategory("feedviews")
}
