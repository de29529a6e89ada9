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
    let index: StreamIndex
    /// Whether this commit folds the stream index overlay into the `streams` database.
    let flushesIndex: Bool
    var state: WriterState
    private(set) var results: [Result] = []
    private(set) var events: [RecordedEvent] = []
    /// Streams this commit appended to, as it leaves them.
    private(set) var changedStreams: [StreamID: StreamEntry] = [:]
    /// Entries looked up during this commit (committed state plus its own changes).
    private var streamEntries: [StreamID: StreamEntry] = [:]
    private var idempotencyResults: [String: [UInt8]] = [:]

    init(txn: Transaction, databases: LogDatabases, index: StreamIndex, flushesIndex: Bool, state: WriterState) {
        self.txn = txn
        self.databases = databases
        self.index = index
        self.flushesIndex = flushesIndex
        self.state = state
    }

    /// Applies `ops` in order, then (when due) the stream index, then the head. Throws
    /// for storage failures (the whole transaction is then aborted); request-level
    /// failures are results.
    mutating func run(_ ops: [WriterOp]) throws {
        results.reserveCapacity(ops.count)
        for op in ops {
            switch op {
            case .append(let prepared, _): results.append(try append(prepared))
            case .saveCheckpoint(let checkpoint, _): results.append(try save(checkpoint))
            case .installDictionary(let bytes, _): results.append(try install(bytes))
            }
        }
        if flushesIndex { try flushIndex() }
        try writeHead()
    }

    private mutating func append(_ prepared: PreparedAppend) throws -> Result {
        let request = prepared.request
        if let key = request.idempotency?.key, let stored = try storedResult(key) { return .duplicate(stored) }
        let planned: [(stream: StreamID, version: StreamVersion, event: NewEvent)]
        do {
            planned = try request.assignVersions { try entry(for: $0).version }
        } catch let error as EventLogError {
            return .failed(error)
        }
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(planned.count)
        var node = MerkleNodeLayout.Group()
        for (item, preparedEvent) in zip(planned, prepared.events) {
            let position = state.nextPosition
            let previous = try entry(for: item.stream)
            let record = RecordFormat.record(
                dictionaryID: preparedEvent.dictionaryID, streamVersion: item.version,
                previousDistance: previous.version == 0 ? 0 : position - previous.lastPosition, frame: preparedEvent.frame)
            try txn.put(databases.log, key: BigEndian.bytes(position), value: record, flags: .append)
            node.hashes.removeAll(keepingCapacity: true)
            state.frontier.append(.leaf(record)) { level, index, hash in node.add(level: level, index: index, hash: hash) }
            if !node.hashes.isEmpty {
                try txn.put(databases.merkle, key: BigEndian.bytes(node.key), value: node.hashes, flags: .append)
            }
            let entry = StreamEntry(version: item.version, lastPosition: position)
            streamEntries[item.stream] = entry
            changedStreams[item.stream] = entry
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

    /// The stream as committed plus this commit's earlier events.
    private mutating func entry(for stream: StreamID) throws -> StreamEntry {
        if let cached = streamEntries[stream] { return cached }
        let stored = try index.entry(for: stream, txn: txn)
        streamEntries[stream] = stored
        return stored
    }

    /// Writes the overlay and this commit's changes into `streams`, in key order
    /// (neighbouring streams share pages), and records the position they cover.
    private func flushIndex() throws {
        for (stream, entry) in index.pendingEntries(merging: changedStreams) {
            var name = stream.rawValue
            let value = entry.bytes
            try name.withUTF8 { key in
                try value.withUnsafeBytes { try txn.put(databases.streams, key: UnsafeRawBufferPointer(key), value: $0) }
            }
        }
        try txn.put(databases.meta, key: MetaKey.streamsPosition, value: BigEndian.bytes(state.frontier.size))
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

    /// The result stored under idempotency `key` in `txn`.
    static func storedResult(_ key: String, txn: Transaction, databases: LogDatabases) throws -> [UInt8]? {
        guard let value = try txn.get(databases.idempotency, key: Array(key.utf8)), value.count >= 8 else { return nil }
        return Array(value[8...])
    }
}
