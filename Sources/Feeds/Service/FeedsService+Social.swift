public import EventSourcing
import Members

extension FeedsService {
    /// `PUT /v1/feeds/{id}/like`: idempotent (a second like appends nothing).
    public func like(_ principal: Principal, _ id: EntityID, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        try await socialCommand(principal.memberID, idempotency: IdempotencyRecord.constant(idempotency)) { now in
            let (post, social) = model.read { model, _ in (model.post(id.rawValue), model.socialState(of: principal.memberID)) }
            return try FeedDecisions.like(post, by: principal.memberID, social: social, now: now, metadata: metadata)
        }
    }

    /// `DELETE /v1/feeds/{id}/like`: idempotent (an unlike of nothing appends nothing).
    public func unlike(_ principal: Principal, _ id: EntityID, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        try await socialCommand(principal.memberID, idempotency: IdempotencyRecord.constant(idempotency)) { now in
            let (post, social) = model.read { model, _ in (model.post(id.rawValue), model.socialState(of: principal.memberID)) }
            return try FeedDecisions.unlike(post, by: principal.memberID, social: social, now: now, metadata: metadata)
        }
    }

    /// `PUT /v1/members/{id}/follow`.
    public func follow(_ principal: Principal, _ target: EntityID, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        try await socialCommand(principal.memberID, idempotency: IdempotencyRecord.constant(idempotency)) { now in
            let social = model.read { model, _ in model.socialState(of: principal.memberID) }
            return try FeedDecisions.follow(
                target.rawValue, by: principal.memberID, targetExists: isActiveMember(target.rawValue), social: social, now: now,
                metadata: metadata)
        }
    }

    /// `DELETE /v1/members/{id}/follow`.
    public func unfollow(_ principal: Principal, _ target: EntityID, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        try await socialCommand(principal.memberID, idempotency: IdempotencyRecord.constant(idempotency)) { now in
            let social = model.read { model, _ in model.socialState(of: principal.memberID) }
            return try FeedDecisions.unfollow(
                target.rawValue, by: principal.memberID, targetExists: isActiveMember(target.rawValue), social: social, now: now,
                metadata: metadata)
        }
    }

    /// `GET /v1/members/{id}/followers|following`: public profiles, newest follow first.
    public func follows(of member: EntityID, followers: Bool, page: Int, pageSize: Int) throws(FeedError) -> (items: [FollowView], total: Int) {
        guard isActiveMember(member.rawValue) else { throw .notFound }
        let offset = (page - 1) * pageSize
        let (keys, total) = model.read { model, _ in model.followPage(member.rawValue, followers: followers, offset: offset, limit: pageSize) }
        let items = zip(keys, members.publicProfiles(keys.map(\.id))).compactMap { key, profile -> FollowView? in
            guard let profile else { return nil }
            return FollowView(
                id: profile.id, displayName: profile.displayName, gender: profile.gender.rawValue, avatarURL: profile.avatarURL,
                createdAt: profile.createdAt, followedAt: Timestamp(millisecondsSince1970: key.time))
        }
        return (items, total)
    }
}
