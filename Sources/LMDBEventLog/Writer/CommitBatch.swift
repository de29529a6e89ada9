import EventSourcing
import LMDB

/// The work of one write transaction: every queued op, in order, then the new head.
///
/// Runs synchronously inside `Environment.write` on the writer thread; it never
/// awaits. It changes only its copy of `WriterState`, which the writer adopts once
/// the commit is durable.
struct CommitBatch {
    /// What happened to one op.
    enum Result {
        case appended([RecordedEvent])
        case duplicate([UInt8])
        case failed(any Error)
        case checkpointSaved
        case dictionaryInstalled(id: UInt32, bytes: [UInt8])
    }

    let txn: Transaction
    let databases: LogDatabases
    var state: WriterState
    private(set) var results: [Result] = []
    private(set) var events: [RecordedEvent] = []
    private var streamVersions: [StreamID: StreamVersion] = [:]
    private var idempotencyResults: [String: [UInt8]] = [:]

    init(txn: Transaction, databases: LogDatabases, state: WriterState) {
        self.txn = txn
        self.databases = databases
        self.state = state
    }

    /// Applies `ops` in order, then writes the head. Throws for storage failures
    /// (the whole transaction is then aborted); request-level failures are results.
    mutating func run(_ ops: [WriterOp]) throws {
        results.reserveCapacity(ops.count)
        for op in ops {
            switch op {
            case .append(let prepared, _): results.append(try append(prepared))
            case .saveCheckpoint(let checkpoint, _): results.append(try save(checkpoint))
            case .installDictionary(let bytes, _): results.append(try install(bytes))
            }
        }
        try writeHead()
    }

    private mutating func append(_ prepared: PreparedAppend) throws -> Result {
        let request = prepared.request
        if let key = request.idempotency?.key, let stored = try storedResult(key) { return .duplicate(stored) }
        let planned: [(stream: StreamID, version: StreamVersion, event: NewEvent)]
        do {
            planned = try request.assignVersions { try currentVersion($0) }
        } catch let error as EventLogError {
            return .failed(error)
        }
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(planned.count)
        var node = MerkleNodeLayout.Group()
        for (item, preparedEvent) in zip(planned, prepared.prepared.joined()) {
            let position = state.nextPosition
            let record = RecordFormat.record(
                dictionaryID: preparedEvent.dictionaryID, streamVersion: item.version, frame: preparedEvent.frame)
            try txn.put(databases.log, key: BigEndian.bytes(position), value: record, flags: .append)
            var indexValue = BigEndian.bytes(item.version)
            BigEndian.append(position, to: &indexValue)
            try txn.put(databases.streams, key: Array(item.stream.rawValue.utf8), value: indexValue, flags: .appendDup)
            node.hashes.removeAll(keepingCapacity: true)
            state.frontier.append(.leaf(record)) { level, index, hash in node.add(level: level, index: index, hash: hash) }
            if !node.hashes.isEmpty {
                try txn.put(databases.merkle, key: BigEndian.bytes(node.key), value: node.hashes, flags: .append)
            }
            streamVersions[item.stream] = item.version
            state.lastTimestamp = item.event.timestamp
            recorded.append(RecordedEvent(
                position: position, stream: item.stream, version: item.version, type: item.event.type,
                payload: item.event.payload, timestamp: item.event.timestamp, metadata: item.event.metadata))
        }
        if let idempotency = request.idempotency {
            var value = BigEndian.bytes(recorded.last?.position ?? 0)
            value.append(contentsOf: idempotency.result)
            try txn.put(databases.idempotency, key: Array(idempotency.key.utf8), value: value)
            idempotencyResults[idempotency.key] = idempotency.result
        }
        events.append(contentsOf: recorded)
        return .appended(recorded)
    }

    private mutating func currentVersion(_ stream: StreamID) throws -> StreamVersion {
        if let cached = streamVersions[stream] { return cached }
        let version = try Self.storedVersion(of: stream, txn: txn, databases: databases)
        streamVersions[stream] = version
        return version
    }

    private func storedResult(_ key: String) throws -> [UInt8]? {
        if let result = idempotencyResults[key] { return result }
        return try Self.storedResult(key, txn: txn, databases: databases)
    }

    private mutating func save(_ checkpoint: Checkpoint) throws -> Result {
        try txn.put(databases.checkpoints, key: Array(checkpoint.name.utf8), value: try CheckpointFormat.encode(checkpoint))
        return .checkpointSaved
    }

    private mutating func install(_ bytes: [UInt8]) throws -> Result {
        let id = state.highestDictionaryID + 1
        try txn.put(databases.dictionaries, key: BigEndian.bytes(id), value: bytes, flags: .noOverwrite)
        try txn.put(databases.meta, key: MetaKey.dictionary, value: BigEndian.bytes(id))
        state.highestDictionaryID = id
        state.dictionaryID = id
        return .dictionaryInstalled(id: id, bytes: bytes)
    }

    private func writeHead() throws {
        try txn.put(databases.meta, key: MetaKey.head, value: HeadFormat.encode(state.head))
        var frontier = [UInt8]()
        frontier.reserveCapacity(state.frontier.subtrees.count * 32)
        for hash in state.frontier.subtrees { hash.withUnsafeBytes { frontier.append(contentsOf: $0) } }
        try txn.put(databases.meta, key: MetaKey.frontier, value: frontier)
    }

    // MARK: Reads shared with the log's read path

    /// The version of `stream` committed in `txn` (0 when it does not exist).
    static func storedVersion(of stream: StreamID, txn: Transaction, databases: LogDatabases) throws -> StreamVersion {
        let key = Array(stream.rawValue.utf8)
        return try key.withUnsafeBytes { k in
            try txn.withCursor(databases.streams) { cursor in
                guard try cursor.seek(k, .setKey) != nil, let last = try cursor.move(.lastDuplicate) else { return 0 }
                return BigEndian.uint64(last.value) ?? 0
            }
        }
    }

    /// The result stored under idempotency `key` in `txn`.
    static func storedResult(_ key: String, txn: Transaction, databases: LogDatabases) throws -> [UInt8]? {
        guard let value = try txn.get(databases.idempotency, key: Array(key.utf8)), value.count >= 8 else { return nil }
        return Array(value[8...])
    }
}
