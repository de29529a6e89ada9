public import EventSourcing
import HashTreeCollections

/// The verification commands against a log: decide on the read model, append with the
/// expected versions it shows, retry when a concurrent command got there first.
///
/// Pure of I/O itself: it sees the `EventLog` protocol and a `LiveProjection`, and takes
/// the clock and the random source from its creator.
public final class VerificationService: Sendable {
    public let log: any EventLog
    public let codes: LiveProjection<VerificationsReadModel>
    public let secrets: CodeSecrets
    public let limits: SendDecision.Limits
    private let clock: @Sendable () -> Timestamp
    /// Attempts before a conflict is reported (each retry decides again on fresher state).
    static let attempts = 8
    private let forgotten = ForgottenDestinations()

    public init(
        log: any EventLog, codes: LiveProjection<VerificationsReadModel>, secrets: CodeSecrets,
        limits: SendDecision.Limits, clock: @escaping @Sendable () -> Timestamp
    ) {
        self.log = log
        self.codes = codes
        self.secrets = secrets
        self.limits = limits
        self.clock = clock
    }

    /// What a send answers (API.md `POST /v1/verifications`).
    public struct Sent: Hashable, Sendable {
        public var key: EntityID
        public var channel: Destination.Channel
        public var maskedTo: String
        public var operation: String
        public var expiresAt: Timestamp
        public var resendAfter: Timestamp
    }

    /// What a check found.
    public enum Checked: Hashable, Sendable {
        case approved
        case incorrect(attemptsLeft: Int)
    }

    /// The status view of one code.
    public struct Status: Hashable, Sendable {
        public var key: EntityID
        public var status: CodeState.Status
        public var attemptsLeft: Int
        public var expiresAt: Timestamp
        /// Where the code's message stands.
        public var delivery: DeliveryStatus
    }

    /// Issues a code, its message written in `locale`. `idempotency` turns the answer into
    /// the record stored with the events.
    public func send(
        channel: String, to: String, operation: String, ttlSeconds: Int64?, locale: MessageLocale = .default,
        metadata: EventMetadata = .none, idempotency: (@Sendable (Sent) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<Sent> {
        let destination = try SendDecision.validate(channel: channel, to: to, operation: operation, ttlSeconds: ttlSeconds)
        let id = secrets.destinationID(destination)
        return try await retrying {
            try await recall(id)
            let now = clock()
            var random = SystemRandomNumberGenerator()
            let (state, previous) = codes.read { model, _ in
                (destinationState(id, in: model), model.latestCode(destinationID: id, operation: operation))
            }
            let decision = try SendDecision.decide(
                destination: destination, operation: operation, ttlSeconds: ttlSeconds, destinationState: state,
                replacing: previous, limits: limits, secrets: secrets, locale: locale, now: now, random: &random)
            let sent = Sent(
                key: decision.key, channel: destination.channel, maskedTo: destination.masked, operation: operation,
                expiresAt: decision.expiresAt, resendAfter: decision.resendAfter)
            let appends = decision.appends.map { $0.stamped(metadata) }
            return try await append(AppendRequest(appends, idempotency: try idempotency?(sent)), answer: sent)
        }
    }

    /// A send decided on the model but not appended, for a command that issues a code inside
    /// its own atomic append (a password reset). `scope` separates the destination's limits.
    public func decideSend<R: RandomNumberGenerator>(
        to destination: Destination, operation: String, ttlSeconds: Int64?, scope: String?, locale: MessageLocale = .default,
        now: Timestamp, random: inout R
    ) throws -> SendDecision {
        let id = secrets.destinationID(destination, scope: scope)
        let (state, previous) = codes.read { model, _ in
            (destinationState(id, in: model), model.latestCode(destinationID: id, operation: operation))
        }
        return try SendDecision.decide(
            destination: destination, destinationID: id, operation: operation, ttlSeconds: ttlSeconds, destinationState: state,
            replacing: previous, limits: limits, secrets: secrets, locale: locale, now: now, random: &random)
    }

    /// Reads back from the log the version of `destination`'s stream when the read model
    /// has forgotten it (idle past the retention), so that `decideSend` and
    /// `decideSendRecord` append at the version the stream has. Call before deciding.
    public func recall(_ destination: Destination, scope: String?) async throws {
        try await recall(secrets.destinationID(destination, scope: scope))
    }

    private func recall(_ id: String) async throws {
        guard !codes.read({ model, _ in model.destinations[id] != nil }) else { return forgotten.forget(id) }
        let version = try await log.version(of: try Streams.destination(id))
        if version > 0 { forgotten.remember(id, version: version) }
    }

    /// The destination's state: the read model's, or for one it forgot, what `recall` read back.
    private func destinationState(_ id: String, in model: VerificationsReadModel) -> DestinationState {
        model.destinations[id] ?? forgotten.state(id)
    }

    /// The destination append of a decoy send: limited exactly like `decideSend`, issuing nothing.
    public func decideSendRecord(to destination: Destination, operation: String, key: String, scope: String?, now: Timestamp) throws
        -> StreamAppend
    {
        let id = secrets.destinationID(destination, scope: scope)
        let state = codes.read { model, _ in destinationState(id, in: model) }
        return try SendDecision.recordOnly(
            destinationID: id, key: key, operation: operation, destinationState: state, limits: limits, now: now)
    }

    /// Whether `code` is the code of `key` (compared in constant time; the same work whether
    /// or not the key exists), and if so the append that approves it and uses it up for
    /// `purpose` in one go. Nil when it does not match or the code cannot be used (expired,
    /// canceled, destroyed, used, another operation).
    public func approval(key: EntityID?, code: String, operation: String, purpose: String, now: Timestamp) -> StreamAppend? {
        let state = key.flatMap { key in codes.read { model, _ in model.code(key) } }
        let stored = state?.issued.codeHash ?? [UInt8](repeating: 0, count: 32)
        let matches = secrets.matches(key: key?.rawValue ?? "", code: code, stored: stored)
        guard matches, let key, let state, state.status(at: now) == .pending, !state.consumed, state.issued.operation == operation
        else { return nil }
        return StreamAppend(
            stream: Streams.code(key), expected: .exactly(state.version),
            events: [
                VerificationEvent.codeChecked(CodeChecked(approved: true, attemptsLeft: state.attemptsLeft)).newEvent(at: now),
                VerificationEvent.codeConsumed(CodeConsumed(purpose: purpose)).newEvent(at: now),
            ])
    }

    /// Checks a code; a wrong code is recorded and answered as `.incorrect`.
    public func check(
        key: EntityID, code: String, metadata: EventMetadata = .none,
        idempotency: (@Sendable (Checked) throws -> IdempotencyRecord)? = nil
    ) async throws -> CommandResult<Checked> {
        try await retrying {
            let now = clock()
            let state = codes.read { model, _ in model.code(key) }
            let event = try CodeDecisions.check(code: code, state: state, secrets: secrets, now: now)
            guard case .codeChecked(let checked) = event, let state else { throw VerificationError.notFound }
            let answer: Checked = checked.approved ? .approved : .incorrect(attemptsLeft: checked.attemptsLeft)
            let request = AppendRequest(
                stream: Streams.code(key), expected: .exactly(state.version),
                events: [event.newEvent(at: now, metadata: metadata)], idempotency: try idempotency?(answer))
            return try await append(request, answer: answer)
        }
    }

    /// Destroys a code (unknown or destroyed: not found).
    public func destroy(
        key: EntityID, metadata: EventMetadata = .none, idempotency: IdempotencyRecord? = nil
    ) async throws -> CommandResult<Void> {
        try await retrying {
            let state = codes.read { model, _ in model.code(key) }
            let event = try CodeDecisions.destroy(state: state)
            let request = AppendRequest(
                stream: Streams.code(key), expected: .exactly(state?.version ?? 0),
                events: [event.newEvent(at: clock(), metadata: metadata)], idempotency: idempotency)
            return try await append(request, answer: ())
        }
    }

    /// How long after its expiry an approved code can still be used up by another command.
    public static let approvalGraceSeconds: Int64 = 600

    /// The append that uses up an approved code for another command (a registration, a
    /// login, an email binding, a password reset), to go in that command's request: its
    /// expected version makes a second use of the same code fail. Throws `notApproved`
    /// unless the code was approved for `operation`, sent to one of `destinations` (nil:
    /// the server chose the destination itself, as for a password reset), not used yet,
    /// and its expiry (plus a grace period) has not passed.
    public func consumption(
        key: EntityID, operation: String, destinations: [Destination]?, purpose: String, now: Timestamp
    ) throws(VerificationError) -> StreamAppend {
        let ids = destinations.map { Set($0.map { secrets.destinationID($0) } + $0.compactMap { secrets.callDestinationID($0) }) }
        guard let code = codes.read({ model, _ in model.code(key) }),
            code.approved, !code.consumed, code.issued.operation == operation,
            ids?.contains(code.issued.destinationID) ?? true,
            now < code.issued.expiresAt.adding(seconds: Self.approvalGraceSeconds)
        else { throw .notApproved }
        return StreamAppend(
            stream: Streams.code(key), expected: .exactly(code.version),
            events: [VerificationEvent.codeConsumed(CodeConsumed(purpose: purpose)).newEvent(at: now)])
    }

    /// The code under `key` as the read model has it (nil when unknown or destroyed).
    public func code(_ key: EntityID) -> CodeState? {
        codes.read { model, _ in model.code(key) }
    }

    /// The code's status now; nil when unknown or destroyed.
    public func status(key: EntityID) -> Status? {
        let now = clock()
        return codes.read { model, _ in
            model.code(key).map {
                Status(
                    key: key, status: $0.status(at: now), attemptsLeft: $0.attemptsLeft, expiresAt: $0.issued.expiresAt,
                    delivery: $0.delivery.status)
            }
        }
    }

    private func append<T>(_ request: AppendRequest, answer: T) async throws -> CommandResult<T> {
        try await log.appendCommand(request, answer: answer)
    }

    private func retrying<T>(_ attempt: () async throws -> CommandResult<T>) async throws -> CommandResult<T> {
        try await retryingOnConflict(attempts: Self.attempts, attempt)
    }
}
