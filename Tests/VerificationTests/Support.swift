import EventFixtures
import EventSourcing
import Testing
import Verification

let secrets = CodeSecrets(secret: Array(repeating: 7, count: 32))
let t0 = Timestamp(millisecondsSince1970: 1_795_000_000_000)

/// A read model fed the way the log would feed it, without a log.
struct World {
    var model = VerificationsReadModel()
    var position: LogPosition = 0
    var versions: [StreamID: StreamVersion] = [:]
    var recorded: [RecordedEvent] = []

    mutating func apply(_ appends: [StreamAppend]) {
        for append in appends {
            for event in append.events {
                position += 1
                let version = (versions[append.stream] ?? 0) + 1
                versions[append.stream] = version
                let recordedEvent = RecordedEvent(
                    position: position, stream: append.stream, version: version, type: event.type,
                    payload: event.payload, timestamp: event.timestamp, metadata: event.metadata)
                recorded.append(recordedEvent)
                do { try model.apply(recordedEvent) } catch { Issue.record(error, "apply \(recordedEvent.type)") }
            }
        }
    }

    mutating func apply(_ event: VerificationEvent, key: EntityID, at time: Timestamp) {
        apply([StreamAppend(stream: Streams.code(key), expected: .any, events: [event.newEvent(at: time)])])
    }

    /// Sends a code and returns the decision and the plaintext code (opened from the sealed delivery).
    mutating func send(
        _ to: String = "+8613712345678", channel: String = "sms", operation: String = "register", ttl: Int64? = nil,
        at time: Timestamp = t0, limits: SendDecision.Limits = .init(), locale: MessageLocale = .default, seed: UInt64 = 1
    ) throws -> (SendDecision, String) {
        let destination = try SendDecision.validate(channel: channel, to: to, operation: operation, ttlSeconds: ttl)
        let id = secrets.destinationID(destination)
        var random = SplitMix64(seed: seed &+ UInt64(time.millisecondsSince1970))
        let decision = try SendDecision.decide(
            destination: destination, operation: operation, ttlSeconds: ttl,
            destinationState: model.destination(id), replacing: model.latestCode(destinationID: id, operation: operation),
            limits: limits, secrets: secrets, locale: locale, now: time, random: &random)
        apply(decision.appends)
        let sealed = model.code(decision.key)!.issued.sealedDelivery
        return (decision, try DeliveryMessage(sealed: sealed, secrets: secrets).code)
    }

    /// The sealed message of `key`, opened.
    func message(_ key: EntityID) throws -> DeliveryMessage {
        try DeliveryMessage(sealed: try #require(model.code(key)).issued.sealedDelivery, secrets: secrets)
    }

    mutating func check(_ key: EntityID, _ code: String, at time: Timestamp) throws -> VerificationEvent {
        let event = try CodeDecisions.check(code: code, state: model.code(key), secrets: secrets, now: time)
        apply(event, key: key, at: time)
        return event
    }
}
