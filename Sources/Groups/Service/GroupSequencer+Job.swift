import EventSourcing
import Members
import Synchronization

extension GroupSequencer {
    /// A command with its answer type: its decision, the idempotency record of its answer,
    /// and the caller waiting for the round's outcome.
    final class TypedJob<T: Sendable>: Job {
        let decideBody: @Sendable (GroupState?, Timestamp) throws -> Decision<T>
        let idempotency: (@Sendable (T) throws -> IdempotencyRecord)?
        let continuation: CheckedContinuation<CommandResult<T>, any Error>
        /// The answer of the last decision (a conflict decides again).
        private let answer = Mutex<T?>(nil)

        init(
            decide: @escaping @Sendable (GroupState?, Timestamp) throws -> Decision<T>,
            idempotency: (@Sendable (T) throws -> IdempotencyRecord)?, continuation: CheckedContinuation<CommandResult<T>, any Error>
        ) {
            (decideBody, self.idempotency, self.continuation) = (decide, idempotency, continuation)
        }

        var isKeyed: Bool { idempotency != nil }

        func decide(_ state: GroupState?, now: Timestamp) throws -> [NewEvent] {
            let decision = try decideBody(state, now)
            answer.withLock { $0 = decision.answer }
            return decision.appends.flatMap(\.events)
        }

        func record() throws -> IdempotencyRecord? {
            guard let idempotency, let answer = answer.withLock({ $0 }) else { return nil }
            return try idempotency(answer)
        }

        func finish(_ outcome: AppendOutcome?) {
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

        func fail(_ error: any Error) { continuation.resume(throwing: error) }
    }
}
