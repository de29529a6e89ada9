/// What an event records about how it came to be, beside its data.
///
/// Every field is optional and written only when present. None of them may hold
/// a secret: metadata is stored compressed but not encrypted.
public struct EventMetadata: Hashable, Sendable {
    /// Ties together every event caused by one client request (the request id).
    public var correlationID: String?
    /// The event or command that caused this one.
    public var causationID: String?
    /// Who issued the command: a member id, `admin`, `system`.
    public var actor: String?
    /// The client's `Idempotency-Key`, when the command carried one.
    public var idempotencyKey: String?

    public init(
        correlationID: String? = nil, causationID: String? = nil, actor: String? = nil, idempotencyKey: String? = nil
    ) {
        self.correlationID = correlationID
        self.causationID = causationID
        self.actor = actor
        self.idempotencyKey = idempotencyKey
    }

    /// No metadata at all.
    public static let none = EventMetadata()
}
