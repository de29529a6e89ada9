import EventSourcing
import Synchronization

/// Runs the sends into one conversation in turn, numbering a whole round on one version.
///
/// A message's `seq` is its version in `conversation-<id>`, so every send is appended at
/// the version the read model shows (`.exactly(lastSeq)`): two sends decided at once would
/// conflict. As for groups (`GroupSequencer`), the sends for one conversation queue in a
/// lane; one drain task per busy lane takes what queued, gives each the next seq in turn
/// and appends them as one request, so a round costs one append whatever its size, and the
/// version check still guards the stream (a conflict numbers the round again). Gapless and
/// unique by construction: the log assigns versions, a crash loses a whole uncommitted
/// round or nothing. A send carrying an `Idempotency-Key` runs in a round of its own.
final class MessageSequencer: Sendable {
    /// One queued send: its event at `seq`, then the round's outcome.
    protocol Job: AnyObject, Sendable {
        var isKeyed: Bool { get }
        func decide(seq: UInt64, now: Timestamp) throws -> NewEvent
        func record() throws -> IdempotencyRecord?
        func finish(_ outcome: AppendOutcome?)
        func fail(_ error: any Error)
    }

    let log: any EventLog
    let clock: @Sendable () -> Timestamp
    /// The last seq of a conversation as the read model shows it.
    let lastSeq: @Sendable (ConversationID) -> UInt64
    private let lanes = KeyedLanes<any Job>(maxRound: 512) { $0.isKeyed }

    init(log: any EventLog, clock: @escaping @Sendable () -> Timestamp, lastSeq: @escaping @Sendable (ConversationID) -> UInt64) {
        (self.log, self.clock, self.lastSeq) = (log, clock, lastSeq)
    }

    /// Appends the event `decide` makes for the next seq of `conversation`, in its turn.
    func run<T: Sendable>(
        _ conversation: ConversationID, idempotency: (@Sendable (T) throws -> IdempotencyRecord)?,
        _ decide: @escaping @Sendable (UInt64, Timestamp) throws -> (NewEvent, T)
    ) async throws -> CommandResult<T> {
        try await withCheckedThrowingContinuation { continuation in
            submit(conversation, TypedJob(decide: decide, idempotency: idempotency, continuation: continuation))
        }
    }

    private func submit(_ conversation: ConversationID, _ job: any Job) {
        guard lanes.submit(conversation.rawValue, job) else { return }
        Task { while let round = lanes.take(conversation.rawValue) { await run(round, on: conversation) } }
    }

    private func run(_ round: [any Job], on conversation: ConversationID) async {
        guard let stream = MessageStreams.conversation(conversation) else {
            for job in round { job.fail(MessageError.notFound) }
            return
        }
        var lastConflict: (any Error)?
        for _ in 0..<8 {
            let base = lastSeq(conversation)
            let now = clock()
            var events: [NewEvent] = []
            var accepted: [any Job] = []
            var refused: [(any Job, any Error)] = []
            for job in round {
                do {
                    events.append(try job.decide(seq: base + UInt64(events.count) + 1, now: now))
                    accepted.append(job)
                } catch {
                    refused.append((job, error))
                }
            }
            do {
                var outcome: AppendOutcome?
                let record = try accepted.count == 1 && round.count == 1 ? round[0].record() : nil
                if !events.isEmpty {
                    outcome = try await log.append(
                        AppendRequest([StreamAppend(stream: stream, expected: .exactly(base), events: events)], idempotency: record))
                }
                for job in accepted { job.finish(outcome) }
                for (job, error) in refused { job.fail(error) }
                return
            } catch let error as EventLogError where error.code == .wrongExpectedVersion {
                lastConflict = error
            } catch {
                for job in round { job.fail(error) }
                return
            }
        }
        for job in round { job.fail(lastConflict ?? EventLogError(.wrongExpectedVersion, "the conversation changed too often")) }
    }
}

extension MessageSequencer {
    final class TypedJob<T: Sendable>: Job {
        let decideBody: @Sendable (UInt64, Timestamp) throws -> (NewEvent, T)
        let idempotency: (@Sendable (T) throws -> IdempotencyRecord)?
        let continuation: CheckedContinuation<CommandResult<T>, any Error>
        private let answer = Mutex<T?>(nil)

        init(
            decide: @escaping @Sendable (UInt64, Timestamp) throws -> (NewEvent, T),
            idempotency: (@Sendable (T) throws -> IdempotencyRecord)?, continuation: CheckedContinuation<CommandResult<T>, any Error>
        ) {
            (decideBody, self.idempotency, self.continuation) = (decide, idempotency, continuation)
        }

        var isKeyed: Bool { idempotency != nil }

        func decide(seq: UInt64, now: Timestamp) throws -> NewEvent {
            let (event, value) = try decideBody(seq, now)
            answer.withLock { $0 = value }
            return event
        }

        func record() throws -> IdempotencyRecord? {
            guard let idempotency, let value = answer.withLock({ $0 }) else { return nil }
            return try idempotency(value)
        }

        func finish(_ outcome: AppendOutcome?) {
            if case .duplicate(let stored)? = outcome {
                continuation.resume(returning: .replayed(stored))
                return
            }
            guard let value = answer.withLock({ $0 }) else {
                continuation.resume(throwing: EventLogError(.invalidRequest, "the send decided nothing"))
                return
            }
            continuation.resume(returning: .done(value))
        }

        func fail(_ error: any Error) { continuation.resume(throwing: error) }
    }
}
