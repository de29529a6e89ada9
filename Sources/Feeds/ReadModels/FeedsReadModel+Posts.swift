import HashTreeCollections
import EventSourcing

extension FeedsReadModel {
    mutating func createPost(_ id: String, _ created: PostCreated, at time: Timestamp) {
        guard posts[id] == nil, !gone.contains(created.authorID) else { return }
        let post = PostState(id: id, created: created, at: time)
        posts[id] = post
        authored[post.authorID, default: SortedKeys()].insert(post.key)
        enter(post)
    }

    mutating func editPost(_ id: String, _ edited: PostEdited, at time: Timestamp, version: StreamVersion) {
        guard let old = posts[id] else { return }
        var post = old
        (post.kind, post.body, post.status, post.updatedAt, post.version) = (edited.kind, edited.body, edited.status, time, version)
        replace(old, with: post)
    }

    mutating func reviewPost(_ id: String, _ reviewed: PostReviewed, at time: Timestamp, version: StreamVersion) {
        guard let old = posts[id] else { return }
        var post = old
        post.status = reviewed.status
        post.reviewCount += 1
        post.reviewedAt = time
        post.version = version
        replace(old, with: post)
    }

    /// Removes the post with everything that hangs on it: its place in every list and
    /// timeline, its comments and its likes.
    mutating func deletePost(_ id: String) {
        guard let post = posts.removeValue(forKey: id) else { return }
        leave(post)
        authored[post.authorID]?.remove(post.key)
        if authored[post.authorID]?.isEmpty == true { authored[post.authorID] = nil }
        if let keys = postComments.removeValue(forKey: id) {
            for key in keys.all {
                guard let comment = comments.removeValue(forKey: key.id) else { continue }
                forgetComment(comment.id, by: comment.authorID)
            }
        }
        if let members = likers.removeValue(forKey: id) {
            for member in members { social[member]?.likes.remove(id) }
        }
    }

    mutating func countViews(_ postID: String, _ count: UInt64) {
        updateCounts(postID) { post in
            let (sum, overflow) = post.viewCount.addingReportingOverflow(count)
            post.viewCount = overflow ? .max : sum
        }
    }

    // MARK: Lists

    /// Puts a new post in the lists of its status.
    mutating func enter(_ post: PostState) {
        switch post.status {
        case .approved: publish(post)
        case .pending: pending.insert(post.key)
        case .rejected: rejected.insert(post.key)
        }
    }

    /// Takes a post out of the lists of its status.
    mutating func leave(_ post: PostState) {
        switch post.status {
        case .approved: unpublish(post)
        case .pending: pending.remove(post.key)
        case .rejected: rejected.remove(post.key)
        }
    }

    /// Stores `post` in place of `old`, moving it between lists when its status changed.
    mutating func replace(_ old: PostState, with post: PostState) {
        if old.status != post.status {
            leave(old)
            posts[post.id] = post
            enter(post)
        } else {
            posts[post.id] = post
        }
    }

    /// Changes a post's counts, keeping its place in the engagement order.
    mutating func updateCounts(_ postID: String, _ change: (inout PostState) -> Void) {
        guard let old = posts[postID] else { return }
        var post = old
        change(&post)
        posts[postID] = post
        if post.isPublished, old.engagement != post.engagement {
            engagement.remove(old.engagementKey)
            engagement.insert(post.engagementKey)
        }
    }

    private mutating func publish(_ post: PostState) {
        published[post.authorID, default: SortedKeys()].insert(post.key)
        newest.insert(post.key)
        engagement.insert(post.engagementKey)
        fanOut(post.key, author: post.authorID)
    }

    private mutating func unpublish(_ post: PostState) {
        published[post.authorID]?.remove(post.key)
        if published[post.authorID]?.isEmpty == true { published[post.authorID] = nil }
        newest.remove(post.key)
        engagement.remove(post.engagementKey)
        withdraw(post.key, author: post.authorID)
    }
}
