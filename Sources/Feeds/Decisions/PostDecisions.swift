public import EventSourcing
public import Members

extension FeedDecisions {
    /// A new post by `author`: approved at once, or pending under manual review.
    public static func create<R: RandomNumberGenerator>(
        id: EntityID, author: String, kind: FeedType, body: PostBody, review: ReviewMode, seal: PersonalDataSeal, now: Timestamp,
        metadata: EventMetadata = .none, random: inout R
    ) throws -> Decision<PostState> {
        let created = PostCreated(
            authorID: author, kind: kind, body: try seal.seal(body, post: id.rawValue, random: &random), status: review.initialStatus)
        return Decision(
            [append(FeedStreams.post(id), .noStream, [.postCreated(created)], now: now, metadata: metadata)],
            PostState(id: id.rawValue, created: created, at: now))
    }

    /// The author replaces the post's type and body (403 for anyone else who can see it).
    /// Under manual review the edit goes back to the queue. The same type and body again
    /// decide nothing.
    public static func edit<R: RandomNumberGenerator>(
        _ post: PostState?, current: PostBody?, by member: String, kind: FeedType, body: PostBody, review: ReviewMode,
        seal: PersonalDataSeal, now: Timestamp, metadata: EventMetadata = .none, random: inout R
    ) throws -> Decision<PostState> {
        var post = try visible(post, to: .member(member))
        guard post.authorID == member else { throw FeedError.forbidden }
        if post.kind == kind, current == body { return Decision([], post) }
        let edited = PostEdited(kind: kind, body: try seal.seal(body, post: post.id, random: &random), status: review.initialStatus)
        let appends = [append(try stream(of: post), .exactly(post.version), [.postEdited(edited)], now: now, metadata: metadata)]
        (post.kind, post.body, post.status, post.updatedAt, post.version) = (kind, edited.body, edited.status, now, post.version + 1)
        return Decision(appends, post)
    }

    /// The author or a moderator deletes the post (403 for another member who can see it).
    public static func delete(_ post: PostState?, by actor: Actor, now: Timestamp, metadata: EventMetadata = .none) throws(FeedError)
        -> Decision<Void>
    {
        let post = try visible(post, to: actor)
        if let member = actor.memberID, post.authorID != member { throw .forbidden }
        let deleted = PostDeleted(actor: actor == .admin ? "admin" : "author")
        return Decision([append(try stream(of: post), .exactly(post.version), [.postDeleted(deleted)], now: now, metadata: metadata)], ())
    }

    /// A moderator approves or rejects the post, with an optional remark (sealed under the
    /// author's key). The status it already has, without a remark, decides nothing.
    public static func review<R: RandomNumberGenerator>(
        _ post: PostState?, verdict: ReviewStatus, remark: String?, seal: PersonalDataSeal, now: Timestamp,
        metadata: EventMetadata = .none, random: inout R
    ) throws -> Decision<PostState> {
        var post = try visible(post, to: .admin)
        guard verdict != .pending else { throw FeedError.invalid(field: "status", reason: "status must be approved or rejected.") }
        if post.status == verdict, remark == nil { return Decision([], post) }
        let sealed = try remark.map { try seal.seal(remark: $0, post: post.id, random: &random) }
        let reviewed = PostReviewed(status: verdict, remark: sealed, actor: "admin")
        let appends = [append(try stream(of: post), .exactly(post.version), [.postReviewed(reviewed)], now: now, metadata: metadata)]
        (post.status, post.reviewCount, post.reviewedAt, post.version) = (verdict, post.reviewCount + 1, now, post.version + 1)
        return Decision(appends, post)
    }
}
