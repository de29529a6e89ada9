public import EventSourcing
public import Members

/// A comment on a post (`feedcomment-<id>`), its text sealed under the commenter's key.
public struct CommentAdded: EventPayload {
    public static let type = "feed.comment-added.v1"
    public var postID: String
    public var authorID: String
    public var content: SealedPart

    public init(postID: String, authorID: String, content: SealedPart) { (self.postID, self.authorID, self.content) = (postID, authorID, content) }

    public init(from r: inout BinaryReader) throws {
        self.init(postID: try r.readString(), authorID: try r.readString(), content: try r.readSealedPart())
    }

    public func encode(to w: inout BinaryWriter) { w.write(postID); w.write(authorID); w.write(content) }

    public var json: JSONValue { ["feed_id": .string(postID), "author_id": .string(authorID), "content": .sealed(content)] }

    public static let example = CommentAdded(
        postID: "01KB7Y3Q0000000000000000AE", authorID: "01KB7Y3Q0000000000000000AA", content: SealedPart(bytes: [2, 5]))
}

/// The comment was removed by its author (`author`), the post's author (`post_author`) or
/// a moderator (`admin`).
public struct CommentRemoved: EventPayload {
    public static let type = "feed.comment-removed.v1"
    public var actor: String
    public init(actor: String) { self.actor = actor }
    public init(from r: inout BinaryReader) throws { actor = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(actor) }
    public var json: JSONValue { ["actor": .string(actor)] }
    public static let example = CommentRemoved(actor: "post_author")
}
