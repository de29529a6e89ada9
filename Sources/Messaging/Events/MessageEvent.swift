public import EventSourcing

/// Everything that happens in messaging, each declared once in its own `EventPayload`.
public enum MessageEvent: Hashable, Sendable {
    case sent(MessageSent)
    case read(ConversationRead)
    case broadcast(BroadcastSent)

    /// The domain's codec: every type string tied to its case.
    public static let codec = EventCodec<MessageEvent>(
        categories: [.conversation, .readMarks, .broadcast],
        [
            .case(MessageSent.self, MessageEvent.sent),
            .case(ConversationRead.self, MessageEvent.read),
            .case(BroadcastSent.self, MessageEvent.broadcast),
        ])

    /// Decodes a recorded event: nil for other domains' events; throws for an event of
    /// this domain that does not decode.
    public init?(_ event: RecordedEvent) throws {
        guard let decoded = try Self.codec.decode(event) else { return nil }
        self = decoded
    }
}
