import EventSourcing

/// Runs the sends into one conversation (`conversation-<id>`) in turn, numbering a whole
/// round on one version (`StreamSequencer`).
///
/// A message's `seq` is its version in the conversation's stream, so every send is
/// appended at the version the read model shows (`.exactly(lastSeq)`) and each send of a
/// round takes the next seq in turn. Gapless and unique by construction: the log assigns
/// versions, a crash loses a whole uncommitted round or nothing, and a conflict (another
/// writer) numbers the round again.
final class MessageSequencer: Sendable {
    private let sequencer: StreamSequencer<UInt64>

    init(log: any EventLog, clock: @escaping @Sendable () -> Timestamp, lastSeq: @escaping @Sendable (ConversationID) -> UInt64) {
        sequencer = StreamSequencer(log: log, clock: clock, unknownStream: { MessageError.notFound }) { key in
            let seq = ConversationID(key).map(lastSeq) ?? 0
            return (seq, seq)
        } stream: { key in
            ConversationID(key).flatMap(MessageStreams.conversation)
        }
    }

    /// Appends the event `decide` makes for the next seq of `conversation`, in its turn.
    func run<T: Sendable>(
        _ conversation: ConversationID, idempotency: (@Sendable (T) throws -> IdempotencyRecord)?,
        _ decide: @escaping @Sendable (UInt64, Timestamp) throws -> (NewEvent, T)
    ) async throws -> CommandResult<T> {
        try await sequencer.run(conversation.rawValue, idempotency: idempotency) { lastSeq, now in
            let (event, answer) = try decide(lastSeq + 1, now)
            lastSeq += 1
            return ([event], answer)
        }
    }
}
