public import EventSourcing
import NIOPosix

/// Captcha commands against the log. `onIssued` sees each answer (dev mode keeps them
/// in memory for `GET /v1/dev/captchas/{id}`; production passes nothing).
public final class CaptchaService: Sendable {
    public let log: any EventLog
    public let captchas: LiveProjection<CaptchasReadModel>
    let secrets: CodeSecrets
    let clock: @Sendable () -> Timestamp
    let onIssued: (@Sendable (_ id: String, _ answer: String) -> Void)?

    public init(
        log: any EventLog, captchas: LiveProjection<CaptchasReadModel>, secrets: CodeSecrets,
        clock: @escaping @Sendable () -> Timestamp, onIssued: (@Sendable (String, String) -> Void)? = nil
    ) {
        self.log = log
        self.captchas = captchas
        self.secrets = secrets
        self.clock = clock
        self.onIssued = onIssued
    }

    /// A drawn captcha as a client sees it.
    public struct Drawn: Sendable {
        public var id: String
        public var png: [UInt8]
        public var expiresAt: Timestamp
    }

    /// Draws and records a captcha.
    public func issue(
        metadata: EventMetadata = .none, idempotency: (@Sendable (Drawn) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<Drawn> {
        // Drawing the image is milliseconds of pixel loops: on NIO's blocking pool, never
        // on one of the cooperative pool's threads.
        let (secrets, now) = (self.secrets, clock())
        let issued = try await NIOThreadPool.singleton.runIfActive {
            var random = SystemRandomNumberGenerator()
            return CaptchaDecisions.issue(secrets: secrets, now: now, random: &random)
        }
        var append = issued.append
        append.events = append.events.map { var event = $0; event.metadata = metadata; return event }
        let drawn = Drawn(id: issued.id, png: issued.png, expiresAt: issued.expiresAt)
        if case .duplicate(let stored) = try await log.append(AppendRequest([append], idempotency: try idempotency?(drawn))) {
            return .replayed(stored)
        }
        onIssued?(issued.id, issued.answer)
        return .done(drawn)
    }

    /// The captcha's one check; true when the answer was right.
    public func check(
        id: EntityID, answer: String, metadata: EventMetadata = .none,
        idempotency: (@Sendable (Bool) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<Bool> {
        let now = clock()
        let state = captchas.read { model, _ in model.captcha(id.rawValue) }
        let event = try CaptchaDecisions.check(answer: answer, state: state, secrets: secrets, now: now)
        let correct = event == .checked(CaptchaChecked(correct: true))
        do {
            let outcome = try await log.append(AppendRequest(
                stream: CaptchaDecisions.stream(id), expected: .exactly(1), events: [event.newEvent(at: now, metadata: metadata)],
                idempotency: try idempotency?(correct)))
            if case .duplicate(let stored) = outcome { return .replayed(stored) }
        } catch let error as EventLogError where error.code == .wrongExpectedVersion {
            throw VerificationError.notFound  // a concurrent check used it first
        }
        return .done(correct)
    }
}
