/// An event as the log holds it: a `NewEvent` plus where it landed.
public struct RecordedEvent: Hashable, Sendable {
    /// Position in the global log (1-based, gapless).
    public var position: LogPosition
    public var stream: StreamID
    /// Version within `stream` (1-based, gapless).
    public var version: StreamVersion
    public var type: String
    public var payload: [UInt8]
    public var timestamp: Timestamp
    public var metadata: EventMetadata

    public init(
        position: LogPosition, stream: StreamID, version: StreamVersion, type: String,
        payload: [UInt8], timestamp: Timestamp, metadata: EventMetadata
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.type = type
        self.payload = payload
        self.timestamp = timestamp
        self.metadata = metadata
    }
}
