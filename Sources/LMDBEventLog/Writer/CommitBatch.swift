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
        case dictionaryInstalled(id: UInt32, bytes: [UInt8])
        case pruned(Int)
        /// Done, with nothing to answer: a probe, or a dropped stored checkpoint.
        case probed
    }

    let txn: Transaction
    let databases: LogDatabases
    let index: StreamIndex
    /// The part of a stream index fold this commit writes into the `streams` database.
    let foldChunk: StreamIndex.FoldChunk?
    var state: WriterState
    private(set) var results: [Result] = []
    private(set) var events: [RecordedEvent] = []
    /// What this commit knows of one stream.
    private struct Slot {
        /// Committed state plus this commit's earlier requests.
        var entry: StreamEntry
        /// Whether this commit appended to it.
        var changed = false
        /// The request that last checked it, and the version that request will leave it at.
        var request = -1
        var pending: StreamVersion = 0
    }

    /// Every stream this commit looked at.
    private var streams: [StreamID: Slot] = [:]
    private var requestSerial = 0
    private var idempotencyResults: [String: [UInt8]] = [:]

    init(txn: Transaction, databases: LogDatabases, index: StreamIndex, foldChunk: StreamIndex.FoldChunk?, state: WriterState) {
        self.txn = txn
        self.databases = databases
        self.index = index
        self.foldChunk = foldChunk
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
            case .installDictionary(let bytes, _): results.append(try install(bytes))
            case .pruneIdempotency(let time, let limit, _): results.append(.pruned(try pruneIdempotency(before: time, limit: limit)))
            case .probe: results.append(try probe())
            case .dropStoredCheckpoint(let name, _):
                _ = try txn.delete(databases.checkpoints, key: Array(name.utf8))
                results.append(.probed)  // a page written and synced, nothing to answer, like a probe
            }
        }
        if let foldChunk { try write(foldChunk) }
        // Only a commit that appended moves the head: a commit of a prune or a
        // dictionary (possibly from another process, such as `logbook dict train`) must not
        // write this process's view of the head over a newer one.
        if !events.isEmpty { try writeHead() }
    }

    /// Whether this commit wrote anything. LMDB commits a transaction that changed nothing
    /// without writing a page, so such a commit (only duplicates, conflicts or an empty prune)
    /// says nothing about whether the storage accepts writes.
    var wroteAnything: Bool {
        guard events.isEmpty, foldChunk == nil else { return true }
        return results.contains { result in
            switch result {
            case .appended(let events): !events.isEmpty
            case .duplicate, .failed, .pruned(0): false
            case .dictionaryInstalled, .pruned, .probed: true
            }
        }
    }

    /// Streams this commit appended to, as it leaves them.
    var changedStreams: [StreamID: StreamEntry] {
        streams.compactMapValues { $0.changed ? $0.entry : nil }
    }

    /// Calls `body` with each stream this commit appended to (no intermediate dictionary).
    func forEachChangedStream(_ body: (StreamID, StreamEntry) -> Void) {
        for (stream, value) in streams where value.changed { body(stream, value.entry) }
    }

    private mutating func append(_ prepared: PreparedAppend) throws -> Result {
        let request = prepared.request
        if let key = request.idempotency?.key, let stored = try storedResult(key) { return .duplicate(stored) }
        requestSerial += 1
        // First pass: every expectation holds, or nothing is written. A stream named twice
        // in one request is checked against the version the request leaves it at so far.
        for append in request.appends {
            let index = try slotIndex(for: append.stream)
            var slot = streams.values[index]
            let current = slot.request == requestSerial ? slot.pending : slot.entry.version
            guard append.expected.isSatisfied(by: current) else {
                return .failed(EventLogError.wrongExpectedVersion(append.stream, expected: append.expected, actual: current))
            }
            slot.request = requestSerial
            slot.pending = current + StreamVersion(append.events.count)
            streams.values[index] = slot
        }
        // Second pass: write.
        var recorded: [RecordedEvent] = []
        recorded.reserveCapacity(prepared.frames.count)
        var node = MerkleNodeLayout.Group()
        var frameIndex = 0
        for append in request.appends {
            guard let index = streams.index(forKey: append.stream) else { continue }
            var previous = streams.values[index].entry
            for event in append.events {
                let position = state.nextPosition
                let version = previous.version + 1
                let header = RecordFormat.HeaderBytes(
                    dictionaryID: prepared.frames.dictionaryIDs[frameIndex], streamVersion: version,
                    previousDistance: previous.version == 0 ? 0 : position - previous.lastPosition)
                let leaf = try storeRecord(at: position, header: header, frame: prepared.frames.range(frameIndex), of: prepared)
                frameIndex += 1
                node.hashes.removeAll(keepingCapacity: true)
                state.frontier.append(leaf) { level, index, hash in node.add(level: level, index: index, hash: hash) }
                if !node.hashes.isEmpty {
                    try txn.put(databases.merkle, key: BigEndian.bytes(node.key), value: node.hashes, flags: .append)
                }
                previous = StreamEntry(version: version, lastPosition: position)
                state.lastTimestamp = event.timestamp
                recorded.append(RecordedEvent(
                    position: position, stream: append.stream, version: version, type: event.type,
                    payload: event.payload, timestamp: event.timestamp, metadata: event.metadata))
            }
            streams.values[index].entry = previous
            streams.values[index].changed = true
        }
        if let idempotency = request.idempotency {
            var value = BigEndian.bytes(recorded.last?.position ?? 0)
            value.append(contentsOf: idempotency.result)
            try txn.put(databases.idempotency, key: Array(idempotency.key.utf8), value: value)
            try txn.put(databases.idempotencyTimes, key: Self.timeKey(idempotency.storedAt, idempotency.key), value: [])
            idempotencyResults[idempotency.key] = idempotency.result
        }
        events.append(contentsOf: recorded)
        return .appended(recorded)
    }

    /// Writes a record (header, then frame) straight into the page LMDB reserves under
    /// `position`, and returns its Merkle leaf hash, computed from the stored bytes.
    private func storeRecord(
        at position: LogPosition, header: RecordFormat.HeaderBytes, frame: Range<Int>, of prepared: PreparedAppend
    ) throws -> MerkleHash {
        var key = position.bigEndian
        return try withUnsafeBytes(of: &key) { key in
            try txn.put(databases.log, key: key, reserving: header.count + frame.count, flags: .append) { record in
                header.write(to: record)
                prepared.frames.bytes.withUnsafeBytes { bytes in
                    UnsafeMutableRawBufferPointer(rebasing: record[header.count...])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[frame]))
                }
                return MerkleHash.leaf(UnsafeRawBufferPointer(record))
            }
        }
    }

    /// The stream's slot, loaded from the index (committed state and overlay) on first use.
    private mutating func slotIndex(for stream: StreamID) throws -> Dictionary<StreamID, Slot>.Index {
        if let index = streams.index(forKey: stream) { return index }
        streams[stream] = Slot(entry: try index.entry(for: stream, txn: txn))
        guard let index = streams.index(forKey: stream) else { throw EventLogError(.storageFailure, "internal: no slot for \(stream)") }
        return index
    }

    /// Writes a chunk of a stream index fold into `streams` (sorted: neighbouring streams
    /// share pages) and, with the last chunk, the position the database now reflects.
    private func write(_ chunk: StreamIndex.FoldChunk) throws {
        for (stream, entry) in chunk.entries {
            var name = stream.rawValue
            let value = entry.bytes
            try name.withUTF8 { key in
                try value.withUnsafeBytes { try txn.put(databases.streams, key: UnsafeRawBufferPointer(key), value: $0) }
            }
        }
        if let through = chunk.completes {
            try txn.put(databases.meta, key: MetaKey.streamsPosition, value: BigEndian.bytes(through))
        }
    }

    private func storedResult(_ key: String) throws -> [UInt8]? {
        if let result = idempotencyResults[key] { return result }
        return try Self.storedResult(key, txn: txn, databases: databases)
    }

    /// Rewrites `meta/format` with the value it holds: the page is written and synced,
    /// the content stays the same.
    private mutating func probe() throws -> Result {
        try txn.put(databases.meta, key: MetaKey.format, value: BigEndian.bytes(LMDBEventLog.formatVersion))
        return .probed
    }

    private mutating func install(_ bytes: [UInt8]) throws -> Result {
        // The highest id in the database, not in memory: another process may have added one.
        let stored = try txn.withCursor(databases.dictionaries) { cursor in
            try cursor.move(.last).flatMap { BigEndian.uint32($0.key) } ?? 0
        }
        let id = max(state.highestDictionaryID, stored) + 1
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

    /// Deletes the oldest idempotency keys stored before `time`, at most `limit`.
    private func pruneIdempotency(before time: Timestamp, limit: Int) throws -> Int {
        var doomed: [[UInt8]] = []
        try txn.withCursor(databases.idempotencyTimes) { cursor in
            var entry = try cursor.move(.first)
            while let current = entry, doomed.count < limit {
                guard current.key.count >= 8, Int64(bitPattern: BigEndian.uint64(current.key) ?? 0) < time.millisecondsSince1970 else { break }
                doomed.append(Array(current.key))
                entry = try cursor.move(.next)
            }
        }
        for timeKey in doomed {
            _ = try txn.delete(databases.idempotency, key: Array(timeKey[8...]))
            _ = try txn.delete(databases.idempotencyTimes, key: timeKey)
        }
        return doomed.count
    }

    /// The `idempotency-times` key of `key` stored at `time`.
    static func timeKey(_ time: Timestamp, _ key: String) -> [UInt8] {
        BigEndian.bytes(UInt64(bitPattern: time.millisecondsSince1970)) + Array(key.utf8)
    }

    // MARK: Reads shared with the log's read path

    /// The result stored under idempotency `key` in `txn`.
    static func storedResult(_ key: String, txn: Transaction, databases: LogDatabases) throws -> [UInt8]? {
        guard let value = try txn.get(databases.idempotency, key: Array(key.utf8)), value.count >= 8 else { return nil }
        return Array(value[8...])
    }
}
