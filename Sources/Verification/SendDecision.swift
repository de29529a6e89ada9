public import EventSourcing

/// Sending a code: the one decision that spans streams. It appends, atomically, the
/// send to the destination's stream (expected at its current version, so two racing
/// sends cannot both pass the limits), the new code's stream (`noStream`), and the
/// cancellation of the code it replaces, if that one is still pending.
public struct SendDecision: Sendable {
    public var key: EntityID
    public var expiresAt: Timestamp
    /// When the next send to this destination will be accepted.
    public var resendAfter: Timestamp
    public var appends: [StreamAppend]

    /// The limits on sends to one destination.
    public struct Limits: Sendable {
        public var resendIntervalSeconds: Int64 = 60
        public var hourlyLimit: Int = 5
        public init(resendIntervalSeconds: Int64 = 60, hourlyLimit: Int = 5) {
            self.resendIntervalSeconds = resendIntervalSeconds
            self.hourlyLimit = hourlyLimit
        }
    }

    public static let ttlRange: ClosedRange<Int64> = 60...3600
    public static let defaultTTL: Int64 = 300

    /// Validates the request fields; returns the destination.
    public static func validate(channel: String, to: String, operation: String, ttlSeconds: Int64?) throws -> Destination {
        guard let channel = Destination.Channel(rawValue: channel) else {
            throw VerificationError.invalid(field: "channel", reason: "channel must be sms, email or call")
        }
        guard let destination = Destination(channel: channel, raw: to) else {
            throw VerificationError.invalid(
                field: "to", reason: channel == .email ? "to must be an email address" : "to must be an E.164 phone number")
        }
        guard (1...32).contains(operation.utf8.count),
            operation.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F })
        else { throw VerificationError.invalid(field: "operation", reason: "operation must be 1-32 of [a-z0-9_]") }
        if let ttlSeconds, !ttlRange.contains(ttlSeconds) {
            throw VerificationError.invalid(field: "ttl_seconds", reason: "ttl_seconds must be 60-3600")
        }
        return destination
    }

    /// Throws `rateLimited` when a send to a destination with `state` is not allowed at `now`.
    public static func checkLimits(_ state: DestinationState, limits: Limits, now: Timestamp) throws(VerificationError) {
        let recent = state.recentSends.filter { $0 > now.adding(seconds: -3600) }
        if let last = recent.last, now < last.adding(seconds: limits.resendIntervalSeconds) {
            throw .rateLimited(retryAfterSeconds: last.adding(seconds: limits.resendIntervalSeconds).secondsSince(now))
        }
        if recent.count >= limits.hourlyLimit, let oldest = recent.dropLast(limits.hourlyLimit - 1).last {
            throw .rateLimited(retryAfterSeconds: max(1, oldest.adding(seconds: 3600).secondsSince(now)))
        }
    }

    /// A send that counts against a destination's limits without issuing a code (a decoy
    /// that must be rate limited exactly like a real send): the destination's append only.
    public static func recordOnly(
        destinationID: String, key: String, operation: String, destinationState: DestinationState, limits: Limits, now: Timestamp
    ) throws -> StreamAppend {
        try checkLimits(destinationState, limits: limits, now: now)
        return StreamAppend(
            stream: try Streams.destination(destinationID), expected: .exactly(destinationState.version),
            events: [VerificationEvent.sendRecorded(SendRecorded(key: key, operation: operation)).newEvent(at: now)])
    }

    /// Decides a send to `destination` given its sends so far and the code it would replace.
    /// `destinationID` is `secrets.destinationID(destination, scope:)`. The message is
    /// written in `locale` (`MessageTemplates`) and sealed with the code.
    public static func decide<R: RandomNumberGenerator>(
        destination: Destination, destinationID: String? = nil, operation: String, ttlSeconds: Int64?, destinationState: DestinationState,
        replacing previous: CodeState?, limits: Limits, secrets: CodeSecrets, locale: MessageLocale = .default, now: Timestamp,
        random: inout R
    ) throws -> SendDecision {
        try checkLimits(destinationState, limits: limits, now: now)
        let key = EntityID.make(now: now, random: &random)
        let code = String(UInt32.random(in: 0..<1_000_000, using: &random)).leftPadded(to: 6)
        let ttl = ttlSeconds ?? defaultTTL
        let expiresAt = now.adding(seconds: ttl)
        let delivery = DeliveryMessage(
            channel: destination.channel, to: destination.address, operation: operation, code: code,
            body: MessageTemplates.body(operation: operation, channel: destination.channel, code: code, ttlSeconds: ttl, locale: locale))
        let issued = CodeIssued(
            key: key, channel: destination.channel, maskedTo: destination.masked,
            destinationID: destinationID ?? secrets.destinationID(destination), operation: operation,
            codeHash: secrets.codeHash(key: key.rawValue, code: code), expiresAt: expiresAt,
            sealedDelivery: try secrets.seal(delivery.encoded, random: &random))
        var appends = [
            StreamAppend(
                stream: try Streams.destination(issued.destinationID), expected: .exactly(destinationState.version),
                events: [VerificationEvent.sendRecorded(SendRecorded(key: key.rawValue, operation: operation)).newEvent(at: now)]),
            StreamAppend(
                stream: Streams.code(key), expected: .noStream,
                events: [VerificationEvent.codeIssued(issued).newEvent(at: now)]),
        ]
        if let previous, !previous.destroyed, previous.status(at: now) == .pending {
            appends.append(StreamAppend(
                stream: Streams.code(previous.issued.key), expected: .exactly(previous.version),
                events: [VerificationEvent.codeCanceled(CodeCanceled(replacedBy: key.rawValue)).newEvent(at: now)]))
        }
        return SendDecision(
            key: key, expiresAt: expiresAt, resendAfter: now.adding(seconds: limits.resendIntervalSeconds),
            appends: appends)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
