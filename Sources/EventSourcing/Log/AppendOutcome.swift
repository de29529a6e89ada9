/// What an append did.
public enum AppendOutcome: Hashable, Sendable {
    /// The events are durable at these positions; `head` is the log right after them.
    case appended(events: [RecordedEvent], head: LogHead)
    /// The idempotency key was already used: nothing was appended, here is the stored result.
    case duplicate(storedResult: [UInt8])

    /// The recorded events (none for a duplicate).
    public var events: [RecordedEvent] {
        if case .appended(let events, _) = self { return events }
        return []
    }
}
