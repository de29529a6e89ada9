public import EventSourcing

extension MessagesService {
    /// `POST /v1/admin/broadcast`: logs the broadcast (`broadcast-<id>`), with the answer
    /// `record` makes for an `Idempotency-Key`, so a retry replays that answer and pushes
    /// nothing twice. The caller pushes it to the sockets once this returns `.done`, so
    /// frames leave only after the event is durable.
    public func broadcast(
        _ content: String, sockets: Int, metadata: EventMetadata = .none,
        idempotency record: (@Sendable (BroadcastSent) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<BroadcastSent> {
        let now = clock()
        var random = SystemRandomNumberGenerator()
        let (append, sent) = try MessageDecisions.broadcast(
            id: EntityID.make(now: now, random: &random), content: content, sockets: sockets, now: now, metadata: metadata)
        return try await log.appendCommand(AppendRequest([append], idempotency: try record?(sent)), answer: sent)
    }
}
