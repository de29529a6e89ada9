import Dispatch
import EventSourcing
import LMDB
import Synchronization

/// Where each stream ends: its last version and the position of its last event.
///
/// The `streams` database is a checkpoint of this index: it reflects every event up
/// to the position stored under `meta/streams-position`. Newer changes live in an
/// in-memory overlay, so a commit dirties only the log's sequential pages instead of
/// one random index page per stream. Every `streamIndexFlushInterval` events the
/// writer starts a fold: it takes the overlay as it stands, sorts it by stream (off the
/// writer thread when it is large), and writes it into `streams` a chunk of neighbouring
/// streams per commit (so no single commit pauses to write them all, and each chunk dirties
/// a run of neighbouring pages, not one random page per entry); entries that did not change
/// meanwhile leave the overlay as their chunk is written, and the commit with the last
/// chunk also records the position the fold covers. On open, the overlay is rebuilt from the records
/// after the checkpoint; the records' back-pointers make the index derivable, so a
/// crash never loses it.
///
/// A lookup takes the newer of the overlay and the database entry, so a read-only
/// process stays right when a server flushes behind it.
final class StreamIndex: Sendable {
    struct Overlay {
        var entries: [StreamID: StreamEntry] = [:]
        /// The last position folded into `entries` (or into the database).
        var through: LogPosition = 0
        /// The position the `streams` database reflects.
        var persistedThrough: LogPosition = 0
        /// The fold in progress, if any.
        var fold: Fold?
        /// Folds started so far (tells a background sort which fold it belongs to).
        var foldsStarted: UInt64 = 0
    }

    /// A fold in progress: the overlay's entries as of `through`, sorted by stream, written
    /// a chunk per commit. `entries` is empty until its sort is done.
    struct Fold {
        var entries: [(StreamID, StreamEntry)] = []
        var sorted = false
        var next = 0
        let through: LogPosition
        let number: UInt64
    }

    /// The part of a fold one commit writes.
    struct FoldChunk {
        var entries: [(StreamID, StreamEntry)]
        /// Set on the last chunk: the position the `streams` database reflects once it is written.
        var completes: LogPosition?
        /// The fold it belongs to and where in it the chunk starts.
        var fold: UInt64
        var start: Int
    }

    let overlay: Mutex<Overlay>
    private let databases: LogDatabases

    init(databases: LogDatabases, expectedEntries: Int) {
        self.databases = databases
        var overlay = Overlay()
        overlay.entries.reserveCapacity(expectedEntries)
        self.overlay = Mutex(overlay)
    }

    /// The stream's entry as of everything committed and folded in (`.none` if unknown).
    func entry(for stream: StreamID, txn: Transaction) throws -> StreamEntry {
        let recent = overlay.withLock { $0.entries[stream] }
        let stored = try Self.storedEntry(of: stream, txn: txn, databases: databases)
        guard let recent else { return stored }
        return recent.version >= stored.version ? recent : stored
    }

    /// The entry in the `streams` database.
    static func storedEntry(of stream: StreamID, txn: Transaction, databases: LogDatabases) throws -> StreamEntry {
        var name = stream.rawValue
        return try name.withUTF8 { key in
            guard let raw = try txn.get(databases.streams, key: UnsafeRawBufferPointer(key)) else { return .none }
            return try StreamEntry(raw, stream: stream)
        }
    }

    /// The position the `streams` database reflects, as stored in `meta`.
    static func persistedPosition(txn: Transaction, databases: LogDatabases) throws -> LogPosition {
        try txn.get(databases.meta, key: MetaKey.streamsPosition).flatMap { BigEndian.uint64($0) } ?? 0
    }

    /// Folds a commit's changes in, after it is durable.
    func adopt(_ changes: [StreamID: StreamEntry], through position: LogPosition) {
        overlay.withLock { overlay in
            overlay.entries.merge(changes) { old, new in new.version >= old.version ? new : old }
            overlay.through = max(overlay.through, position)
        }
    }

    /// Folds a durable commit's changed streams in.
    func adopt(_ batch: CommitBatch, through position: LogPosition) {
        overlay.withLock { overlay in
            batch.forEachChangedStream { stream, entry in overlay.entries[stream] = entry }
            overlay.through = max(overlay.through, position)
        }
    }

    /// A fold of at most this many entries is sorted on the writer when it starts; a larger
    /// one (up to `streamIndexFlushInterval` entries) on a Dispatch worker thread, so no
    /// commit waits for its sort.
    static let inlineSortLimit = 4_096

    /// The chunk the next commit writes: starts a fold when the events since the last one,
    /// with `incoming`, reach `interval`, then hands out up to `limit` neighbouring entries
    /// per commit (sorted, so a chunk dirties a run of neighbouring pages of `streams`, not a
    /// page per entry). While a large fold's sort is under way it hands out nothing. Asked
    /// again before `wrote`, it hands out the same chunk (the writer retries a failed commit).
    func nextFoldChunk(incoming: UInt64, interval: UInt64, limit: Int) -> FoldChunk? {
        let limit = max(limit, 1)
        var started: (entries: [StreamID: StreamEntry], number: UInt64)?
        let chunk = overlay.withLock { overlay -> FoldChunk? in
            guard let fold = overlay.fold else {
                guard overlay.through - overlay.persistedThrough + incoming >= interval else { return nil }
                overlay.foldsStarted += 1
                overlay.fold = Fold(through: overlay.through, number: overlay.foldsStarted)
                // A copy that shares storage (O(1)): the entries are read out below, off the lock.
                started = (overlay.entries, overlay.foldsStarted)
                return nil
            }
            guard fold.sorted else { return nil }
            let end = fold.entries.count - fold.next <= limit ? fold.entries.count : fold.next + limit
            return FoldChunk(
                entries: Array(fold.entries[fold.next..<end]), completes: end == fold.entries.count ? fold.through : nil,
                fold: fold.number, start: fold.next)
        }
        guard let (snapshot, number) = started else { return chunk }
        // Read out on the writer before its next commit changes the overlay, which would
        // otherwise copy the whole dictionary (the copy above still shares its storage).
        let entries = Array(snapshot)
        if entries.count <= Self.inlineSortLimit {
            sorted(entries.sorted { $0.0 < $1.0 }, fold: number)
            return nextFoldChunk(incoming: incoming, interval: interval, limit: limit)
        }
        DispatchQueue.global(qos: .utility).async { [self] in
            sorted(entries.sorted { $0.0 < $1.0 }, fold: number)
        }
        return nil
    }

    /// Hands a fold its sorted entries (unless another fold replaced it meanwhile).
    private func sorted(_ entries: [(StreamID, StreamEntry)], fold number: UInt64) {
        overlay.withLock { overlay in
            guard overlay.fold?.number == number else { return }
            overlay.fold?.entries = entries
            overlay.fold?.sorted = true
        }
    }

    /// After a durable commit that wrote `chunk` (only then: a failed commit's chunk is
    /// handed out again): the fold moves on, and the chunk's entries that did not change
    /// meanwhile leave the overlay (the database now holds them: a lookup takes the newer of
    /// the two); when the fold is complete, the `streams` database reflects its position. A
    /// chunk of another fold, or not the next one, changes nothing.
    func wrote(_ chunk: FoldChunk) {
        overlay.withLock { overlay in
            guard var fold = overlay.fold, fold.number == chunk.fold, fold.next == chunk.start else { return }
            fold.next += chunk.entries.count
            for (stream, entry) in chunk.entries where overlay.entries[stream] == entry { overlay.entries[stream] = nil }
            if let through = chunk.completes {
                overlay.persistedThrough = through
                overlay.fold = nil
            } else {
                overlay.fold = fold
            }
        }
    }

    /// Reads the records after what is already folded in, up to `head`, into the overlay
    /// (at open, and in read-only processes before each stream lookup).
    func catchUp(to head: LogPosition, txn: Transaction, codec: RecordCodec) throws {
        let persisted = try Self.persistedPosition(txn: txn, databases: databases)
        var (start, changes) = overlay.withLock { overlay -> (LogPosition, [StreamID: StreamEntry]) in
            if persisted > overlay.persistedThrough {
                overlay.persistedThrough = persisted
                overlay.through = max(overlay.through, persisted)
            }
            return (overlay.through + 1, [:])
        }
        guard start <= head else { return }
        try txn.withCursor(databases.log) { cursor in
            var entry = try BigEndian.bytes(start).withUnsafeBytes { try cursor.seek($0, .setKey) }
            var decoder = RecordBatchDecoder(codec: codec)
            while let (_, record) = entry, start <= head {
                let event = try decoder.decode(record, position: start)
                changes[event.stream] = StreamEntry(version: event.version, lastPosition: start)
                start += 1
                entry = try cursor.move(.next)
            }
        }
        adopt(changes, through: start - 1)
    }
}
