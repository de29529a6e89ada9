public import EventSourcing
import LMDB
import Zstd
#if canImport(Glibc)
import Glibc
#endif

/// What a record costs on disk, without decoding its event.
public struct RecordInfo: Sendable, Hashable {
    public var position: LogPosition
    /// The stored value's size (header and frame).
    public var storedBytes: Int
    /// The envelope body's size before compression.
    public var bodyBytes: Int
    public var dictionaryID: UInt32
}

extension LMDBEventLog {
    /// Calls `body` for every record from `position` on, in one read transaction (safe next
    /// to a running writer), until it returns false.
    public func forEachRecord(from position: LogPosition = 1, _ body: (RecordInfo) throws -> Bool) throws {
        let decompressor = ZstdDecompressor()
        try environment.read { txn in
            try txn.withCursor(databases.log) { cursor in
                var entry = try BigEndian.bytes(max(position, 1)).withUnsafeBytes { try cursor.seek($0, .setRange) }
                while let (key, record) = entry {
                    let header = try RecordFormat.header(of: record)
                    let frame = UnsafeRawBufferPointer(rebasing: record[header.frameOffset...])
                    let info = RecordInfo(
                        position: BigEndian.uint64(key) ?? 0, storedBytes: record.count,
                        bodyBytes: try decompressor.contentSize(of: frame), dictionaryID: header.dictionaryID)
                    guard try body(info) else { return }
                    entry = try cursor.move(.next)
                }
            }
        }
    }

    /// Sizes of the stored dictionaries by id.
    public func dictionarySizes() throws -> [UInt32: Int] {
        try environment.read { txn in
            try txn.withCursor(databases.dictionaries) { cursor in
                var sizes: [UInt32: Int] = [:]
                var entry = try cursor.move(.first)
                while let (key, value) = entry {
                    if let id = BigEndian.uint32(key) { sizes[id] = value.count }
                    entry = try cursor.move(.next)
                }
                return sizes
            }
        }
    }

    /// A consistent, compacted hot copy of the environment into `path/data.mdb` (LMDB's
    /// `mdb_env_copyfd2`; the directory must exist and hold no data.mdb): safe while a
    /// server writes. The file is created 0600, synced, and so is its directory.
    public func backup(to path: String) throws {
        let file = path + "/data.mdb"
        do {
            try DurableFile.create(file) { fd in
                do {
                    try environment.copy(toDescriptor: fd, compact: true)
                } catch {
                    throw EventLogError(.storageFailure, "copying the log to \(file) failed: \(error)")
                }
            }
            try DurableFile.syncDirectory(path)
        } catch let failure as DurableFile.Failure {
            throw EventLogError(failure.isNoSpace ? .storageFull : .storageFailure, failure.description)
        }
    }
}

extension LMDBEventLog {
    /// The stored bytes of the record at `position` (what its Merkle leaf hashes).
    public func rawRecord(at position: LogPosition) async throws -> [UInt8]? {
        try environment.read { txn in try txn.get(databases.log, key: BigEndian.bytes(position)).map(Array.init) }
    }
}
