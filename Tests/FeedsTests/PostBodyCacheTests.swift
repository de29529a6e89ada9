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

    /// An entry is valid only at the version it was opened at.
    @Test func anEditedPostIsOpenedAgain() {
        let cache = PostBodyCache()
        cache.remember(PostBody(content: "old", resources: []), for: Self.post("p", by: "a", version: 1))
        #expect(cache.body(Self.post("p", by: "a", version: 2)) == nil)
        #expect(cache.body(Self.post("p", by: "a", version: 1))?.content == "old")
    }
}
