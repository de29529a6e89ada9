/// Where proofs get subtree hashes: the hash of the complete subtree of `2^level` leaves
/// starting at leaf `index << level`.
public protocol MerkleNodeSource {
    func node(level: Int, index: UInt64) throws -> MerkleHash
}

/// RFC 6962 audit paths and consistency proofs (section 2.1.1 and 2.1.2), and their
/// verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2). Sizes and indexes are leaf counts
/// and 0-based leaf numbers: the event at log position p is leaf p - 1.
public enum MerkleProofs {
    /// PATH(m, D[n]): the audit path of leaf `index` in the tree of the first `size` leaves.
    public static func inclusion(index: UInt64, size: UInt64, source: some MerkleNodeSource) throws -> [MerkleHash] {
        guard index < size else { throw MerkleProofError.outOfRange }
        return try path(index, 0, size, source)
    }

    /// PROOF(m, D[n]): that the tree of `from` leaves is a prefix of the tree of `to` leaves.
    public static func consistency(from: UInt64, to: UInt64, source: some MerkleNodeSource) throws -> [MerkleHash] {
        guard from <= to else { throw MerkleProofError.outOfRange }
        guard from > 0, from < to else { return [] }
        return try subproof(from, 0, to, true, source)
    }

    /// MTH of leaves `[start, end)`: stored complete subtrees, combined as RFC 6962 splits.
    public static func hash(_ start: UInt64, _ end: UInt64, _ source: some MerkleNodeSource) throws -> MerkleHash {
        let count = end - start
        if count == 0 { return .empty }
        if count.nonzeroBitCount == 1 && start % count == 0 {
            return try source.node(level: count.trailingZeroBitCount, index: start / count)
        }
        let k = largestPowerOfTwo(below: count)
        return .node(try hash(start, start + k, source), try hash(start + k, end, source))
    }

    private static func path(_ m: UInt64, _ lo: UInt64, _ hi: UInt64, _ source: some MerkleNodeSource) throws -> [MerkleHash] {
        let n = hi - lo
        if n == 1 { return [] }
        let k = largestPowerOfTwo(below: n)
        if m < k { return try path(m, lo, lo + k, source) + [hash(lo + k, hi, source)] }
        return try path(m - k, lo + k, hi, source) + [hash(lo, lo + k, source)]
    }

    private static func subproof(
        _ m: UInt64, _ lo: UInt64, _ hi: UInt64, _ complete: Bool, _ source: some MerkleNodeSource
    ) throws -> [MerkleHash] {
        let n = hi - lo
        if m == n { return complete ? [] : [try hash(lo, hi, source)] }
        let k = largestPowerOfTwo(below: n)
        if m <= k { return try subproof(m, lo, lo + k, complete, source) + [hash(lo + k, hi, source)] }
        return try subproof(m - k, lo + k, hi, false, source) + [hash(lo, lo + k, source)]
    }

    /// The largest power of two strictly below `n` (n > 1).
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
    }

    // MARK: Verification (RFC 9162)

    /// Whether `proof` shows leaf `index` with hash `leaf` is in the tree of `size` leaves with `root`.
    public static func verifyInclusion(
        leaf: MerkleHash, index: UInt64, size: UInt64, proof: [MerkleHash], root: MerkleHash
    ) -> Bool {
        guard index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leaf
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = .node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = .node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows the tree of `from` leaves with `first` is a prefix of the tree
    /// of `to` leaves with `second`.
    public static func verifyConsistency(
        from: UInt64, to: UInt64, first: MerkleHash, second: MerkleHash, proof: [MerkleHash]
    ) -> Bool {
        if from == to { return proof.isEmpty && first == second }
        if from == 0 { return proof.isEmpty }
        guard from < to, !proof.isEmpty else { return false }
        var path = proof
        if from.nonzeroBitCount == 1 { path.insert(first, at: 0) }
        var fn = from - 1
        var sn = to - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = .node(c, fr)
                sr = .node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = .node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == first && sr == second
    }
}

/// A proof was asked for sizes or indexes the log does not have.
public enum MerkleProofError: Error, Hashable, Sendable {
    case outOfRange
}
