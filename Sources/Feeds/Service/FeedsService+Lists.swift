import EventSourcing

extension FeedsService {
    /// `GET /v1/feeds?q=`: approved posts, newest first, matching every word of `query`.
    public func latest(query: String, below cursor: PostKey?, limit: Int, viewer: String?) -> KeyedPage<PostView> {
        let postings = search.postings(for: query)
        let found: [PostState] = model.read { model, _ in
            guard let postings else { return model.newestFirst(model.newest, below: cursor, limit: limit + 1) }
            guard !postings.isEmpty else { return [] }
            let keys = FeedsReadModel.intersect(postings + [model.newest], below: cursor, limit: limit + 1) { _ in true }
            return keys.compactMap { model.post($0.id) }
        }
        return page(found, limit: limit, viewer: viewer)
    }

    /// `GET /v1/members/me/feeds`: the caller's own live posts, any status or one, newest first.
    public func mine(_ member: String, status: ReviewStatus?, query: String, below cursor: PostKey?, limit: Int) -> KeyedPage<PostView> {
        let postings = search.postings(for: query)
        let found: [PostState] = model.read { model, _ in
            let list = model.authorList(member, status: status)
            let include = { (post: PostState) in status == nil || post.status == status }
            guard let postings else { return model.newestFirst(list, below: cursor, limit: limit + 1, include: include) }
            guard !postings.isEmpty, let list else { return [] }
            let keys = FeedsReadModel.intersect(postings + [list], below: cursor, limit: limit + 1) { key in
                model.post(key.id).map(include) ?? false
            }
            return keys.compactMap { model.post($0.id) }
        }
        return page(found, limit: limit, viewer: member)
    }

    /// `GET /v1/feeds/following`: the approved posts of the members `member` follows, newest first.
    public func following(_ member: String, below cursor: PostKey?, limit: Int) -> KeyedPage<PostView> {
        let found: [PostState] = model.read { model, _ in
            model.followingPage(member, below: cursor, limit: limit + 1).compactMap { model.post($0.id) }
        }
        return page(found, limit: limit, viewer: member)
    }

    /// `GET /v1/feeds/recommended`: the approved posts with the highest hot score now.
    public func recommended(limit: Int, viewer: String?) -> [PostView] {
        let now = clock()
        let found: [PostState] = model.read { model, _ in model.recommended(limit: limit, now: now).compactMap { model.post($0.key.id) } }
        return views(found, viewer: viewer)
    }

    /// `GET /v1/admin/feeds`: the moderation queue of `status`, oldest first.
    public func queue(_ status: ReviewStatus, above cursor: PostKey?, limit: Int) -> KeyedPage<PostView> {
        let found: [PostState] = model.read { model, _ in model.oldestFirst(model.moderationList(status), above: cursor, limit: limit + 1) }
        return page(found, limit: limit, viewer: nil)
    }
}
