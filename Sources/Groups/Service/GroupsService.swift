public import HashTreeCollections
public import EventSourcing
public import Members

/// The group commands and queries against a log: the I/O around `GroupDecisions`.
///
/// Commands on an existing group run through the `GroupSequencer` (one round of decisions
/// per append per group, each at the version the model shows); a new group is appended
/// directly (`noStream` on a fresh id). Queries read the `GroupsReadModel` with short
/// closures, and the members domain (`MembersService.publicProfile`) for display names.
public final class GroupsService: Sendable {
    public let log: any EventLog
    public let groups: LiveProjection<GroupsReadModel>
    public let members: MembersService
    /// Members a group may have at most (`--group-member-limit`).
    public let memberLimit: Int
    let clock: @Sendable () -> Timestamp
    let sequencer: GroupSequencer

    public init(
        log: any EventLog, groups: LiveProjection<GroupsReadModel>, members: MembersService, memberLimit: Int,
        clock: @escaping @Sendable () -> Timestamp
    ) {
        (self.log, self.groups, self.members, self.memberLimit, self.clock) = (log, groups, members, memberLimit, clock)
        sequencer = GroupSequencer(log: log, clock: clock) { id in groups.read { model, _ in model.groups[id] } }
    }

    /// Whether `memberID` is in the live group `groupID` (messaging asks before every post).
    public func isMember(_ groupID: String, _ memberID: String) -> Bool {
        groups.read { model, _ in model.isMember(groupID, memberID) }
    }

    /// The members of a live group with their roles, an O(1) copy to iterate outside any
    /// lock (messaging fans out with it); nil when there is no such group.
    public func members(of groupID: String) -> TreeDictionary<String, GroupMembership>? {
        groups.read { model, _ in model.members(of: groupID) }
    }

    /// A live group.
    public func group(_ id: String) -> GroupView? {
        groups.read { model, _ in model.group(id).map(GroupView.init) }
    }

    /// `POST /v1/groups`: the caller creates a group and is its owner and first member.
    public func create(
        _ principal: Principal, _ profile: GroupDecisions.Profile, metadata: EventMetadata = .none,
        idempotency: (@Sendable (GroupView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<GroupView> {
        let profile = GroupDecisions.Profile(
            name: try GroupRules.name(profile.name), introduction: try GroupRules.introduction(profile.introduction),
            avatarURL: try GroupRules.avatarURL(profile.avatarURL))
        return try await retryingOnConflict {
            let now = clock()
            var random = SystemRandomNumberGenerator()
            let decision = GroupDecisions.create(
                id: EntityID.make(now: now, random: &random), owner: principal.memberID, profile, now: now, metadata: metadata)
            let view = GroupView(decision.answer)
            return try await log.appendCommand(AppendRequest(decision.appends, idempotency: try idempotency?(view)), answer: view)
        }
    }

    /// `PUT /v1/groups/{id}`: the owner or an admin changes the fields given.
    public func update(
        _ principal: Principal, _ groupID: EntityID, _ change: GroupDecisions.Change, metadata: EventMetadata = .none,
        idempotency: (@Sendable (GroupView) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<GroupView> {
        let change = GroupDecisions.Change(
            name: try change.name.map { (raw) throws(GroupError) in try GroupRules.name(raw) },
            introduction: try change.introduction.map { (raw) throws(GroupError) in try GroupRules.introduction(raw) },
            avatarURL: try change.avatarURL.map { (raw) throws(GroupError) in try GroupRules.avatarURL(raw) })
        return try await sequencer.run(groupID, idempotency: idempotency) { group, now in
            let decision = try GroupDecisions.update(group, by: principal.memberID, change, now: now, metadata: metadata)
            return Decision(decision.appends, GroupView(decision.answer))
        }
    }

    /// `DELETE /v1/groups/{id}`: the owner deletes the group.
    public func delete(_ principal: Principal, _ groupID: EntityID, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil)
        async throws -> CommandResult<Void>
    {
        try await sequencer.run(groupID, idempotency: IdempotencyRecord.constant(idempotency)) { group, now in
            try GroupDecisions.delete(group, by: principal.memberID, now: now, metadata: metadata)
        }
    }

}
