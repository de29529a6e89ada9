/// The right edge of an RFC 6962 Merkle tree: enough to append leaves and compute the root.
///
/// Holds one complete-subtree hash per set bit of `size` (at most 64), largest first.
/// Appending a leaf merges equal-sized subtrees like a binary counter carrying, and
/// reports each completed subtree so a store can keep the nodes it wants.
///
/// ```swift
/// var frontier = MerkleFrontier()
/// frontier.append(.leaf(record)) { level, index, hash in store(level, index, hash) }
/// let root = frontier.root
/// ```
public struct MerkleFrontier: Hashable, Sendable {
    /// The number of leaves.
    public private(set) var size: UInt64
    /// Roots of the complete subtrees, from the largest (leftmost) to the smallest.
    public private(set) var subtrees: [MerkleHash]

    public init() {
        size = 0
        subtrees = []
    }

    /// Rebuilds a frontier from its subtree roots (largest first); nil when the count does not match `size`.
    public init?(size: UInt64, subtrees: [MerkleHash]) {
        guard size.nonzeroBitCount == subtrees.count else { return nil }
        self.size = size
        self.subtrees = subtrees
    }

    /// Appends a leaf. `completed(level, index, hash)` is called for the leaf (level 0)
    /// and for every subtree it completes: the node covering leaves
    /// `[index << level, (index + 1) << level)`.
    public mutating func append(_ leaf: MerkleHash, completed: (_ level: Int, _ index: UInt64, _ hash: MerkleHash) -> Void = { _, _, _ in }) {
        var hash = leaf
        var level = 0
        var index = size
        completed(0, index, hash)
        // Each trailing one bit of the old size is a subtree of that level to merge with.
        var bits = size
        while bits & 1 == 1 {
            hash = .node(subtrees.removeLast(), hash)
            level += 1
            index >>= 1
            completed(level, index, hash)
            bits >>= 1
        }
        subtrees.append(hash)
        size += 1
    }

    /// The Merkle tree hash of all leaves so far (RFC 6962 MTH).
    public var root: MerkleHash {
        guard var hash = subtrees.last else { return .empty }
        for left in subtrees.dropLast().reversed() { hash = .node(left, hash) }
        return hash
    }
}
