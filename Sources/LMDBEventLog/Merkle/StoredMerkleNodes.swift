import EventSourcing
import LMDB

/// Merkle nodes as the LMDB log keeps them, read inside one transaction: levels >= 4
/// from `merkle`, lower ones recomputed from at most 16 records.
struct StoredMerkleNodes: MerkleNodeSource {
    let txn: Transaction
    let databases: LogDatabases

    func node(level: Int, index: UInt64) throws -> MerkleHash {
        if level >= MerkleNodeLayout.storedLevel {
            let (key, offset) = MerkleNodeLayout.location(level: level, index: index)
            guard let value = try txn.get(databases.merkle, key: BigEndian.bytes(key)), value.count >= offset + 32,
                let hash = MerkleHash(bytes: UnsafeRawBufferPointer(rebasing: value[offset..<offset + 32]))
            else { throw EventLogError(.corrupt, "Merkle node \(level)/\(index) is missing") }
            return hash
        }
        if level == 0 { return try leaf(index) }
        return .node(try node(level: level - 1, index: index * 2), try node(level: level - 1, index: index * 2 + 1))
    }

    /// The leaf hash of record `index` (position index + 1).
    func leaf(_ index: UInt64) throws -> MerkleHash {
        guard let record = try txn.get(databases.log, key: BigEndian.bytes(index + 1)) else {
            throw EventLogError(.corrupt, "record \(index + 1) is missing")
        }
        return .leaf(record)
    }
}
