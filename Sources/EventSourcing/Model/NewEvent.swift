/// An event a decision produced, not yet in the log.
public struct NewEvent: Hashable, Sendable {
    /// The stable type string, for example `verification.code-issued.v1`: the storage
    /// format's name for this event, never derived from a Swift type name.
    public var type: String
    /// The encoded event data (the domain chooses the encoding).
    public var payload: [UInt8]
    /// Event time: the `now` the decision was made with.
    public var timestamp: Timestamp
    public var metadata: EventMetadata

    public init(type: String, payload: [UInt8], timestamp: Timestamp, metadata: EventMetadata = .none) {
        self.type = type
        self.payload = payload
        self.timestamp = timestamp
        self.metadata = metadata
    }
}
