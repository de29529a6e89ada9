import EventSourcing

extension FeedsService {
    /// The post as the routes show it to `viewer`, its body opened with the author's key
    /// (nil when the author's key is gone: erased). `body` skips the opening when known.
    func view(_ post: PostState, body known: PostBody? = nil, likedByMe: Bool, now: Timestamp) -> PostView? {
        guard let body = known ?? open(post) else { return nil }
        let (views, overflow) = post.viewCount.addingReportingOverflow(self.views.unflushed(post.id))
        return PostView(
            id: post.id, authorID: post.authorID, kind: post.kind, content: body.content, resources: body.resources,
            likeCount: post.likeCount, viewCount: overflow ? .max : views, commentCount: post.commentCount,
            hot: HotScore.score(post, now: now), status: post.status, likedByMe: likedByMe, createdAt: post.createdAt,
            updatedAt: post.updatedAt)
    }

    /// The post's body, from the cache or opened with its author's key.
    func open(_ post: PostState) -> PostBody? {
        if let cached = bodies.body(post) { return cached }
        guard let body = opener(for: post.authorID)?.postBody(post.body, post: post.id) else { return nil }
        bodies.remember(body, for: post)
        return body
    }

    /// Views of `posts` for `viewer` (likes looked up in one read), skipping any that no longer open.
    func views(_ posts: [PostState], viewer: String?) -> [PostView] {
        let liked: [Bool] = viewer.map { viewer in
            model.read { model, _ in posts.map { model.likes(viewer, $0.id) } }
        } ?? Array(repeating: false, count: posts.count)
        let now = clock()
        return zip(posts, liked).compactMap { view($0, likedByMe: $1, now: now) }
    }

    /// A page of `limit` out of `found` (which holds one more when there is a next page).
    func page(_ found: [PostState], limit: Int, viewer: String?) -> KeyedPage<PostView> {
        let shown = Array(found.prefix(limit))
        return KeyedPage(items: views(shown, viewer: viewer), next: found.count > limit ? shown.last?.key : nil)
    }

    /// The comment as the routes show it (nil when its author's key is gone).
    func view(_ comment: CommentState, text known: String? = nil) -> CommentView? {
        guard let text = known ?? opener(for: comment.authorID)?.comment(comment.content, id: comment.id) else { return nil }
        return CommentView(id: comment.id, postID: comment.postID, authorID: comment.authorID, content: text, createdAt: comment.createdAt)
    }
}
