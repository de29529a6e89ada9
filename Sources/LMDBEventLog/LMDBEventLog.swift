public import EventSourcing
import Foundation
import LMDB
public import Logging
import Synchronization
import Zstd

/// The durable `EventLog`: one LMDB environment, zstd-compressed records with
/// trained dictionaries, group commit on a writer thread, and an RFC 6962 Merkle
/// tree updated in the same transaction as each append.
///
/// ```swift
/// let log = try LMDBEventLog(directory: "./data/log")
/// let outcome = try await log.append(AppendRequest(stream: "member-1", expected: .noStream, events: [event]))
/// let head = try await log.head()
/// log.close()
/// ```
///
/// The on-disk format is specified in ARCHITECTURE.md.
public final class LMDBEventLog: EventLog, LogHealthReporting {
    /// The on-disk format version this code reads and writes.
    public static let formatVersion: UInt32 = 1

    public let directory: String
    let environment: Environment
    let databases: LogDatabases
    let codec: RecordCodec
    let streamIndex: StreamIndex
    private let writer: LogWriter?
    private let options: LMDBEventLogOptions
    private let logger: Logger
    private let training = Atomic<Bool>(false)
    let checkpointFiles: CheckpointFiles

    /// Opens (creating when needed) the log in `directory`.
    public init(
        directory: String, options: LMDBEventLogOptions = .init(),
        logger: Logger = Logger(label: "logbook.log")
    ) throws {
        if !options.readOnly {
            // Private like the rest of a data directory (the files in it are 0600 too).
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        self.directory = directory
        self.options = options
        self.logger = logger
        checkpointFiles = CheckpointFiles(logDirectory: directory)
        if !options.readOnly { checkpointFiles.removeLeftovers() }
        environment = try Environment(path: directory, options: EnvironmentOptions(
            mapSize: options.initialMapSize, maxDatabases: 16, readOnly: options.readOnly,
            unsafeNoSync: options.unsafeNoSync))
        databases = try LogDatabases(environment: environment)
        let dictionaries = DictionaryRegistry(level: options.compressionLevel)
        codec = RecordCodec(dictionaries: dictionaries)
        let state = try LogOpening.load(environment: environment, databases: databases, dictionaries: dictionaries,
                                        writeFormat: !options.readOnly)
        streamIndex = StreamIndex(
            databases: databases, expectedEntries: Int(min(options.streamIndexFlushInterval, 1 << 20)))
        // A writer needs every stream's version before its first commit, so a record that
        // does not decode stops it here; a read-only process folds the tail in lazily, so
        // an auditor can still open (and verify) a damaged log.
        if !options.readOnly {
            try environment.read { [codec, streamIndex] txn in
                try streamIndex.catchUp(to: state.frontier.size, txn: txn, codec: codec)
            }
            try Self.datePrunableKeys(environment: environment, databases: databases)
        }
        writer = options.readOnly ? nil : LogWriter(
            environment: environment, databases: databases, dictionaries: dictionaries, index: streamIndex,
            state: state, options: options, logger: logger)
    }

    deinit { writer?.close() }

    /// Keys stored before `idempotency-times` existed get this start's time, so they are
    /// pruned a day from now like new ones.
    private static func datePrunableKeys(environment: Environment, databases: LogDatabases) throws {
        let undated: [[UInt8]] = try environment.read { txn in
            guard try txn.withCursor(databases.idempotencyTimes, { try $0.move(.first) }) == nil else { return [] }
            return try txn.withCursor(databases.idempotency) { cursor in
                var keys: [[UInt8]] = []
                var entry = try cursor.move(.first)
                while let current = entry {
                    keys.append(Array(current.key))
                    entry = try cursor.move(.next)
                }
                return keys
            }
        }
        guard !undated.isEmpty else { return }
        let now = UInt64(bitPattern: Int64(Date().timeIntervalSince1970 * 1000))
        try environment.write { txn in
            for key in undated {
                var timeKey = BigEndian.bytes(now)
                timeKey.append(contentsOf: key)
                try txn.put(databases.idempotencyTimes, key: timeKey, value: [])
            }
        }
    }

    /// Finishes queued appends and stops the writer. Appends after this fail with `closed`.
    public func close() { writer?.close() }

    // MARK: EventLog

    public func append(_ request: AppendRequest) async throws -> AppendOutcome {
        guard let writer else { throw EventLogError(.invalidRequest, "the log is open read-only") }
        try request.validate()
        let prepared = try await AppendPreparation(codec: codec).prepare(request)
        let outcome = try await withCheckedThrowingContinuation { continuation in
            writer.submit(.append(prepared, continuation))
        }
        if case .appended(_, let head) = outcome { trainFirstDictionaryIfDue(size: head.size) }
        return outcome
    }

    public func read(from position: LogPosition, limit: Int) async throws -> [RecordedEvent] {
        try events(from: position, limit: limit)
    }

    /// One read transaction and one decoder for the lot (a read per position set up a
    /// decoder each: about 24 us an event for a page of 50).
    public func read(positions: [LogPosition]) async throws -> [RecordedEvent] {
        guard !positions.isEmpty else { return [] }
        return try storageRead { txn in
            var decoder = RecordBatchDecoder(codec: codec)
            return try positions.compactMap { position in
                guard position > 0, let record = try txn.get(databases.log, key: BigEndian.bytes(position)) else { return nil }
                return try decoder.decode(record, position: position)
            }
        }
    }

    public func readStream(_ stream: StreamID, from version: StreamVersion, limit: Int) async throws -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try storageRead { txn in
            let entry = try streamEntry(stream, txn: txn)
            let first = max(version, 1)
            guard entry.version >= first else { return [] }
            let last = first + min(StreamVersion(limit), entry.version - first + 1) - 1
            // Walk the back-pointers from the stream's last event down to `first`
            // (headers only), then decode the wanted range forwards.
            var positions = [LogPosition](repeating: 0, count: Int(last - first + 1))
            var position = entry.lastPosition
            var current = entry.version
            while current >= first {
                guard let record = try txn.get(databases.log, key: BigEndian.bytes(position)) else {
                    throw EventLogError(.corrupt, "stream \(stream) points at missing position \(position)")
                }
                let header = try RecordFormat.header(of: record)
                guard header.streamVersion == current else {
                    throw EventLogError(.corrupt, "stream \(stream) chain broken at position \(position)")
                }
                if current <= last { positions[Int(current - first)] = position }
                if current == first { break }
                position -= header.previousDistance
                current -= 1
            }
            var decoder = RecordBatchDecoder(codec: codec)
            return try positions.map { position in
                guard let record = try txn.get(databases.log, key: BigEndian.bytes(position)) else {
                    throw EventLogError(.corrupt, "stream index names missing position \(position)")
                }
                return try decoder.decode(record, position: position)
            }
        }
    }

    public func version(of stream: StreamID) async throws -> StreamVersion {
        try storageRead { txn in try streamEntry(stream, txn: txn).version }
    }

    public func head() async throws -> LogHead {
        if let writer { return writer.head }
        return try storageRead { txn in
            guard let raw = try txn.get(databases.meta, key: MetaKey.head) else { return .empty }
            return try HeadFormat.decode(raw)
        }
    }

    public func storedResult(forIdempotencyKey key: String) async throws -> [UInt8]? {
        try storageRead { txn in try CommitBatch.storedResult(key, txn: txn, databases: databases) }
    }

    public func pruneIdempotencyKeys(storedBefore time: Timestamp, limit: Int) async throws -> Int {
        guard let writer else { throw EventLogError(.invalidRequest, "the log is open read-only") }
        guard limit > 0 else { return 0 }
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.pruneIdempotency(before: time, limit: limit, continuation))
        }
    }

    public func root(size: UInt64) async throws -> MerkleHash {
        try await requireSize(size)
        return try storageRead { txn in try MerkleProofs.hash(0, size, StoredMerkleNodes(txn: txn, databases: databases)) }
    }

    public func inclusionProof(index: UInt64, size: UInt64) async throws -> (leaf: MerkleHash, path: [MerkleHash]) {
        try await requireSize(size)
        guard index < size else { throw EventLogError(.invalidRequest, "index \(index) is not below size \(size)") }
        return try storageRead { txn in
            let nodes = StoredMerkleNodes(txn: txn, databases: databases)
            return (try nodes.leaf(index), try MerkleProofs.inclusion(index: index, size: size, source: nodes))
        }
    }

    public func consistencyProof(from: UInt64, to: UInt64) async throws -> [MerkleHash] {
        try await requireSize(to)
        guard from <= to else { throw EventLogError(.invalidRequest, "from \(from) is past to \(to)") }
        return try storageRead { txn in
            try MerkleProofs.consistency(from: from, to: to, source: StoredMerkleNodes(txn: txn, databases: databases))
        }
    }

    public func observeCommits(_ observer: @escaping @Sendable ([RecordedEvent]) -> Void) {
        writer?.observe(observer)
    }

    /// Calls `observer` on the writer thread after each successful write transaction (for
    /// metrics: it must only record, in microseconds).
    public func observeCommitTimings(_ observer: @escaping @Sendable (CommitTiming) -> Void) {
        writer?.observeTimings(observer)
    }

    /// The checkpoint's file (`CheckpointFiles`), else one an older server stored in the
    /// environment's `checkpoints` database. A file that does not match its hash, or whose
    /// position is past the head or whose Merkle root there is not the log's (a file beside
    /// another history), is reported, deleted when the log is writable, and ignored: the
    /// model is rebuilt from the log.
    public func loadCheckpoint(named name: String) async throws -> Checkpoint? {
        let size = try await head().size
        let (files, logger) = (checkpointFiles, logger)
        let found = try await DedicatedThread.run(name: "logbook-ckpt") { [self] () -> (Checkpoint, MerkleHash?)? in
            do {
                if let (checkpoint, root) = try files.load(name) { return (checkpoint, root) }
            } catch let error as EventLogError where error.code == .corrupt {
                logger.warning("ignoring a damaged checkpoint", metadata: ["name": "\(name)", "error": "\(error)"])
                if writer != nil { files.remove(name) }
                return nil
            }
            // Written in this environment by an older server: of this log by construction.
            return try storageRead { txn in
                try txn.get(databases.checkpoints, key: Array(name.utf8)).map { (try CheckpointFormat.decode(name: name, $0), nil) }
            }
        }
        guard let (checkpoint, root) = found else { return nil }
        if let root {
            guard checkpoint.position <= size, try await self.root(size: checkpoint.position) == root else {
                logger.warning(
                    "ignoring a checkpoint that is not of this log",
                    metadata: ["name": "\(name)", "position": "\(checkpoint.position)", "head": "\(size)"])
                if writer != nil { files.remove(name) }
                return nil
            }
        }
        return checkpoint
    }

    /// Encodes, compresses and writes the checkpoint on a thread of its own at low
    /// priority, beside the log's writer (a snapshot of a million posts takes seconds;
    /// no commit waits for it). Failures are logged and thrown.
    public func saveCheckpoint(_ checkpoint: Checkpoint) async throws {
        guard writer != nil else { throw EventLogError(.invalidRequest, "the log is open read-only") }
        let files = checkpointFiles
        do {
            let root = try await root(size: checkpoint.position)
            try await DedicatedThread.run(name: "logbook-ckpt", priority: .background) { try files.save(checkpoint, root: root) }
            try await dropStoredCheckpoint(named: checkpoint.name)
        } catch {
            logger.warning("checkpoint not saved", metadata: ["name": "\(checkpoint.name)", "error": "\(error)"])
            throw error
        }
    }

    /// Once a read model's checkpoint is a file, the value an older server stored for it in
    /// the environment goes (its pages are reused, backups stop carrying it, and deleting
    /// the file then means a rebuild).
    private func dropStoredCheckpoint(named name: String) async throws {
        guard let writer, try storageRead({ txn in try txn.get(databases.checkpoints, key: Array(name.utf8)) != nil }) else { return }
        try await withCheckedThrowingContinuation { continuation in writer.submit(.dropStoredCheckpoint(name, continuation)) }
    }

    // MARK: Beyond the protocol

    /// Group-commit counters: commits made and events per commit.
    public var commitStats: CommitStats { writer?.commitStats ?? CommitStats() }

    /// The outcome of the writer's last commit (`ok` for a read-only log, which never writes).
    public var health: LogHealth { writer?.health ?? .ok }

    /// Commits a write transaction that changes nothing (one meta value rewritten with
    /// itself, synced) through the writer, and returns the health it leaves: how an idle
    /// server learns that its storage stopped (or resumed) accepting writes.
    @discardableResult
    public func probe() async -> LogHealth {
        guard let writer else { return .ok }
        do {
            try await withCheckedThrowingContinuation { continuation in writer.submit(.probe(continuation)) }
        } catch let error as EventLogError where error.code == .closed {
            return .failing(reason: error.description)
        } catch {}
        return writer.health
    }

    /// Trains a dictionary from the most recent events and makes it current; returns its id.
    /// Records already written keep the dictionary they name.
    @discardableResult
    public func trainDictionary() async throws -> UInt32 {
        guard let writer else { throw EventLogError(.invalidRequest, "the log is open read-only") }
        let samples = try await DedicatedThread.run(name: "logbook-dict", priority: .background) { [self] in
            try recentBodies(count: options.dictionarySampleCount)
        }
        let capacity = options.dictionaryCapacity
        let dictionary = try await DedicatedThread.run(name: "logbook-dict", priority: .background) {
            try ZstdDictionaryTrainer.train(samples: samples, capacity: capacity)
        }
        return try await withCheckedThrowingContinuation { continuation in
            writer.submit(.installDictionary(dictionary, continuation))
        }
    }

    /// How many idempotency keys (with their stored answers) the log holds now.
    public func idempotencyKeyCount() throws -> Int {
        try storageRead { txn in try txn.entryCount(databases.idempotency) }
    }

    /// The id of the dictionary new records use (0: none yet).
    public var currentDictionaryID: UInt32 { codec.dictionaries.current.id }

    /// Bytes of the LMDB data file.
    public var fileSize: Int {
        let path = (directory as NSString).appendingPathComponent("data.mdb")
        return ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }

    // MARK: Internals

    /// A read transaction whose LMDB failures (an environment LMDB marked unusable, waiting
    /// to be reopened; no reader slot left) are the log's `storageFailure`, which the HTTP
    /// layer answers 503 like a failed write, instead of an unexpected error.
    func storageRead<T>(_ body: (Transaction) throws -> T) throws -> T {
        do {
            return try environment.read(body)
        } catch let error as LMDBError {
            throw EventLogError(.storageFailure, "reading the log failed: \(error)")
        }
    }

    /// Decodes up to `limit` events from `position` in one read transaction.
    func events(from position: LogPosition, limit: Int) throws -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try storageRead { txn in
            try txn.withCursor(databases.log) { cursor in
                var out: [RecordedEvent] = []
                out.reserveCapacity(min(limit, 4096))
                let key = BigEndian.bytes(max(position, 1))
                var entry = try key.withUnsafeBytes { try cursor.seek($0, .setKey) }
                var expected = max(position, 1)
                var decoder = RecordBatchDecoder(codec: codec)
                while let current = entry, out.count < limit {
                    guard BigEndian.uint64(current.key) == expected else {
                        throw EventLogError(.corrupt, "gap in the log at position \(expected)")
                    }
                    out.append(try decoder.decode(current.value, position: expected))
                    expected += 1
                    entry = try cursor.move(.next)
                }
                return out
            }
        }
    }

    /// The stream's index entry; a read-only process first folds in what a writer appended since.
    private func streamEntry(_ stream: StreamID, txn: Transaction) throws -> StreamEntry {
        if writer == nil, let raw = try txn.get(databases.meta, key: MetaKey.head) {
            try streamIndex.catchUp(to: try HeadFormat.decode(raw).size, txn: txn, codec: codec)
        }
        return try streamIndex.entry(for: stream, txn: txn)
    }

    /// Envelope bodies of the last `count` events (dictionary training samples).
    private func recentBodies(count: Int) throws -> [[UInt8]] {
        try storageRead { txn in
            try txn.withCursor(databases.log) { cursor in
                var bodies: [[UInt8]] = []
                var entry = try cursor.move(.last)
                while let current = entry, bodies.count < count {
                    bodies.append(try codec.body(of: current.value))
                    entry = try cursor.move(.previous)
                }
                return bodies
            }
        }
    }

    private func trainFirstDictionaryIfDue(size: UInt64) {
        guard options.dictionaryTrainingThreshold > 0, size >= options.dictionaryTrainingThreshold,
            codec.dictionaries.current.id == 0,
            training.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
        else { return }
        Task { [self] in
            defer { training.store(false, ordering: .relaxed) }
            do {
                let id = try await trainDictionary()
                logger.info("trained the first zstd dictionary", metadata: ["id": "\(id)", "events": "\(size)"])
            } catch {
                logger.warning("dictionary training failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
