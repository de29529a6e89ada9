import HashTreeCollections
import EventSourcing

extension FeedsReadModel {
    mutating func like(member: String, post postID: String) {
        guard posts[postID] != nil, social[member]?.likes.contains(postID) != true else { return }
        social[member, default: SocialState()].likes.insert(postID)
        likers[postID, default: []].insert(member)
        updateCounts(postID) { $0.likeCount += 1 }
    }

    mutating func unlike(member: String, post postID: String) {
        guard social[member]?.likes.remove(postID) != nil else { return }
        dropLiker(member, of: postID)
    }

    mutating func follow(_ member: String, _ target: String, at time: Timestamp) {
        guard member != target, !gone.contains(target), social[member]?.following[target] == nil else { return }
        let ms = time.millisecondsSince1970
        social[member, default: SocialState()].following[target] = ms
        followees[member, default: SortedKeys()].insert(PostKey(time: ms, id: target))
        followers[target, default: SortedKeys()].insert(PostKey(time: ms, id: member))
        timelineFollowed(member, target)
    }

    mutating func unfollow(_ member: String, _ target: String) {
        guard let ms = social[member]?.following.removeValue(forKey: target) else { return }
        dropFollowEdge(member, target, since: ms)
        timelineUnfollowed(member, target)
    }

    mutating func addComment(_ id: String, _ added: CommentAdded, at time: Timestamp) {
        guard comments[id] == nil, posts[added.postID] != nil, !gone.contains(added.authorID) else { return }
        let comment = CommentState(id: id, added: added, at: time)
        comments[id] = comment
        postComments[added.postID, default: SortedKeys()].insert(comment.key)
        commentsBy[added.authorID, default: []].insert(id)
        updateCounts(added.postID) { $0.commentCount += 1 }
    }

    mutating func removeComment(_ id: String) {
        guard let comment = comments.removeValue(forKey: id) else { return }
        postComments[comment.postID]?.remove(comment.key)
        if postComments[comment.postID]?.isEmpty == true { postComments[comment.postID] = nil }
        forgetComment(id, by: comment.authorID)
        updateCounts(comment.postID) { $0.commentCount = max(0, $0.commentCount - 1) }
    }

    // MARK: Shared steps

    mutating func forgetComment(_ id: String, by author: String) {
        commentsBy[author]?.remove(id)
        if commentsBy[author]?.isEmpty == true { commentsBy[author] = nil }
    }

    /// Takes `member` out of the post's likers (the like itself is already gone from their set).
    mutating func dropLiker(_ member: String, of postID: String) {
        guard likers[postID]?.remove(member) != nil else { return }
        if likers[postID]?.isEmpty == true { likers[postID] = nil }
        updateCounts(postID) { $0.likeCount = max(0, $0.likeCount - 1) }
    }

    /// Removes the follow `member -> target` (begun at `ms`) from both ordered lists.
    mutating func dropFollowEdge(_ member: String, _ target: String, since ms: Int64) {
        followees[member]?.remove(PostKey(time: ms, id: target))
        if followees[member]?.isEmpty == true { followees[member] = nil }
        followers[target]?.remove(PostKey(time: ms, id: member))
        if followers[target]?.isEmpty == true { followers[target] = nil }
    }
}
