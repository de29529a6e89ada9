import Synchronization

/// Runs the commands on one stream in turn, deciding a whole round on one version: the
/// shape of a stream that every command appends to at the version it was decided on (a
/// group's `group-<id>`, a conversation's `conversation-<id>`).
///
/// Two such commands decided at once would conflict, and under load (64 connections on one
/// group or conversation) nearly every one would: retries, not throughput. Here the
/// commands for one stream queue in a lane (`KeyedLanes`); one drain task per busy lane
/// takes what queued, decides each in order on the stream's state as the read model shows
/// it, folded with the decisions before it in the round (`State`, changed by each
/// `decide`), and appends all their events as one request at the version it started from.
/// So a round costs one append (one commit, shared with every other append of that
/// commit) whatever its size, and the version check still guards the stream: a conflict
/// (another writer) decides the whole round again on the fresher state, up to 8 times.
///
/// A command carrying an `Idempotency-Key` runs in a round of its own: the log stores one
/// key per request, and its answer is stored even when it had nothing to append. Refusals
/// are answered after the round's append, like its successes, since they may rest on the
/// commands before them in the round.
///
/// ```swift
/// let sequencer = StreamSequencer<UInt64>(log: log, clock: clock, unknownStream: { MyError.notFound }) { key in
///     (state: lastSeq(key), version: lastSeq(key))        // the state a round starts from
/// } stream: { key in StreamID(.conversation, key: key) }
/// try await sequencer.run(id, idempotency: nil) { seq, now in seq += 1; return ([event(seq)], answer) }
/// ```
public final class StreamSequencer<State: Sendable>: Sendable {
    /// Decides one command on the round's state (changing it as its events would) at
    /// `now`: its events and its answer. Throwing refuses the command alone, and must leave
    /// the state as it found it.
    public typealias Decide<T> = @Sendable (inout State, Timestamp) throws -> (events: [NewEvent], answer: T)

    let log: any EventLog
    let clock: @Sendable () -> Timestamp
    /// The stream's state as the read model shows it, and the version it is at.
    let base: @Sendable (String) -> (state: State, version: StreamVersion)
    /// The stream of a key; nil fails the round with `unknownStream()`.
    let stream: @Sendable (String) -> StreamID?
    let unknownStream: @Sendable () -> any Error
    private let lanes = KeyedLanes<Job>(maxRound: 512) { $0.isKeyed }

    public init(
        log: any EventLog, clock: @escaping @Sendable () -> Timestamp, unknownStream: @escaping @Sendable () -> any Error,
        base: @escaping @Sendable (String) -> (state: State, version: StreamVersion), stream: @escaping @Sendable (String) -> StreamID?
    ) {
        (self.log, self.clock, self.unknownStream, self.base, self.stream) = (log, clock, unknownStream, base, stream)
    }

    /// Decides `decide` on the stream of `key` in its turn and appends its events; the
    /// answer once they are durable (or the stored answer of a duplicate key).
    public func run<T: Sendable>(
        _ key: String, idempotency: (@Sendable (T) throws -> IdempotencyRecord)?, _ decide: @escaping Decide<T>
    ) async throws -> CommandResult<T> {
        try await withCheckedThrowingContinuation { continuation in
            let job = Job(TypedJob(decide: decide, idempotency: idempotency, continuation: continuation))
            guard lanes.submit(key, job) else { return }
            Task { while let round = lanes.take(key) { await run(round, on: key) } }
        }
    }

    private func run(_ round: [Job], on key: String) async {
        guard let stream = stream(key) else {
            for job in round { job.fail(unknownStream()) }
            return
        }
        var lastConflict: (any Error)?
        for _ in 0..<8 {
            let (start, version) = base(key)
            var state = start
            let now = clock()
            var events: [NewEvent] = []
            var refused: [ObjectIdentifier: any Error] = [:]
            for job in round {
                do {
                    events += try job.decide(&state, now)
                } catch {
                    refused[ObjectIdentifier(job)] = error
                }
            }
            do {
                var outcome: AppendOutcome?
                // A keyed command's answer is stored even when it had nothing to do, so a retry replays it.
                let record = try round.count == 1 && refused.isEmpty ? round[0].record() : nil
                if !events.isEmpty || record != nil {
                    let appends = events.isEmpty ? [] : [StreamAppend(stream: stream, expected: .exactly(version), events: events)]
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
        for job in round { job.fail(lastConflict ?? EventLogError(.wrongExpectedVersion, "the stream \(stream) changed too often")) }
    }

    /// A queued command with its answer type erased.
    final class Job: Sendable {
        let isKeyed: Bool
        let decide: @Sendable (inout State, Timestamp) throws -> [NewEvent]
        let record: @Sendable () throws -> IdempotencyRecord?
        let finish: @Sendable (AppendOutcome?) -> Void
        let fail: @Sendable (any Error) -> Void

        init<T>(_ job: TypedJob<T>) {
            (isKeyed, decide, record, finish, fail) = (job.idempotency != nil, job.decide, job.record, job.finish, job.fail)
        }
    }

    /// A command with its answer type: its decision, the idempotency record of its answer,
    /// and the caller waiting for the round's outcome.
    final class TypedJob<T: Sendable>: Sendable {
        let decideBody: Decide<T>
        let idempotency: (@Sendable (T) throws -> IdempotencyRecord)?
        let continuation: CheckedContinuation<CommandResult<T>, any Error>
        /// The answer of the last decision (a conflict decides again).
        private let answer = Mutex<T?>(nil)

        init(
            decide: @escaping Decide<T>, idempotency: (@Sendable (T) throws -> IdempotencyRecord)?,
            continuation: CheckedContinuation<CommandResult<T>, any Error>
        ) {
            (decideBody, self.idempotency, self.continuation) = (decide, idempotency, continuation)
        }

        @Sendable func decide(_ state: inout State, _ now: Timestamp) throws -> [NewEvent] {
            let decided = try decideBody(&state, now)
            answer.withLock { $0 = decided.answer }
            return decided.events
        }

        @Sendable func record() throws -> IdempotencyRecord? {
            guard let idempotency, let answer = answer.withLock({ $0 }) else { return nil }
            return try idempotency(answer)
        }

        @Sendable func finish(_ outcome: AppendOutcome?) {
            if case .duplicate(let stored)? = outcome {
                continuation.resume(returning: .replayed(stored))
                return
            }
            guard let answer = answer.withLock({ $0 }) else {
                continuation.resume(throwing: EventLogError(.invalidRequest, "the command decided nothing"))
                return
            }
            continuation.resume(returning: .done(answer))
        }

        @Sendable func fail(_ error: any Error) { continuation.resume(throwing: error) }
    }
}
