public import EventSourcing

/// Everything that happens to verification codes, each event declared once in its own
/// `EventPayload` (type string, fields, codec, JSON view).
public enum VerificationEvent: Hashable, Sendable {
    case codeIssued(CodeIssued)
    case codeChecked(CodeChecked)
    case codeCanceled(CodeCanceled)
    case codeDestroyed(CodeDestroyed)
    case deliveryRecorded(DeliveryRecorded)
    case sendRecorded(SendRecorded)
    case codeConsumed(CodeConsumed)

    /// The domain's codec: every type string tied to its case.
    public static let codec = EventCodec<VerificationEvent>(categories: [.verification, .destination], [
        .case(CodeIssued.self, VerificationEvent.codeIssued),
        .case(CodeChecked.self, VerificationEvent.codeChecked),
        .case(CodeCanceled.self, VerificationEvent.codeCanceled),
        .case(CodeDestroyed.self, VerificationEvent.codeDestroyed),
        .case(DeliveryRecorded.self, VerificationEvent.deliveryRecorded),
        .case(SendRecorded.self, VerificationEvent.sendRecorded),
        .case(CodeConsumed.self, VerificationEvent.codeConsumed),
    ])

    public var payload: any EventPayload {
        switch self {
        case .codeIssued(let e): e
        case .codeChecked(let e): e
        case .codeCanceled(let e): e
        case .codeDestroyed(let e): e
        case .deliveryRecorded(let e): e
        case .sendRecorded(let e): e
        case .codeConsumed(let e): e
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
}
