/// A node source over every leaf hash in memory (the in-memory log, tests).
public struct LeafHashes: MerkleNodeSource, Sendable {
    public var leaves: [MerkleHash]

    public init(_ leaves: [MerkleHash] = []) { self.leaves = leaves }

    public func node(level: Int, index: UInt64) throws -> MerkleHash {
        let start = Int(index) << level
        let end = start + (1 << level)
        guard end <= leaves.count else { throw MerkleProofError.outOfRange }
        if level == 0 { return leaves[start] }
        return .node(try node(level: level - 1, index: index * 2), try node(level: level - 1, index: index * 2 + 1))
    }
}
