public import EventSourcing
public import Members

/// One live post as the read model keeps it: its body still sealed, its counts exact.
public struct PostState: Hashable, Sendable {
    public var id: String
    public var authorID: String
    public var kind: FeedType
    public var body: SealedPart
    public var status: ReviewStatus
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    public var likeCount: Int = 0
    public var commentCount: Int = 0
    /// Views flushed to the log (the view counter adds those still in memory).
    public var viewCount: UInt64 = 0
    /// Reviews recorded (moderators' decisions), and the last one's time.
    public var reviewCount: Int = 0
    public var reviewedAt: Timestamp?
    /// The version of `feed-<id>`.
    public var version: StreamVersion = 1

    public init(id: String, created: PostCreated, at time: Timestamp) {
        (self.id, authorID, kind, body, status) = (id, created.authorID, created.kind, created.body, created.status)
        (createdAt, updatedAt) = (time, time)
    }

    public var key: PostKey { PostKey(createdAt, id) }
    public var isPublished: Bool { status == .approved }

    /// The engagement points in tenths (10 per like, 20 per comment, 1 per view).
    public var engagement: Int64 {
        10 * Int64(likeCount) + 20 * Int64(commentCount) + Int64(clamping: min(viewCount, UInt64(Int64.max / 2)))
    }

    public var engagementKey: EngagementKey { EngagementKey(points: engagement, post: key) }

    /// Whether `viewer` (nil: anonymous) may see the post: approved, or their own.
    public func isVisible(to viewer: String?) -> Bool { status == .approved || viewer == authorID }
}

/// One live comment.
public struct CommentState: Hashable, Sendable {
    public var id: String
    public var postID: String
    public var authorID: String
    public var content: SealedPart
    public var createdAt: Timestamp
    /// The version of `feedcomment-<id>`.
    public var version: StreamVersion = 1

    public init(id: String, added: CommentAdded, at time: Timestamp) {
        (self.id, postID, authorID, content, createdAt) = (id, added.postID, added.authorID, added.content, time)
    }

    public var key: PostKey { PostKey(createdAt, id) }
}
