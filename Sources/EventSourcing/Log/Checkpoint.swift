/// A read model's snapshot together with the log position it covers.
public struct Checkpoint: Hashable, Sendable {
    /// The projection's name.
    public var name: String
    /// The projection's snapshot format version; a checkpoint of another version is ignored.
    public var formatVersion: UInt32
    /// The last position applied to the snapshot.
    public var position: LogPosition
    /// The projection's canonical snapshot bytes.
    public var snapshot: [UInt8]

    public init(name: String, formatVersion: UInt32, position: LogPosition, snapshot: [UInt8]) {
        self.name = name
        self.formatVersion = formatVersion
        self.position = position
        self.snapshot = snapshot
    }
}
