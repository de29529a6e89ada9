public import EventSourcing
public import Members

/// The group decisions: pure functions of a command, the group as it stands (its state
/// folded from its stream), the time and the server's limits, to the appends and the
/// answer. Every append is on the group's stream at the version the state shows, so two
/// commands decided on the same version cannot both land: this is how the member limit
/// holds under concurrent joins. A command with nothing to do decides no appends.
/// Tested without a log or HTTP.
public enum GroupDecisions {
    /// What a group is created with (validated by `GroupRules`).
    public struct Profile: Hashable, Sendable {
        public var name: String
        public var introduction: String
        public var avatarURL: String
        public init(name: String, introduction: String = "", avatarURL: String = "") {
            (self.name, self.introduction, self.avatarURL) = (name, introduction, avatarURL)
        }
    }

    /// The fields an update changes (nil: unchanged).
    public struct Change: Hashable, Sendable {
        public var name: String?
        public var introduction: String?
        public var avatarURL: String?
        public init(name: String? = nil, introduction: String? = nil, avatarURL: String? = nil) {
            (self.name, self.introduction, self.avatarURL) = (name, introduction, avatarURL)
        }
    }

    /// A new group `id` owned by `ownerID`, who is its first member.
    public static func create(id: EntityID, owner ownerID: String, _ profile: Profile, now: Timestamp, metadata: EventMetadata)
        -> Decision<GroupState>
    {
        let event = GroupEvent.created(GroupCreated(
            name: profile.name, introduction: profile.introduction, avatarURL: profile.avatarURL, ownerID: ownerID))
        var group = GroupState(id: id.rawValue, at: now)
        group.apply(event, at: now)
        let append = StreamAppend(stream: GroupStreams.group(id), expected: .noStream, events: [event.newEvent(at: now, metadata: metadata)])
        return Decision([append], group)
    }

    /// The owner or an admin changes the name, introduction or avatar; the group as it is after.
    public static func update(_ group: GroupState?, by actor: String, _ change: Change, now: Timestamp, metadata: EventMetadata)
        throws(GroupError) -> Decision<GroupState>
    {
        let group = try live(group)
        guard let role = group.role(of: actor), role != .member else {
            throw .forbidden(reason: "Only the group's owner or an admin may change it.")
        }
        let updated = GroupUpdated(
            name: change.name ?? group.name, introduction: change.introduction ?? group.introduction,
            avatarURL: change.avatarURL ?? group.avatarURL, actor: actor)
        guard (updated.name, updated.introduction, updated.avatarURL) != (group.name, group.introduction, group.avatarURL) else {
            return Decision([], group)
        }
        return decide(group, [.updated(updated)], now: now, metadata: metadata)
    }

    /// The owner deletes the group: it is gone for every read, every membership with it.
    public static func delete(_ group: GroupState?, by actor: String, now: Timestamp, metadata: EventMetadata) throws(GroupError)
        -> Decision<Void>
    {
        let group = try live(group)
        guard group.ownerID == actor else { throw .forbidden(reason: "Only the group's owner may delete it.") }
        return Decision(appends(group, [.deleted(GroupDeleted(actor: actor, reason: "owner"))], now: now, metadata: metadata), ())
    }

    // MARK: Shared steps

    /// The group, unless it does not exist or is deleted (404 either way).
    static func live(_ group: GroupState?) throws(GroupError) -> GroupState {
        guard let group, !group.isDeleted, group.version > 0 else { throw .notFound }
        return group
    }

    /// `events` appended to the group's stream at its version; the answer is the group after them.
    static func decide(_ group: GroupState, _ events: [GroupEvent], now: Timestamp, metadata: EventMetadata) -> Decision<GroupState> {
        var after = group
        for event in events { after.apply(event, at: now) }
        return Decision(appends(group, events, now: now, metadata: metadata), after)
    }

    /// `events` appended to the group's stream at its version (none for no events).
    static func appends(_ group: GroupState, _ events: [GroupEvent], now: Timestamp, metadata: EventMetadata) -> [StreamAppend] {
        guard !events.isEmpty, let id = EntityID(group.id) else { return [] }
        return [StreamAppend(
            stream: GroupStreams.group(id), expected: .exactly(group.version), events: events.map { $0.newEvent(at: now, metadata: metadata) })]
    }
}
