public import EventSourcing

/// Live captchas; used or expired ones are dropped every 4,096 events (by event time).
public struct CaptchasReadModel: Projection {
    public static let name = "captchas"
    public static let formatVersion: UInt32 = 1

    public private(set) var captchas: [String: CaptchaState] = [:]
    private var eventsSincePrune = 0

    public init() {}

    public func captcha(_ id: String) -> CaptchaState? { captchas[id] }

    public mutating func apply(_ event: RecordedEvent) {
        guard let decoded = try? CaptchaEvent(event) else { return }
        switch decoded {
        case .issued(let id, let hash, let expiresAt):
            captchas[id] = CaptchaState(id: id, answerHash: hash, expiresAt: expiresAt)
        case .checked:
            let id = String(event.stream.rawValue.dropFirst("captcha-".count))
            captchas[id]?.used = true
        }
        eventsSincePrune += 1
        if eventsSincePrune >= 4096 {
            eventsSincePrune = 0
            captchas = captchas.filter { !$0.value.used && $0.value.expiresAt > event.timestamp }
        }
    }

    public func snapshot() -> [UInt8] {
        var w = BinaryWriter()
        w.write(UInt64(eventsSincePrune))
        w.write(UInt64(captchas.count))
        for id in captchas.keys.sorted() {
            let captcha = captchas[id]!
            w.write(id); w.write(captcha.answerHash); w.write(captcha.expiresAt); w.write(captcha.used)
        }
        return w.bytes
    }

    public init(snapshot: [UInt8]) throws {
        self.init()
        try BinaryReader.read(snapshot) { r in
            eventsSincePrune = Int(try r.readUInt64())
            for _ in 0..<(try r.readUInt64()) {
                let id = try r.readString()
                var captcha = CaptchaState(id: id, answerHash: try r.readBytes(), expiresAt: try r.readTimestamp())
                captcha.used = try r.readBool()
                captchas[id] = captcha
            }
        }
    }
}
