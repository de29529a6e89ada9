public import EventSourcing

/// The member (`feedsocial-<member id>`) liked a post.
public struct PostLiked: EventPayload {
    public static let type = "feed.liked.v1"
    public var postID: String
    public init(postID: String) { self.postID = postID }
    public init(from r: inout BinaryReader) throws { postID = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(postID) }
    public var json: JSONValue { ["feed_id": .string(postID)] }
    public static let example = PostLiked(postID: "01KB7Y3Q0000000000000000AE")
}

/// The member took a like back.
public struct PostUnliked: EventPayload {
    public static let type = "feed.unliked.v1"
    public var postID: String
    public init(postID: String) { self.postID = postID }
    public init(from r: inout BinaryReader) throws { postID = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(postID) }
    public var json: JSONValue { ["feed_id": .string(postID)] }
    public static let example = PostUnliked(postID: "01KB7Y3Q0000000000000000AE")
}

/// The member began to follow another.
public struct MemberFollowed: EventPayload {
    public static let type = "feed.followed.v1"
    public var memberID: String
    public init(memberID: String) { self.memberID = memberID }
    public init(from r: inout BinaryReader) throws { memberID = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(memberID) }
    public var json: JSONValue { ["member_id": .string(memberID)] }
    public static let example = MemberFollowed(memberID: "01KB7Y3Q0000000000000000AB")
}

/// The member stopped following another.
public struct MemberUnfollowed: EventPayload {
    public static let type = "feed.unfollowed.v1"
    public var memberID: String
    public init(memberID: String) { self.memberID = memberID }
    public init(from r: inout BinaryReader) throws { memberID = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(memberID) }
    public var json: JSONValue { ["member_id": .string(memberID)] }
    public static let example = MemberUnfollowed(memberID: "01KB7Y3Q0000000000000000AB")
}
