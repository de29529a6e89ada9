extension AppendRequest {
    /// The largest event type string, in UTF-8 bytes.
    public static let maxTypeLength = 255
    /// The largest idempotency key, in UTF-8 bytes (an LMDB key holds 511).
    public static let maxIdempotencyKeyLength = 400

    /// Throws `invalidRequest` for what no log may store.
    public func validate() throws(EventLogError) {
        for append in appends {
            for event in append.events where event.type.utf8.isEmpty || event.type.utf8.count > Self.maxTypeLength {
                throw EventLogError(.invalidRequest, "event type must be 1-\(Self.maxTypeLength) bytes")
            }
        }
        if let key = idempotency?.key, key.utf8.isEmpty || key.utf8.count > Self.maxIdempotencyKeyLength {
            throw EventLogError(.invalidRequest, "idempotency key must be 1-\(Self.maxIdempotencyKeyLength) bytes")
        }
    }

    /// Checks every stream's expectation against `currentVersion` (the committed
    /// state plus earlier requests in the same commit) and returns each event with
    /// the version it gets, in request order.
    public func assignVersions(
        currentVersion: (StreamID) throws -> StreamVersion
    ) throws -> [(stream: StreamID, version: StreamVersion, event: NewEvent)] {
        var running: [StreamID: StreamVersion] = [:]
        var out: [(stream: StreamID, version: StreamVersion, event: NewEvent)] = []
        out.reserveCapacity(eventCount)
        for append in appends {
            let current = try running[append.stream] ?? currentVersion(append.stream)
            guard append.expected.isSatisfied(by: current) else {
                throw EventLogError.wrongExpectedVersion(append.stream, expected: append.expected, actual: current)
            }
            var version = current
            for event in append.events {
                version += 1
                out.append((append.stream, version, event))
            }
            running[append.stream] = version
        }
        return out
    }
}
