import EventSourcing

/// Where the log keeps Merkle tree nodes, so proofs need few reads.
///
/// Nodes of level 4 and up (subtrees of 16 leaves or more) are stored; lower nodes
/// are recomputed from at most 16 records. A leaf that completes a level-4 subtree
/// (leaf 16k+15) completes it and possibly higher ones at once, so they are stored
/// together: key BE UInt64 `k`, value the 32-byte hashes of the nodes it completed,
/// level 4 first. The value holds 1 + (trailing one bits of k) hashes, and keys only
/// grow, so the database is written with `MDB_APPEND` into full pages.
enum MerkleNodeLayout {
    /// The lowest stored level.
    static let storedLevel = 4

    /// The key and byte offset of node (`level`, `index`), for `level >= storedLevel`.
    static func location(level: Int, index: UInt64) -> (key: UInt64, offset: Int) {
        precondition(level >= storedLevel)
        let key = ((index + 1) << UInt64(level - storedLevel)) - 1
        return (key, (level - storedLevel) * 32)
    }

    /// Collects the nodes one leaf completes into the group to store, if any.
    struct Group {
        var key: UInt64 = 0
        var hashes: [UInt8] = []

        mutating func add(level: Int, index: UInt64, hash: MerkleHash) {
            guard level >= storedLevel else { return }
            if level == storedLevel {
                key = index
                hashes.removeAll(keepingCapacity: true)
            }
            hash.withUnsafeBytes { hashes.append(contentsOf: $0) }
        }
    }
}
