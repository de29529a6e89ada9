public import EventSourcing
public import Members

extension FeedDecisions {
    /// `member` comments on a post they can see (404 otherwise).
    public static func comment<R: RandomNumberGenerator>(
        on post: PostState?, id: EntityID, by member: String, text: String, seal: PersonalDataSeal, now: Timestamp,
        metadata: EventMetadata = .none, random: inout R
    ) throws -> Decision<CommentState> {
        let post = try visible(post, to: .member(member))
        let added = CommentAdded(postID: post.id, authorID: member, content: try seal.seal(comment: text, id: id.rawValue, random: &random))
        return Decision(
            [append(FeedStreams.comment(id), .noStream, [.commentAdded(added)], now: now, metadata: metadata)],
            CommentState(id: id.rawValue, added: added, at: now))
    }

    /// The comment's author, the post's author or a moderator removes a comment of post
    /// `postID` (404 when either is gone or unseen, 403 for anyone else).
    public static func removeComment(
        _ comment: CommentState?, of postID: String, post: PostState?, by actor: Actor, now: Timestamp, metadata: EventMetadata = .none
    ) throws(FeedError) -> Decision<Void> {
        guard let comment, comment.postID == postID, let commentID = EntityID(comment.id) else { throw .notFound }
        let post = try visible(post, to: actor)
        let role: String
        switch actor {
        case .admin: role = "admin"
        case .member(let id) where id == comment.authorID: role = "author"
        case .member(let id) where id == post.authorID: role = "post_author"
        case .member: throw .forbidden
        }
        let removed = FeedEvent.commentRemoved(CommentRemoved(actor: role))
        return Decision([append(FeedStreams.comment(commentID), .exactly(comment.version), [removed], now: now, metadata: metadata)], ())
    }
}
