import HashTreeCollections
import EventSourcing

/// The lists the routes page through. Every page is a walk from a cursor (a `PostKey`)
/// in an ordered list, so it costs the page, not the list.
extension FeedsReadModel {
    /// Up to `limit` live posts of `list` below `cursor`, newest first, that pass `include`.
    public func newestFirst(
        _ list: SortedKeys<PostKey>?, below cursor: PostKey?, limit: Int, include: (PostState) -> Bool = { _ in true }
    ) -> [PostState] {
        var out: [PostState] = []
        list?.forEachDescending(below: cursor) { key in
            if let post = posts[key.id], include(post) { out.append(post) }
            return out.count < limit
        }
        return out
    }

    /// Up to `limit` live posts of `list` above `cursor`, oldest first.
    public func oldestFirst(_ list: SortedKeys<PostKey>?, above cursor: PostKey?, limit: Int) -> [PostState] {
        var out: [PostState] = []
        list?.forEachAscending(above: cursor) { key in
            if let post = posts[key.id] { out.append(post) }
            return out.count < limit
        }
        return out
    }

    /// The list holding `author`'s posts of `status` (all their live posts when nil); a list
    /// of pending or rejected posts still needs the status filter.
    public func authorList(_ author: String, status: ReviewStatus?) -> SortedKeys<PostKey>? {
        status == .approved ? published[author] : authored[author]
    }

    /// The moderators' list of `status`, oldest first when walked up.
    public func moderationList(_ status: ReviewStatus) -> SortedKeys<PostKey> {
        switch status {
        case .pending: pending
        case .rejected: rejected
        case .approved: newest
        }
    }

    /// Up to `limit` comments of the post after `cursor`, oldest first.
    public func commentsPage(_ postID: String, after cursor: PostKey?, limit: Int) -> [CommentState] {
        var out: [CommentState] = []
        postComments[postID]?.forEachAscending(above: cursor) { key in
            if let comment = comments[key.id] { out.append(comment) }
            return out.count < limit
        }
        return out
    }

    /// A page of `member`'s followers (or of those they follow), newest follow first, and the total.
    public func followPage(_ member: String, followers wanted: Bool, offset: Int, limit: Int) -> (keys: [PostKey], total: Int) {
        let list = (wanted ? followers : followees)[member]
        return (list?.descending(offset: offset, limit: limit) ?? [], list?.count ?? 0)
    }

    /// The keys in every one of `lists`, below `cursor`, newest first, up to `limit` that
    /// pass `include`: a leapfrog intersection (each list jumps to the largest key at most
    /// the current candidate by binary search), so a rare word in a long list costs its
    /// own postings, not the long list.
    public static func intersect(
        _ lists: [SortedKeys<PostKey>], below cursor: PostKey?, limit: Int, include: (PostKey) -> Bool
    ) -> [PostKey] {
        let lists = lists.sorted { $0.count < $1.count }
        guard let shortest = lists.first, limit > 0 else { return [] }
        var out: [PostKey] = []
        var bound = cursor
        search: while out.count < limit {
            guard let start = shortest.position(below: bound) else { break }
            var candidate = shortest[start]
            var agreed = 1, next = 1 % lists.count
            while agreed < lists.count {
                guard let position = lists[next].position(atMost: candidate) else { break search }
                let key = lists[next][position]
                if key == candidate { agreed += 1 } else { (candidate, agreed) = (key, 1) }
                next = (next + 1) % lists.count
            }
            if include(candidate) { out.append(candidate) }
            bound = candidate
        }
        return out
    }
}
