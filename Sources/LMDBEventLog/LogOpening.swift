import EventSourcing
import LMDB

/// Reads what a log needs at start-up: format, dictionaries, head and Merkle frontier.
enum LogOpening {
    static func load(
        environment: Environment, databases: LogDatabases, dictionaries: DictionaryRegistry, writeFormat: Bool
    ) throws -> WriterState {
        if writeFormat {
            try environment.write { txn in
                if let raw = try txn.get(databases.meta, key: MetaKey.format) {
                    guard BigEndian.uint32(raw) == LMDBEventLog.formatVersion else {
                        throw EventLogError(.corrupt, "unsupported log format \(BigEndian.uint32(raw) ?? 0)")
                    }
                } else {
                    try txn.put(databases.meta, key: MetaKey.format, value: BigEndian.bytes(LMDBEventLog.formatVersion))
                }
            }
        }
        return try environment.read { txn in
            var state = WriterState()
            let current = try txn.get(databases.meta, key: MetaKey.dictionary).flatMap { BigEndian.uint32($0) } ?? 0
            try txn.withCursor(databases.dictionaries) { cursor in
                var entry = try cursor.move(.first)
                while let (key, value) = entry {
                    guard let id = BigEndian.uint32(key) else { throw EventLogError(.corrupt, "bad dictionary key") }
                    try dictionaries.register(id: id, bytes: Array(value), current: id == current)
                    state.highestDictionaryID = max(state.highestDictionaryID, id)
                    entry = try cursor.move(.next)
                }
            }
            state.dictionaryID = current
            guard let rawHead = try txn.get(databases.meta, key: MetaKey.head) else { return state }
            let head = try HeadFormat.decode(rawHead)
            let rawFrontier = try txn.get(databases.meta, key: MetaKey.frontier) ?? UnsafeRawBufferPointer(start: nil, count: 0)
            var subtrees: [MerkleHash] = []
            var offset = 0
            while offset + 32 <= rawFrontier.count {
                subtrees.append(MerkleHash(bytes: UnsafeRawBufferPointer(rebasing: rawFrontier[offset..<offset + 32]))!)
                offset += 32
            }
            guard let frontier = MerkleFrontier(size: head.size, subtrees: subtrees), frontier.root == head.root else {
                throw EventLogError(.corrupt, "the stored Merkle frontier does not match the head")
            }
            state.frontier = frontier
            state.lastTimestamp = head.timestamp
            return state
        }
    }
}
