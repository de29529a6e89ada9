public import EventSourcing
import HashTreeCollections
import Members

extension FeedsService {
    /// `POST /v1/feeds/{id}/comments`.
    public func comment(
        _ principal: Principal, on postID: EntityID, content: String, metadata: EventMetadata = .none,
        idempotency: (@Sendable (CommentView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<CommentView> {
        let text = try FeedRules.comment(content)
        let seal = try seal(for: principal.memberID)
        return try await command(idempotency: idempotency) { now in
            let post = model.read { model, _ in model.post(postID.rawValue) }
            var random = SystemRandomNumberGenerator()
            let id = EntityID.make(now: now, random: &random)
            let decision = try FeedDecisions.comment(
                on: post, id: id, by: principal.memberID, text: text, seal: seal, now: now, metadata: metadata, random: &random)
            guard let view = view(decision.answer, text: text) else { throw FeedError.unauthenticated }
            return Decision(decision.appends, view)
        }
    }

    /// `DELETE /v1/feeds/{id}/comments/{comment_id}`: the comment's author, the post's author, or a moderator.
    public func removeComment(
        _ commentID: EntityID, of postID: EntityID, by actor: FeedDecisions.Actor, metadata: EventMetadata = .none,
        idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        let metadata = Self.stamped(metadata, actor)
        return try await command(idempotency: IdempotencyRecord.constant(idempotency)) { now in
            let (comment, post) = model.read { model, _ in (model.comments[commentID.rawValue], model.post(postID.rawValue)) }
            return try FeedDecisions.removeComment(comment, of: postID.rawValue, post: post, by: actor, now: now, metadata: metadata)
        }
    }

    /// `GET /v1/feeds/{id}/comments`: oldest first, after `cursor`; 404 unless `viewer` may see the post.
    public func comments(on postID: EntityID, viewer: String?, after cursor: PostKey?, limit: Int) throws(FeedError) -> KeyedPage<CommentView> {
        let found: [CommentState]? = model.read { model, _ in
            guard let post = model.post(postID.rawValue), post.isVisible(to: viewer) else { return nil }
            return model.commentsPage(postID.rawValue, after: cursor, limit: limit + 1)
        }
        guard let found else { throw .notFound }
        let shown = Array(found.prefix(limit))
        return KeyedPage(items: shown.compactMap { view($0) }, next: found.count > limit ? shown.last?.key : nil)
    }
}
