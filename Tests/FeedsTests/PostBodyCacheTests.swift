import EventSourcing
import Members
@testable import Feeds
import Testing

@Suite struct PostBodyCacheTests {
    static func post(_ id: String, by author: String, version: StreamVersion = 1) -> PostState {
        var post = PostState(
            id: id, created: PostCreated(authorID: author, kind: .text, body: SealedPart(bytes: [1]), status: .approved), at: Timestamp(millisecondsSince1970: 0))
        post.version = version
        return post
    }

    /// A deleted author's bodies leave the cache; everyone else's stay.
    @Test func forgettingAnAuthorDropsTheirBodiesOnly() {
        let cache = PostBodyCache()
        for n in 0..<1_000 {
            let post = Self.post("p\(n)", by: n % 3 == 0 ? "gone" : "kept-\(n % 7)")
            cache.remember(PostBody(content: "text \(n)", resources: []), for: post)
        }
        cache.forget(author: "gone")
        for n in 0..<1_000 {
            let post = Self.post("p\(n)", by: n % 3 == 0 ? "gone" : "kept-\(n % 7)")
            #expect((cache.body(post) == nil) == (n % 3 == 0), "post \(n)")
        }
        cache.forget(author: "nobody")
        #expect(cache.body(Self.post("p1", by: "kept-1")) == PostBody(content: "text 1", resources: []))
    }

    /// A full cache starts over, and what it forgot leaves no trace behind.
    @Test func aFullCacheStartsOver() {
        let cache = PostBodyCache(capacity: 3)
        for n in 0..<3 { cache.remember(PostBody(content: "a\(n)", resources: []), for: Self.post("a\(n)", by: "a")) }
        cache.remember(PostBody(content: "a0 edited", resources: []), for: Self.post("a0", by: "a", version: 2))
        #expect(cache.body(Self.post("a1", by: "a")) != nil, "replacing a cached post does not count as a new one")
        cache.remember(PostBody(content: "b", resources: []), for: Self.post("b", by: "b"))
        #expect(cache.body(Self.post("a1", by: "a")) == nil && cache.body(Self.post("b", by: "b"))?.content == "b")
        cache.forget(author: "a")
        cache.forget(author: "b")
        #expect(cache.body(Self.post("b", by: "b")) == nil)
    }

    /// An entry is valid only at the version it was opened at.
    @Test func anEditedPostIsOpenedAgain() {
        let cache = PostBodyCache()
        cache.remember(PostBody(content: "old", resources: []), for: Self.post("p", by: "a", version: 1))
        #expect(cache.body(Self.post("p", by: "a", version: 2)) == nil)
        #expect(cache.body(Self.post("p", by: "a", version: 1))?.content == "old")
    }
}
