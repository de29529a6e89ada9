public import EventSourcing

/// What happens to image captchas (seed 004), on `captcha-<id>` streams.
public enum CaptchaEvent: Hashable, Sendable {
    /// A captcha was drawn; its answer is kept only as a keyed hash.
    case issued(id: String, answerHash: [UInt8], expiresAt: Timestamp)
    /// Its one check was made.
    case checked(correct: Bool)

    public var type: String {
        switch self {
        case .issued: "captcha.issued.v1"
        case .checked: "captcha.checked.v1"
        }
    }

    public var payload: [UInt8] {
        var w = BinaryWriter()
        switch self {
        case .issued(let id, let hash, let expiresAt): w.write(id); w.write(hash); w.write(expiresAt)
        case .checked(let correct): w.write(correct)
        }
        return w.bytes
    }

    public init?(_ event: RecordedEvent) throws {
        let decoded: CaptchaEvent? = try BinaryReader.read(event.payload) { r in
            switch event.type {
            case "captcha.issued.v1": return .issued(id: try r.readString(), answerHash: try r.readBytes(), expiresAt: try r.readTimestamp())
            case "captcha.checked.v1": return .checked(correct: try r.readBool())
            default: return nil
            }
        }
        guard let decoded else { return nil }
        self = decoded
    }

    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent {
        NewEvent(type: type, payload: payload, timestamp: time, metadata: metadata)
    }
}
