public import EventSourcing

/// Everything that happens to verification codes. The type strings are the storage
/// format: never rename them; a new payload layout is a new `.v2` type.
public enum VerificationEvent: Hashable, Sendable {
    /// A code was issued (on `verification-<key>`).
    case codeIssued(CodeIssued)
    /// A check was made: approved, or wrong with `attemptsLeft` remaining (0 locks the code).
    case codeChecked(approved: Bool, attemptsLeft: Int)
    /// A newer send for the same destination and operation replaced this code.
    case codeCanceled(replacedBy: String)
    /// The code was destroyed on request (seed 000 `DestroyVerifyCodeByKey`).
    case codeDestroyed
    /// The delivery worker's outcome for the code's message.
    case deliveryRecorded(delivered: Bool, attempt: Int, detail: String)
    /// A send to a destination (on `destination-<id>`): the rate limits count these.
    case sendRecorded(key: String, operation: String)
    /// An approved code was used up by another command (`purpose`, for example
    /// `register:<member id>`), so it cannot approve a second one.
    case codeConsumed(purpose: String)

    /// What `codeIssued` records. No plaintext code or address: the code as a keyed hash,
    /// the address masked, and the delivery (address, code, message) sealed.
    public struct CodeIssued: Hashable, Sendable {
        public var key: EntityID
        public var channel: Destination.Channel
        public var maskedTo: String
        public var destinationID: String
        public var operation: String
        public var codeHash: [UInt8]
        public var expiresAt: Timestamp
        public var sealedDelivery: [UInt8]
    }

    public var type: String {
        switch self {
        case .codeIssued: "verification.code-issued.v1"
        case .codeChecked: "verification.code-checked.v1"
        case .codeCanceled: "verification.code-canceled.v1"
        case .codeDestroyed: "verification.code-destroyed.v1"
        case .deliveryRecorded: "verification.delivery-recorded.v1"
        case .sendRecorded: "verification.send-recorded.v1"
        case .codeConsumed: "verification.code-consumed.v1"
        }
    }

    /// The payload bytes (field order fixed per type string).
    public var payload: [UInt8] {
        var w = BinaryWriter()
        switch self {
        case .codeIssued(let e):
            w.write(e.key.rawValue); w.write(e.channel.rawValue); w.write(e.maskedTo); w.write(e.destinationID)
            w.write(e.operation); w.write(e.codeHash); w.write(e.expiresAt); w.write(e.sealedDelivery)
        case .codeChecked(let approved, let attemptsLeft):
            w.write(approved); w.write(attemptsLeft)
        case .codeCanceled(let replacedBy):
            w.write(replacedBy)
        case .codeDestroyed:
            break
        case .deliveryRecorded(let delivered, let attempt, let detail):
            w.write(delivered); w.write(attempt); w.write(detail)
        case .sendRecorded(let key, let operation):
            w.write(key); w.write(operation)
        case .codeConsumed(let purpose):
            w.write(purpose)
        }
        return w.bytes
    }

    /// Decodes a recorded event; nil for types of other domains.
    public init?(_ event: RecordedEvent) throws {
        let decoded: VerificationEvent? = try BinaryReader.read(event.payload) { r in
            switch event.type {
            case "verification.code-issued.v1":
                guard let key = EntityID(try r.readString()) else { throw BinaryReader.Error(description: "invalid key") }
                guard let channel = Destination.Channel(rawValue: try r.readString()) else {
                    throw BinaryReader.Error(description: "unknown channel")
                }
                return .codeIssued(CodeIssued(
                    key: key, channel: channel, maskedTo: try r.readString(), destinationID: try r.readString(),
                    operation: try r.readString(), codeHash: try r.readBytes(), expiresAt: try r.readTimestamp(),
                    sealedDelivery: try r.readBytes()))
            case "verification.code-checked.v1":
                return .codeChecked(approved: try r.readBool(), attemptsLeft: try r.readInt())
            case "verification.code-canceled.v1":
                return .codeCanceled(replacedBy: try r.readString())
            case "verification.code-destroyed.v1":
                return .codeDestroyed
            case "verification.delivery-recorded.v1":
                return .deliveryRecorded(delivered: try r.readBool(), attempt: try r.readInt(), detail: try r.readString())
            case "verification.send-recorded.v1":
                return .sendRecorded(key: try r.readString(), operation: try r.readString())
            case "verification.code-consumed.v1":
                return .codeConsumed(purpose: try r.readString())
            default:
                return nil
            }
        }
        guard let decoded else { return nil }
        self = decoded
    }

    /// This event as a `NewEvent` at `time`.
    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent {
        NewEvent(type: type, payload: payload, timestamp: time, metadata: metadata)
    }
}
