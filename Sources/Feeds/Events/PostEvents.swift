public import EventSourcing
public import Members

/// A post was written (`feed-<id>`): its author, type, body sealed under the author's key,
/// and the review status it starts in (approved at once, or pending under manual review).
public struct PostCreated: EventPayload {
    public static let type = "feed.post-created.v1"
    public var authorID: String
    public var kind: FeedType
    public var body: SealedPart
    public var status: ReviewStatus

    public init(authorID: String, kind: FeedType, body: SealedPart, status: ReviewStatus) {
        (self.authorID, self.kind, self.body, self.status) = (authorID, kind, body, status)
    }

    public init(from r: inout BinaryReader) throws {
        let author = try r.readString()
        self.init(authorID: author, kind: try r.readFeedType(), body: try r.readSealedPart(), status: try r.readReviewStatus())
    }

    public func encode(to w: inout BinaryWriter) { w.write(authorID); w.write(kind.rawValue); w.write(body); w.write(status.rawValue) }

    public var json: JSONValue {
        ["author_id": .string(authorID), "type": .string(kind.rawValue), "body": .sealed(body), "review_status": .string(status.rawValue)]
    }

    public static let example = PostCreated(
        authorID: "01KB7Y3Q0000000000000000AA", kind: .text, body: SealedPart(bytes: [2, 1, 2]), status: .approved)
}

/// The author replaced the post's type and body; `status` is where the edit leaves the
/// review (pending again under manual review).
public struct PostEdited: EventPayload {
    public static let type = "feed.post-edited.v1"
    public var kind: FeedType
    public var body: SealedPart
    public var status: ReviewStatus

    public init(kind: FeedType, body: SealedPart, status: ReviewStatus) { (self.kind, self.body, self.status) = (kind, body, status) }

    public init(from r: inout BinaryReader) throws {
        self.init(kind: try r.readFeedType(), body: try r.readSealedPart(), status: try r.readReviewStatus())
    }

    public func encode(to w: inout BinaryWriter) { w.write(kind.rawValue); w.write(body); w.write(status.rawValue) }

    public var json: JSONValue { ["type": .string(kind.rawValue), "body": .sealed(body), "review_status": .string(status.rawValue)] }

    public static let example = PostEdited(kind: .image, body: SealedPart(bytes: [2, 3]), status: .pending)
}

/// A moderator approved or rejected the post: who, (event time) when, and the remark,
/// sealed under the author's key like the post itself (it is about their text).
public struct PostReviewed: EventPayload {
    public static let type = "feed.post-reviewed.v1"
    public var status: ReviewStatus
    public var remark: SealedPart?
    /// `admin` (the admin token; the server has one).
    public var actor: String

    public init(status: ReviewStatus, remark: SealedPart?, actor: String) { (self.status, self.remark, self.actor) = (status, remark, actor) }

    public init(from r: inout BinaryReader) throws {
        self.init(status: try r.readReviewStatus(), remark: try r.readOptionalSealedPart(), actor: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) { w.write(status.rawValue); w.write(remark); w.write(actor) }

    public var json: JSONValue {
        var object: [String: JSONValue] = ["review_status": .string(status.rawValue), "actor": .string(actor)]
        if let remark { object["remark"] = .sealed(remark) }
        return .object(object)
    }

    public static let example = PostReviewed(status: .rejected, remark: SealedPart(bytes: [2, 4]), actor: "admin")
}

/// The post was deleted by its author (`author`) or a moderator (`admin`).
public struct PostDeleted: EventPayload {
    public static let type = "feed.post-deleted.v1"
    public var actor: String
    public init(actor: String) { self.actor = actor }
    public init(from r: inout BinaryReader) throws { actor = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(actor) }
    public var json: JSONValue { ["actor": .string(actor)] }
    public static let example = PostDeleted(actor: "author")
}

extension BinaryReader {
    mutating func readFeedType() throws -> FeedType {
        guard let kind = FeedType(rawValue: try readString()) else { throw BinaryReader.Error(description: "feed type") }
        return kind
    }

    mutating func readReviewStatus() throws -> ReviewStatus {
        guard let status = ReviewStatus(rawValue: try readString()) else { throw BinaryReader.Error(description: "review status") }
        return status
    }
}
