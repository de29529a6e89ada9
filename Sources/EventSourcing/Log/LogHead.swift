/// The state of the whole log: how many events, and the Merkle root over them.
public struct LogHead: Hashable, Sendable {
    /// The number of events (equal to the last position).
    public var size: UInt64
    /// The RFC 6962 Merkle tree hash over the records (`MerkleHash.empty` when size is 0).
    public var root: MerkleHash
    /// The event time of the last event (nil for an empty log).
    public var timestamp: Timestamp?

    public init(size: UInt64, root: MerkleHash, timestamp: Timestamp?) {
        self.size = size
        self.root = root
        self.timestamp = timestamp
    }

    public static let empty = LogHead(size: 0, root: .empty, timestamp: nil)
}
