public import EventSourcing

/// Where a post (or a comment, or a follow) sits in a list: its time, then its id to break
/// ties. Lists are ordered by it, and cursors carry it, so a page starts right after the
/// last item shown whatever was added or removed meanwhile.
public struct PostKey: Hashable, Comparable, Sendable {
    /// Milliseconds since 1970 (the creation event's time).
    public var time: Int64
    public var id: String

    public init(time: Int64, id: String) {
        self.time = time
        self.id = id
    }

    public init(_ time: Timestamp, _ id: String) { self.init(time: time.millisecondsSince1970, id: id) }

    public static func < (lhs: PostKey, rhs: PostKey) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.id < rhs.id
    }
}

/// A post's place in the engagement order the recommendation walks (its points, then its key).
public struct EngagementKey: Hashable, Comparable, Sendable {
    /// Tenths of a point: 10 per like, 20 per comment, 1 per view (see `HotScore`).
    public var points: Int64
    public var post: PostKey

    public init(points: Int64, post: PostKey) {
        self.points = points
        self.post = post
    }

    public static func < (lhs: EngagementKey, rhs: EngagementKey) -> Bool {
        lhs.points != rhs.points ? lhs.points < rhs.points : lhs.post < rhs.post
    }
}
