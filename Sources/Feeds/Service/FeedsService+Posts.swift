public import EventSourcing
import Members

extension FeedsService {
    /// `POST /v1/feeds`.
    public func create(
        _ principal: Principal, kind: FeedType, content: String?, resources: [String]?, metadata: EventMetadata = .none,
        idempotency: (@Sendable (PostView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<PostView> {
        let body = try FeedRules.body(kind, content: content, resources: resources)
        let seal = try seal(for: principal.memberID)
        let review = review
        let result: CommandResult<PostView> = try await command(idempotency: idempotency) { now in
            var random = SystemRandomNumberGenerator()
            let id = EntityID.make(now: now, random: &random)
            let decision = try FeedDecisions.create(
                id: id, author: principal.memberID, kind: kind, body: body, review: review, seal: seal, now: now, metadata: metadata,
                random: &random)
            guard let view = view(decision.answer, body: body, likedByMe: false, now: now) else { throw FeedError.unauthenticated }
            return Decision(decision.appends, view)
        }
        if case .done(let view) = result { index(view) }
        return result
    }

    /// `PUT /v1/feeds/{id}`: the author replaces type, content and resources.
    public func edit(
        _ principal: Principal, id: EntityID, kind: FeedType, content: String?, resources: [String]?, metadata: EventMetadata = .none,
        idempotency: (@Sendable (PostView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<PostView> {
        let body = try FeedRules.body(kind, content: content, resources: resources)
        let seal = try seal(for: principal.memberID)
        let member = principal.memberID, review = review
        let result: CommandResult<PostView> = try await command(idempotency: idempotency) { now in
            let (post, liked) = model.read { model, _ in (model.post(id.rawValue), model.likes(member, id.rawValue)) }
            let current = post.flatMap { $0.authorID == member ? seal.postBody($0.body, post: $0.id) : nil }
            var random = SystemRandomNumberGenerator()
            let decision = try FeedDecisions.edit(
                post, current: current, by: member, kind: kind, body: body, review: review, seal: seal, now: now, metadata: metadata,
                random: &random)
            guard let view = view(decision.answer, body: body, likedByMe: liked, now: now) else { throw FeedError.notFound }
            return Decision(decision.appends, view)
        }
        if case .done(let view) = result { index(view) }
        return result
    }

    /// `DELETE /v1/feeds/{id}`: the author, or a moderator.
    public func delete(
        _ id: EntityID, by actor: FeedDecisions.Actor, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        let metadata = Self.stamped(metadata, actor)
        let result: CommandResult<Void> = try await command(idempotency: IdempotencyRecord.constant(idempotency)) { now in
            try FeedDecisions.delete(model.read { model, _ in model.post(id.rawValue) }, by: actor, now: now, metadata: metadata)
        }
        if case .done = result {
            search.remove(id.rawValue)
            bodies.forget(id.rawValue)
        }
        return result
    }

    /// `POST /v1/admin/feeds/{id}/review`: a moderator approves or rejects the post.
    public func review(
        _ id: EntityID, status: String, remark: String?, metadata: EventMetadata = .none,
        idempotency: (@Sendable (PostView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<PostView> {
        let verdict = try FeedRules.verdict(status)
        let remark = try FeedRules.remark(remark)
        let metadata = Self.stamped(metadata, .admin)
        return try await command(idempotency: idempotency) { now in
            guard let post = model.read({ model, _ in model.post(id.rawValue) }), let seal = opener(for: post.authorID) else {
                throw FeedError.notFound
            }
            var random = SystemRandomNumberGenerator()
            let decision = try FeedDecisions.review(post, verdict: verdict, remark: remark, seal: seal, now: now, metadata: metadata, random: &random)
            guard let view = view(decision.answer, likedByMe: false, now: now) else { throw FeedError.notFound }
            return Decision(decision.appends, view)
        }
    }

    /// `GET /v1/feeds/{id}`: the post if `viewer` may see it; counts a view (in memory,
    /// flushed once a second, never a write of its own).
    public func get(_ id: EntityID, viewer: String?) throws(FeedError) -> PostView {
        let found = model.read { model, _ in model.post(id.rawValue).map { ($0, viewer.map { model.likes($0, id.rawValue) } ?? false) } }
        guard case let (post, liked)? = found, post.isVisible(to: viewer) else { throw .notFound }
        views.add(post.id)
        guard let view = view(post, likedByMe: liked, now: clock()) else { throw .notFound }
        return view
    }

    /// Appends the views counted since the last flush (`feed.views-counted.v1`); on failure
    /// they go back to be flushed next time.
    public func flushViews() async throws {
        let counts = views.take()
        guard !counts.isEmpty else { return }
        do {
            let decision = FeedDecisions.countViews(counts, now: clock())
            if !decision.appends.isEmpty { _ = try await log.append(AppendRequest(decision.appends)) }
            views.flushed()
        } catch {
            views.failed()
            throw error
        }
    }
}
