import Crypto

/// RFC 6962 section 2.1's Merkle tree hash, written straight from the recursive
/// definition with no shortcuts: the oracle tests compare the log's tree against.
public func referenceMTH(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
    if leaves.isEmpty { return Array(SHA256.hash(data: [UInt8]())) }
    if leaves.count == 1 { return Array(SHA256.hash(data: [0] + leaves.first!)) }
    var k = 1
    while k * 2 < leaves.count { k *= 2 }
    let start = leaves.startIndex
    return Array(SHA256.hash(data: [1] + referenceMTH(leaves[start..<start + k]) + referenceMTH(leaves[(start + k)...])))
}
