import EventSourcing
import Members
import Synchronization

/// Runs the commands on one group's stream in turn, deciding a whole batch on one version.
///
/// Every command on `group-<id>` is decided on the group as it stands and appended at the
/// version it shows, so two of them decided at once would conflict, and under load (64
/// connections joining one group) nearly every one would: retries, not throughput. Here
/// the commands for one group queue in a lane; one drain task per busy lane takes what
/// queued, decides each in order on the group folded with the decisions before it, and
/// appends all their events as one request at the version it started from. So a round
/// costs one append (one commit, shared with every other append of that commit) whatever
/// the number of commands, and the version check still guards the stream: a conflict
/// (another writer) decides the whole round again on the fresher model.
///
/// A command carrying an `Idempotency-Key` runs in a round of its own: the log stores one
/// key per request. Refusals are answered after the round's append, like its successes,
/// since they may rest on the commands before them in the round.
final class GroupSequencer: Sendable {
    /// One queued command: decides on the state in turn, then hears the round's outcome.
    protocol Job: AnyObject, Sendable {
        var isKeyed: Bool { get }
        /// Decides on `state` (folding its events into it) and returns its events.
        func decide(_ state: GroupState?, now: Timestamp) throws -> [NewEvent]
        /// The idempotency record of the answer `decide` gave (keyed jobs only).
        func record() throws -> IdempotencyRecord?
        func finish(_ outcome: AppendOutcome?)
        func fail(_ error: any Error)
    }

    let log: any EventLog
    let clock: @Sendable () -> Timestamp
    /// The group as the read model shows it.
    let state: @Sendable (String) -> GroupState?
    private let lanes = KeyedLanes<any Job>(maxRound: 512) { $0.isKeyed }

    init(log: any EventLog, clock: @escaping @Sendable () -> Timestamp, state: @escaping @Sendable (String) -> GroupState?) {
        (self.log, self.clock, self.state) = (log, clock, state)
    }

    /// Decides `decide` on the group `groupID` in its turn and appends its events; the
    /// answer once they are durable and applied (or the stored answer of a duplicate key).
    func run<T: Sendable>(
        _ groupID: EntityID, idempotency: (@Sendable (T) throws -> IdempotencyRecord)?,
        _ decide: @escaping @Sendable (GroupState?, Timestamp) throws -> Decision<T>
    ) async throws -> CommandResult<T> {
        try await withCheckedThrowingContinuation { continuation in
            submit(groupID, TypedJob(decide: decide, idempotency: idempotency, continuation: continuation))
        }
    }

    private func submit(_ groupID: EntityID, _ job: any Job) {
        guard lanes.submit(groupID.rawValue, job) else { return }
        Task { while let round = lanes.take(groupID.rawValue) { await run(round, on: groupID) } }
    }

    private func run(_ round: [any Job], on groupID: EntityID) async {
        var lastConflict: (any Error)?
        for _ in 0..<8 {
            let base = state(groupID.rawValue)
            var current = base
            let now = clock()
            var events: [NewEvent] = []
            var refused: [ObjectIdentifier: any Error] = [:]
            for job in round {
                do {
                    let decided = try job.decide(current, now: now)
                    for event in decided { current?.apply(try GroupEvent(event), at: event.timestamp) }
                    events += decided
                } catch {
                    refused[ObjectIdentifier(job)] = error
                }
            }
            do {
                var outcome: AppendOutcome?
                // A keyed command's answer is stored even when it had nothing to do, so a retry replays it.
                let record = try round.count == 1 && refused.isEmpty ? round[0].record() : nil
                if !events.isEmpty || record != nil {
                    let appends = events.isEmpty
                        ? [] : [StreamAppend(stream: GroupStreams.group(groupID), expected: .exactly(base?.version ?? 0), events: events)]
                    outcome = try await log.append(AppendRequest(appends, idempotency: record))
                }
                for job in round {
                    if let error = refused[ObjectIdentifier(job)] { job.fail(error) } else { job.finish(outcome) }
                }
                return
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                lastConflict = error
            } catch {
                for job in round { job.fail(error) }
                return
            }
        }
        for job in round { job.fail(lastConflict ?? EventLogError(.wrongExpectedVersion, "the group changed too often")) }
    }
}
