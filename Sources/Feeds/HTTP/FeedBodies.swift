import EventSourcing
public import ServerKit

extension FeedType: SchemaEnumeration {}
extension ReviewStatus: SchemaEnumeration {}

/// The JSON shapes of the feed routes (API.md's Feeds section) and their schemas. Answers
/// are written by `FeedJSON` (fast), in exactly these shapes; requests are decoded with them.
enum FeedBodies {
    /// `POST /v1/feeds`, `PUT /v1/feeds/{id}`.
    struct PostInput: Codable {
        var type: FeedType
        var content: String?
        var resources: [String]?
    }

    /// API.md's Feed.
    struct Feed: Codable {
        var id, authorID: String
        var type: FeedType
        var content: String
        var resources: [String]
        var likeCount, viewCount, commentCount: Int64
        var hot: Double
        var reviewStatus: ReviewStatus
        var likedByMe: Bool
        var createdAt, updatedAt: String
        enum CodingKeys: String, CodingKey {
            case id, type, content, resources, hot
            case authorID = "author_id", likeCount = "like_count", viewCount = "view_count", commentCount = "comment_count"
            case reviewStatus = "review_status", likedByMe = "liked_by_me", createdAt = "created_at", updatedAt = "updated_at"
        }
    }

    /// `POST /v1/feeds/{id}/comments`.
    struct CommentInput: Codable { var content: String }

    /// A comment.
    struct Comment: Codable {
        var id, feedID, authorID, content, createdAt: String
        enum CodingKeys: String, CodingKey { case id, content, feedID = "feed_id", authorID = "author_id", createdAt = "created_at" }
        init(_ view: CommentView) {
            (id, feedID, authorID, content, createdAt) = (view.id, view.postID, view.authorID, view.content, view.createdAt.rfc3339)
        }
    }

    /// A moderator's decision.
    enum Verdict: String, Codable, CaseIterable, SchemaEnumeration { case approved, rejected }

    /// `POST /v1/admin/feeds/{id}/review`.
    struct ReviewInput: Codable {
        var status: Verdict
        var remark: String?
    }

    /// A follower or followee.
    struct Follow: Codable {
        var id, displayName, gender, avatarURL, createdAt, followedAt: String
        enum CodingKeys: String, CodingKey {
            case id, gender, displayName = "display_name", avatarURL = "avatar_url", createdAt = "created_at", followedAt = "followed_at"
        }
        init(_ view: FollowView) {
            (id, displayName, gender, avatarURL) = (view.id, view.displayName, view.gender, view.avatarURL)
            (createdAt, followedAt) = (view.createdAt.rfc3339, view.followedAt.rfc3339)
        }
    }

    /// `{"items": [...]}` without a cursor (the recommendation).
    struct Items<Item: Codable>: Codable { var items: [Item] }

    static var feed: JSONValue { JSONSchema.of(Feed.self) }
    static var comment: JSONValue { JSONSchema.of(Comment.self) }
    static var feedPage: JSONValue { JSONSchema.of(CursorPageBody<Feed>.self) }
    static var commentPage: JSONValue { JSONSchema.of(CursorPageBody<Comment>.self) }
    static var followPage: JSONValue { JSONSchema.of(PageBody<Follow>.self) }
    static var feedItems: JSONValue { JSONSchema.of(Items<Feed>.self) }
}

extension FeedBodies.PostInput: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = [
        "content": TextRule.freeText(max: FeedRules.maxContent).schema("Required for text posts."),
        "resources": ["maxItems": 9, "description": "Image posts 1-9 URLs, video posts exactly 1, text posts none."],
    ]
}

extension FeedBodies.CommentInput: SchemaConstrained {
    static let schemaConstraints: [String: JSONValue] = ["content": TextRule.freeText(min: 1, max: FeedRules.maxComment).schema()]
}
