public import EventSourcing

/// Everything that happens to groups, each declared once in its own `EventPayload`. All of
/// a group's events, its membership changes included, are on its stream `group-<id>`, so
/// the group's read model alone says who may post in it and whom to fan messages out to.
public enum GroupEvent: Hashable, Sendable {
    case created(GroupCreated)
    case updated(GroupUpdated)
    case deleted(GroupDeleted)
    case memberJoined(GroupMemberJoined)
    case memberLeft(GroupMemberLeft)
    case roleChanged(GroupRoleChanged)
    case ownerChanged(GroupOwnerChanged)

    /// The domain's codec: every type string tied to its case.
    public static let codec = EventCodec<GroupEvent>(
        categories: [.group],
        [
            .case(GroupCreated.self, GroupEvent.created),
            .case(GroupUpdated.self, GroupEvent.updated),
            .case(GroupDeleted.self, GroupEvent.deleted),
            .case(GroupMemberJoined.self, GroupEvent.memberJoined),
            .case(GroupMemberLeft.self, GroupEvent.memberLeft),
            .case(GroupRoleChanged.self, GroupEvent.roleChanged),
            .case(GroupOwnerChanged.self, GroupEvent.ownerChanged),
        ])

    /// The event's payload value.
    public var payload: any EventPayload {
        switch self {
        case .created(let e): e
        case .updated(let e): e
        case .deleted(let e): e
        case .memberJoined(let e): e
        case .memberLeft(let e): e
        case .roleChanged(let e): e
        case .ownerChanged(let e): e
        }
    }

    /// This event as a `NewEvent` at `time`.
    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent {
        payload.newEvent(at: time, metadata: metadata)
    }

    /// Decodes a recorded event: nil for other domains' events; throws for an event of
    /// this domain that does not decode.
    public init?(_ event: RecordedEvent) throws {
        guard let decoded = try Self.codec.decode(event) else { return nil }
        self = decoded
    }

    /// Decodes an event about to be appended (the sequencer folds a batch's decisions).
    init(_ event: NewEvent) throws {
        switch event.type {
        case GroupCreated.type: self = .created(try GroupCreated(payload: event.payload))
        case GroupUpdated.type: self = .updated(try GroupUpdated(payload: event.payload))
        case GroupDeleted.type: self = .deleted(try GroupDeleted(payload: event.payload))
        case GroupMemberJoined.type: self = .memberJoined(try GroupMemberJoined(payload: event.payload))
        case GroupMemberLeft.type: self = .memberLeft(try GroupMemberLeft(payload: event.payload))
        case GroupRoleChanged.type: self = .roleChanged(try GroupRoleChanged(payload: event.payload))
        case GroupOwnerChanged.type: self = .ownerChanged(try GroupOwnerChanged(payload: event.payload))
        default: throw EventDecodingError(type: event.type, reason: "not a group event")
        }
    }
}
