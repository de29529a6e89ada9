import EventSourcing

extension FeedsService {
    /// `GET /v1/feeds?q=`: approved posts, newest first, matching every word of `query`.
    public func latest(query: String, below cursor: PostKey?, limit: Int, viewer: String?) -> KeyedPage<PostView> {
        let postings = search.postings(for: query)
        return searched(query, below: cursor, limit: limit, viewer: viewer) { below, count in
            model.read { model, _ in
                guard let postings else { return model.newestFirst(model.newest, below: below, limit: count) }
                guard !postings.isEmpty else { return [] }
                let keys = FeedsReadModel.intersect(postings + [model.newest], below: below, limit: count) { _ in true }
                return keys.compactMap { model.post($0.id) }
            }
        }
    }

    /// `GET /v1/members/me/feeds`: the caller's own live posts, any status or one, newest first.
    public func mine(_ member: String, status: ReviewStatus?, query: String, below cursor: PostKey?, limit: Int) -> KeyedPage<PostView> {
        let postings = search.postings(for: query)
        return searched(query, below: cursor, limit: limit, viewer: member) { below, count in
            model.read { model, _ in
                let list = model.authorList(member, status: status)
                let include = { (post: PostState) in status == nil || post.status == status }
                guard let postings else { return model.newestFirst(list, below: below, limit: count, include: include) }
                guard !postings.isEmpty, let list else { return [] }
                let keys = FeedsReadModel.intersect(postings + [list], below: below, limit: count) { key in
                    model.post(key.id).map(include) ?? false
                }
                return keys.compactMap { model.post($0.id) }
            }
        }
    }

    /// A page of `candidates(below, count)` (newest first). When the index alone can be
    /// wrong for `query` (a CJK run of three or more characters is looked up by its pairs),
    /// each candidate's text is checked for the run, outside the read model's lock, and
    /// more candidates are fetched until the page is full; after `maxExamined` candidates
    /// the page ends early with a cursor at the last one examined, so one request's work
    /// stays bounded whatever the index holds.
    private func searched(
        _ query: String, below cursor: PostKey?, limit: Int, viewer: String?, candidates: (PostKey?, Int) -> [PostState]
    ) -> KeyedPage<PostView> {
        guard TextTokens.needsVerification(query) else { return page(candidates(cursor, limit + 1), limit: limit, viewer: viewer) }
        let maxExamined = 20 * (limit + 1)
        var found: [PostState] = []
        var below = cursor
        var examined = 0
        while found.count <= limit {
            let batch = candidates(below, limit + 1)
            found += batch.filter { post in open(post).map { TextTokens.holdsLongRuns(of: query, in: $0.content) } ?? false }
            examined += batch.count
            guard batch.count == limit + 1, let last = batch.last else { break }
            below = last.key
            if examined >= maxExamined, found.count <= limit {
                return KeyedPage(items: views(found, viewer: viewer), next: last.key)
            }
        }
        return page(found, limit: limit, viewer: viewer)
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
