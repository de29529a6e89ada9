public import EventSourcing

/// Issuing and checking image captchas: 4-6 characters, 120 seconds, one check each.
public enum CaptchaDecisions {
    public static let ttlSeconds: Int64 = 120

    /// A new captcha: its id, answer (for the image and dev mode only), PNG and event.
    public struct Issued: Sendable {
        public var id: String
        public var answer: String
        public var png: [UInt8]
        public var expiresAt: Timestamp
        public var append: StreamAppend
    }

    public static func issue<R: RandomNumberGenerator>(secrets: CodeSecrets, now: Timestamp, random: inout R) -> Issued {
        let entity = EntityID.make(now: now, random: &random)
        let id = entity.rawValue
        let length = Int.random(in: 4...6, using: &random)
        let answer = String((0..<length).map { _ in StrokeFont.alphabet[Int.random(in: 0..<StrokeFont.alphabet.count, using: &random)] })
        let expiresAt = now.adding(seconds: ttlSeconds)
        let event = CaptchaEvent.issued(CaptchaIssued(id: id, answerHash: secrets.captchaHash(id: id, answer: answer), expiresAt: expiresAt))
        return Issued(
            id: id, answer: answer, png: CaptchaImage.render(answer, random: &random), expiresAt: expiresAt,
            append: StreamAppend(stream: stream(entity), expected: .noStream, events: [event.newEvent(at: now)]))
    }

    /// The one check of a captcha (case-insensitive). Unknown or already checked: not found.
    public static func check(answer: String, state: CaptchaState?, secrets: CodeSecrets, now: Timestamp) throws -> CaptchaEvent {
        guard let state, !state.used else { throw VerificationError.notFound }
        guard now < state.expiresAt else { throw VerificationError.expired }
        guard (1...16).contains(answer.count) else {
            throw VerificationError.invalid(field: "answer", reason: "answer must be 1-16 characters")
        }
        let correct = ConstantTime.equal(secrets.captchaHash(id: state.id, answer: answer), state.answerHash)
        return .checked(CaptchaChecked(correct: correct))
    }

    public static func stream(_ id: EntityID) -> StreamID { StreamID(.captcha, id) }
}

/// One captcha, folded from its stream.
public struct CaptchaState: Hashable, Sendable {
    public var id: String
    public var answerHash: [UInt8]
    public var expiresAt: Timestamp
    public var used = false
}
