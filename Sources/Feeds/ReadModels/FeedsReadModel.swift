public import HashTreeCollections
public import EventSourcing
import Members

/// Posts, comments, likes, follows, views and the lists the feed routes read: the feeds
/// domain's read model, a fold of `feed-*`, `feedcomment-*`, `feedsocial-*`,
/// `feedviews-*` and the members' `member.deleted.v1`.
///
/// Two kinds of state. The facts (posts, comments, each member's likes and follows, the
/// deleted members) are what a snapshot holds. Everything else is an index derived from
/// them (per-author and global ordered lists, the moderation queues, the engagement order,
/// likers, followers, materialized timelines), kept current by `apply` and rebuilt from
/// the facts when a snapshot is restored. Bodies stay sealed under their authors' keys;
/// a deleted member's posts, comments, likes and follows leave every fact and index with
/// the deletion, so no later snapshot holds them.
public struct FeedsReadModel: Projection {
    public static let name = "feeds"
    public static let formatVersion: UInt32 = 1
    /// Posts kept per materialized following timeline (deeper pages merge on read).
    public static let defaultTimelineWindow = 500

    // MARK: Facts (snapshotted)

    public internal(set) var posts: TreeDictionary<String, PostState> = [:]
    public internal(set) var comments: TreeDictionary<String, CommentState> = [:]
    public internal(set) var social: TreeDictionary<String, SocialState> = [:]
    /// Deleted members: later events by or about them are ignored.
    public internal(set) var gone: TreeSet<String> = []

    // MARK: Indexes (derived)

    /// Each author's live posts, any status.
    public internal(set) var authored: TreeDictionary<String, SortedKeys<PostKey>> = [:]
    /// Each author's approved posts.
    public internal(set) var published: TreeDictionary<String, SortedKeys<PostKey>> = [:]
    /// Every approved post.
    public internal(set) var newest = SortedKeys<PostKey>()
    /// The moderation queues: pending and rejected posts.
    public internal(set) var pending = SortedKeys<PostKey>()
    public internal(set) var rejected = SortedKeys<PostKey>()
    /// Approved posts by engagement (the recommendation's second list).
    public internal(set) var engagement = SortedKeys<EngagementKey>()
    /// Each post's comments, by (time, comment id).
    public internal(set) var postComments: TreeDictionary<String, SortedKeys<PostKey>> = [:]
    /// Each member's comments (for erasure).
    public internal(set) var commentsBy: TreeDictionary<String, TreeSet<String>> = [:]
    /// Each post's likers.
    public internal(set) var likers: TreeDictionary<String, TreeSet<String>> = [:]
    /// Each member's followers and followees, by (follow time, member id).
    public internal(set) var followers: TreeDictionary<String, SortedKeys<PostKey>> = [:]
    public internal(set) var followees: TreeDictionary<String, SortedKeys<PostKey>> = [:]
    /// Each member's materialized following timeline.
    public internal(set) var timelines: TreeDictionary<String, Timeline> = [:]
    public let timelineWindow: Int

    public init() { self.init(timelineWindow: Self.defaultTimelineWindow) }

    /// A model whose timelines keep `timelineWindow` posts (tests use small windows).
    public init(timelineWindow: Int) { self.timelineWindow = max(1, timelineWindow) }

    public mutating func apply(_ event: RecordedEvent) throws {
        if event.type == MemberDeleted.type, event.stream.isIn(.member) {
            _ = try MemberDeleted(payload: event.payload)
            erase(member: String(event.stream.id))
            return
        }
        guard let decoded = try FeedEvent(event) else { return }
        let id = String(event.stream.id)
        let time = event.timestamp
        switch decoded {
        case .postCreated(let e): createPost(id, e, at: time)
        case .postEdited(let e): editPost(id, e, at: time, version: event.version)
        case .postReviewed(let e): reviewPost(id, e, at: time, version: event.version)
        case .postDeleted: deletePost(id)
        case .commentAdded(let e): addComment(id, e, at: time)
        case .commentRemoved: removeComment(id)
        case .liked(let e): socialEvent(id, version: event.version) { $0.like(member: id, post: e.postID) }
        case .unliked(let e): socialEvent(id, version: event.version) { $0.unlike(member: id, post: e.postID) }
        case .followed(let e): socialEvent(id, version: event.version) { $0.follow(id, e.memberID, at: time) }
        case .unfollowed(let e): socialEvent(id, version: event.version) { $0.unfollow(id, e.memberID) }
        case .viewsCounted(let e): for item in e.items { countViews(item.postID, item.count) }
        }
    }

    /// The post `id` if it is live.
    public func post(_ id: String) -> PostState? { posts[id] }

    /// The member's social state (an empty one at version 0 before their first like or follow).
    public func socialState(of memberID: String) -> SocialState { social[memberID] ?? SocialState() }

    /// Whether `memberID` likes `postID`.
    public func likes(_ memberID: String, _ postID: String) -> Bool { social[memberID]?.likes.contains(postID) ?? false }

    /// Records the social stream's version, then applies `change` unless the member is deleted.
    private mutating func socialEvent(_ memberID: String, version: StreamVersion, _ change: (inout FeedsReadModel) -> Void) {
        guard !gone.contains(memberID) else { return }
        social[memberID, default: SocialState()].version = version
        change(&self)
    }
}
