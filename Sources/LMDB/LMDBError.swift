import CLMDB

/// An error returned by an LMDB call: the C return code and LMDB's own message.
///
/// A struct rather than an enum so new codes never break callers; compare with
/// the named constants (`LMDBError.mapFull`, ...) or read `code`.
public struct LMDBError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The C return code (an `MDB_*` constant or an `errno` value).
    public let code: Int32

    public init(code: Int32) { self.code = code }

    /// `MDB_MAP_FULL`: the environment's map size was reached.
    public static let mapFull = LMDBError(code: MDB_MAP_FULL)
    /// `MDB_MAP_RESIZED`: another process grew the map; adopt it with `setMapSize(0)`.
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED)
    /// `MDB_KEYEXIST`: a put with `noOverwrite` found the key.
    public static let keyExists = LMDBError(code: MDB_KEYEXIST)
    /// `MDB_NOTFOUND`.
    public static let notFound = LMDBError(code: MDB_NOTFOUND)
    /// `MDB_READERS_FULL`: every reader slot is taken.
    public static let readersFull = LMDBError(code: MDB_READERS_FULL)
    /// `MDB_PANIC`: the environment refuses every transaction after a fatal error (a failed
    /// write of a meta page); `Environment.reopen()` recovers it.
    public static let panic = LMDBError(code: MDB_PANIC)
    /// `ENOSPC`: the disk is full.
    public static let diskFull = LMDBError(code: 28)

    public var description: String {
        "LMDB error \(code): \(String(cString: mdb_strerror(code)))"
    }

    /// Throws unless `rc` is `MDB_SUCCESS`.
    @inline(__always)
    static func check(_ rc: Int32) throws(LMDBError) {
        if rc != 0 { throw LMDBError(code: rc) }
    }
}
