public import EventSourcing

/// Views counted in memory since the last flush (`feedviews-counts`): per post, how many
/// `GET /v1/feeds/{id}` answered. A read is never a write of its own; the view counter
/// flushes these once a second (see ARCHITECTURE.md, Feeds).
public struct ViewsCounted: EventPayload {
    public static let type = "feed.views-counted.v1"
    /// At most this many posts per event.
    public static let maxItems = 1_000

    public struct Item: Hashable, Sendable {
        public var postID: String
        public var count: UInt64
        public init(postID: String, count: UInt64) { (self.postID, self.count) = (postID, count) }
    }

    public var items: [Item]

    public init(items: [Item]) { self.items = items }

    public init(from r: inout BinaryReader) throws {
        var items: [Item] = []
        for _ in 0..<(try r.readCount(max: Self.maxItems)) { items.append(Item(postID: try r.readString(), count: try r.readUInt64())) }
        self.init(items: items)
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(UInt64(items.count))
        for item in items { w.write(item.postID); w.write(item.count) }
    }

    public var json: JSONValue {
        ["views": .array(items.map { ["feed_id": .string($0.postID), "count": .count($0.count)] })]
    }

    public static let example = ViewsCounted(items: [Item(postID: "01KB7Y3Q0000000000000000AE", count: 3)])
}
