import EventSourcing
import Members

/// Runs the commands on one group's stream (`group-<id>`) in turn, deciding a whole round
/// on one version (`StreamSequencer`): the round starts from the group as the read model
/// shows it, and each decision's events are folded into it before the next command
/// decides, so the member limit and the role rules hold for the round as a whole.
final class GroupSequencer: Sendable {
    private let sequencer: StreamSequencer<GroupState?>

    init(log: any EventLog, clock: @escaping @Sendable () -> Timestamp, state: @escaping @Sendable (String) -> GroupState?) {
        sequencer = StreamSequencer(log: log, clock: clock, unknownStream: { GroupError.notFound }) { key in
            let group = state(key)
            return (group, group?.version ?? 0)
        } stream: { key in
            EntityID(key).map(GroupStreams.group)
        }
    }

    /// Decides `decide` on the group `groupID` in its turn and appends its events; the
    /// answer once they are durable (or the stored answer of a duplicate key).
    func run<T: Sendable>(
        _ groupID: EntityID, idempotency: (@Sendable (T) throws -> IdempotencyRecord)?,
        _ decide: @escaping @Sendable (GroupState?, Timestamp) throws -> Decision<T>
    ) async throws -> CommandResult<T> {
        try await sequencer.run(groupID.rawValue, idempotency: idempotency) { group, now in
            let decision = try decide(group, now)
            let events = decision.appends.flatMap(\.events)
            var folded = group
            for event in events { folded?.apply(try GroupEvent(event), at: event.timestamp) }
            group = folded
            return (events, decision.answer)
        }
    }
}
