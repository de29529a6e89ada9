import HashTreeCollections
import EventSourcing

extension FeedsReadModel {
    /// A member was deleted: their posts (with the comments and likes on them), their
    /// comments, likes and follows, in both directions, leave every fact and index, and
    /// anything of theirs committed later is ignored. Counts on other posts drop with them.
    mutating func erase(member: String) {
        guard gone.insert(member).inserted else { return }
        for key in authored[member]?.all ?? [] { deletePost(key.id) }
        for id in commentsBy[member].map(Array.init) ?? [] { removeComment(id) }
        let state = social.removeValue(forKey: member) ?? SocialState()
        for postID in state.likes { dropLiker(member, of: postID) }
        for (target, ms) in state.following { dropFollowEdge(member, target, since: ms) }
        for key in followers[member]?.all ?? [] {
            guard let ms = social[key.id]?.following.removeValue(forKey: member) else { continue }
            dropFollowEdge(key.id, member, since: ms)
        }
        (authored[member], published[member], commentsBy[member]) = (nil, nil, nil)
        (followers[member], followees[member], timelines[member]) = (nil, nil, nil)
    }
}
