public import EventSourcing

/// A captcha was drawn (seed 004); its answer is kept only as a keyed hash.
public struct CaptchaIssued: EventPayload {
    public static let type = "captcha.issued.v1"
    public var id: String
    public var answerHash: [UInt8]
    public var expiresAt: Timestamp
    public init(id: String, answerHash: [UInt8], expiresAt: Timestamp) { (self.id, self.answerHash, self.expiresAt) = (id, answerHash, expiresAt) }
    public init(from r: inout BinaryReader) throws { self.init(id: try r.readString(), answerHash: try r.readBytes(), expiresAt: try r.readTimestamp()) }
    public func encode(to w: inout BinaryWriter) { w.write(id); w.write(answerHash); w.write(expiresAt) }
    public var json: JSONValue { ["id": .string(id), "answer_hash": .hex(answerHash), "expires_at": .time(expiresAt)] }
    public static let example = CaptchaIssued(
        id: EntityID.example.rawValue, answerHash: Array(repeating: 5, count: 32), expiresAt: Timestamp(millisecondsSince1970: 1_795_000_120_000))
}

/// A captcha's one check was made.
public struct CaptchaChecked: EventPayload {
    public static let type = "captcha.checked.v1"
    public var correct: Bool
    public init(correct: Bool) { self.correct = correct }
    public init(from r: inout BinaryReader) throws { correct = try r.readBool() }
    public func encode(to w: inout BinaryWriter) { w.write(correct) }
    public var json: JSONValue { ["correct": .bool(correct)] }
    public static let example = CaptchaChecked(correct: true)
}

/// What happens to image captchas, on `captcha-<id>` streams.
public enum CaptchaEvent: Hashable, Sendable {
    case issued(CaptchaIssued)
    case checked(CaptchaChecked)

    public static let codec = EventCodec<CaptchaEvent>(categories: [.captcha], [
        .case(CaptchaIssued.self, CaptchaEvent.issued),
        .case(CaptchaChecked.self, CaptchaEvent.checked),
    ])

    public var payload: any EventPayload {
        switch self {
        case .issued(let e): e
        case .checked(let e): e
        }
    }

    public func newEvent(at time: Timestamp, metadata: EventMetadata = .none) -> NewEvent { payload.newEvent(at: time, metadata: metadata) }

    public init?(_ event: RecordedEvent) throws {
        guard let decoded = try Self.codec.decode(event) else { return nil }
        self = decoded
    }
}
