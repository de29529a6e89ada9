import EventSourcing
import ServerKit

/// The feed answers as bytes, in the shapes `FeedBodies` declares (keys in sorted order,
/// like the API's encoder).
enum FeedJSON {
    static func feed(_ view: PostView, into w: inout JSONWriter) {
        w.raw("{")
        w.key("author_id", first: true); w.string(view.authorID)
        w.key("comment_count"); w.integer(view.commentCount)
        w.key("content"); w.string(view.content)
        w.key("created_at"); w.time(view.createdAt)
        w.key("hot"); w.decimal6(view.hot)
        w.key("id"); w.string(view.id)
        w.key("like_count"); w.integer(view.likeCount)
        w.key("liked_by_me"); w.bool(view.likedByMe)
        w.key("resources"); w.raw("[")
        for (index, resource) in view.resources.enumerated() {
            if index > 0 { w.raw(",") }
            w.string(resource)
        }
        w.raw("]")
        w.key("review_status"); w.string(view.status.rawValue)
        w.key("type"); w.string(view.kind.rawValue)
        w.key("updated_at"); w.time(view.updatedAt)
        w.key("view_count"); w.integer(view.viewCount)
        w.raw("}")
    }

    static func comment(_ view: CommentView, into w: inout JSONWriter) {
        w.raw("{")
        w.key("author_id", first: true); w.string(view.authorID)
        w.key("content"); w.string(view.content)
        w.key("created_at"); w.time(view.createdAt)
        w.key("feed_id"); w.string(view.postID)
        w.key("id"); w.string(view.id)
        w.raw("}")
    }

    static func feed(_ view: PostView) -> [UInt8] {
        var w = JSONWriter(capacity: 384 + view.content.utf8.count)
        feed(view, into: &w)
        return w.bytes
    }

    static func comment(_ view: CommentView) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + view.content.utf8.count)
        comment(view, into: &w)
        return w.bytes
    }

    /// `{"items": [...], "next_cursor": "..." | null}`.
    static func page<Item>(_ page: KeyedPage<Item>, _ item: (Item, inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 64 + 512 * page.items.count)
        items(page.items, into: &w, item)
        w.key("next_cursor")
        if let next = page.next { w.string(next.cursor.description) } else { w.null() }
        w.raw("}")
        return w.bytes
    }

    /// `{"items": [...]}`.
    static func list<Item>(_ list: [Item], _ item: (Item, inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 64 + 512 * list.count)
        items(list, into: &w, item)
        w.raw("}")
        return w.bytes
    }

    private static func items<Item>(_ list: [Item], into w: inout JSONWriter, _ item: (Item, inout JSONWriter) -> Void) {
        w.raw("{")
        w.key("items", first: true)
        w.raw("[")
        for (index, element) in list.enumerated() {
            if index > 0 { w.raw(",") }
            item(element, &w)
        }
        w.raw("]")
    }
}

extension PostKey {
    /// The opaque cursor of a page that ends at this key.
    var cursor: Cursor { Cursor([String(time), id]) }

    /// The key a cursor carries; nil for a cursor of another shape.
    init?(cursor: Cursor) {
        guard cursor.parts.count == 2, let time = Int64(cursor.parts[0]), let id = EntityID(cursor.parts[1]) else { return nil }
        self.init(time: time, id: id.rawValue)
    }
}
