public import EventSourcing

/// Live captchas; each is dropped once used or expired, a few per event through an
/// `ExpiryQueue` (by event time).
public struct CaptchasReadModel: Projection {
    public static let name = "captchas"
    public static let formatVersion: UInt32 = 2

    public private(set) var captchas: [String: CaptchaState] = [:]
    private var expiries = ExpiryQueue()

    public init() {}

    public func captcha(_ id: String) -> CaptchaState? { captchas[id] }

    public mutating func apply(_ event: RecordedEvent) throws {
        guard let decoded = try CaptchaEvent(event) else { return }
        switch decoded {
        case .issued(let e):
            captchas[e.id] = CaptchaState(id: e.id, answerHash: e.answerHash, expiresAt: e.expiresAt)
            expiries.append(e.id, due: e.expiresAt)
        case .checked:
            let id = String(event.stream.id)
            captchas[id]?.used = true
        }
        for id in expiries.popDue(at: event.timestamp) { captchas[id] = nil }
    }

    public func snapshot() -> [UInt8] {
        var w = BinaryWriter()
        w.write(UInt64(captchas.count))
        for (id, captcha) in captchas.sorted(by: { $0.key < $1.key }) {
            w.write(id); w.write(captcha.answerHash); w.write(captcha.expiresAt); w.write(captcha.used)
        }
        expiries.write(to: &w)
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { r in
            for _ in 0..<(try r.readUInt64()) {
                let id = try r.readString()
                var captcha = CaptchaState(id: id, answerHash: try r.readBytes(), expiresAt: try r.readTimestamp())
                captcha.used = try r.readBool()
                captchas[id] = captcha
            }
            expiries = try ExpiryQueue(from: &r)
        }
    }
}
