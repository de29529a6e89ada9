/// Events for one stream, with the version the appender expects it to be at.
public struct StreamAppend: Hashable, Sendable {
    public var stream: StreamID
    public var expected: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: StreamID, expected: ExpectedVersion, events: [NewEvent]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}

extension StreamAppend {
    /// The same append with `metadata` on every event (a decision's events get the request's
    /// correlation id, actor and idempotency key).
    public func stamped(_ metadata: EventMetadata) -> StreamAppend {
        var copy = self
        copy.events = events.map { var event = $0; event.metadata = metadata; return event }
        return copy
    }
}

/// The result a command stores under its idempotency key, in the same transaction as its events.
public struct IdempotencyRecord: Hashable, Sendable {
    /// The scoped key (the caller decides the scope, for example route + client key).
    public var key: String
    /// What a retry gets back instead of running the command again (opaque to the log).
    public var result: [UInt8]
    /// When the answer was given: keys are kept at least a day after it, then pruned.
    public var storedAt: Timestamp

    public init(key: String, result: [UInt8], storedAt: Timestamp) {
        self.key = key
        self.result = result
        self.storedAt = storedAt
    }

    /// The idempotency closure of a command whose stored record does not depend on its
    /// answer (the commands that answer 204): nil without a record.
    public static func constant(_ record: IdempotencyRecord?) -> (@Sendable (()) throws -> IdempotencyRecord)? {
        guard let record else { return nil }
        return { _ in record }
    }
}

/// One atomic append: every stream's events land together, in order, or none do.
public struct AppendRequest: Hashable, Sendable {
    public var appends: [StreamAppend]
    public var idempotency: IdempotencyRecord?

    public init(_ appends: [StreamAppend], idempotency: IdempotencyRecord? = nil) {
        self.appends = appends
        self.idempotency = idempotency
    }

    /// A request for a single stream.
    public init(stream: StreamID, expected: ExpectedVersion, events: [NewEvent], idempotency: IdempotencyRecord? = nil) {
        self.init([StreamAppend(stream: stream, expected: expected, events: events)], idempotency: idempotency)
    }

    /// The number of events in the request.
    public var eventCount: Int { appends.reduce(0) { $0 + $1.events.count } }
}
