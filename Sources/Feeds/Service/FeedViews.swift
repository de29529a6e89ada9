public import EventSourcing

/// A post as the feed routes show it (API.md's Feed), its body opened.
public struct PostView: Hashable, Sendable {
    public var id: String
    public var authorID: String
    public var kind: FeedType
    public var content: String
    public var resources: [String]
    public var likeCount: Int
    public var viewCount: UInt64
    public var commentCount: Int
    public var hot: Double
    public var status: ReviewStatus
    public var likedByMe: Bool
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public var key: PostKey { PostKey(createdAt, id) }
}

/// A comment as the routes show it.
public struct CommentView: Hashable, Sendable {
    public var id: String
    public var postID: String
    public var authorID: String
    public var content: String
    public var createdAt: Timestamp

    public var key: PostKey { PostKey(createdAt, id) }
}

/// A follower or followee: the member's public profile and when the follow began.
public struct FollowView: Hashable, Sendable {
    public var id: String
    public var displayName: String
    public var gender: String
    public var avatarURL: String
    public var createdAt: Timestamp
    public var followedAt: Timestamp
}

/// A page of a cursor list: the items and the key the next page starts below (or above).
public struct KeyedPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: PostKey?
}
