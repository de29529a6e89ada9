public import CLMDB

/// A live LMDB transaction, valid only inside `Environment.read` or `Environment.write`.
///
/// Buffers returned by `get` and by cursors point into the map and are valid until
/// the transaction ends: copy what must outlive it.
public struct Transaction {
    let handle: OpaquePointer

    /// Opens a named database inside this transaction.
    public func openDatabase(_ name: String, flags: Database.Flags) throws(LMDBError) -> Database {
        var dbi = MDB_dbi()
        try LMDBError.check(mdb_dbi_open(handle, name, flags.rawValue, &dbi))
        return Database(dbi: dbi)
    }

    /// The value stored under `key`, or nil.
    public func get(_ db: Database, key: UnsafeRawBufferPointer) throws(LMDBError) -> UnsafeRawBufferPointer? {
        var k = logbook_mdb_val(key.baseAddress, key.count)
        var v = MDB_val()
        let rc = mdb_get(handle, db.dbi, &k, &v)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc)
        return UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size)
    }

    /// The value stored under `key`, or nil.
    public func get(_ db: Database, key: [UInt8]) throws -> UnsafeRawBufferPointer? {
        try key.withUnsafeBytes { k in try get(db, key: k) }
    }

    /// Stores `value` under `key`.
    public func put(
        _ db: Database, key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []
    ) throws(LMDBError) {
        var k = logbook_mdb_val(key.baseAddress, key.count)
        var v = logbook_mdb_val(value.baseAddress, value.count)
        try LMDBError.check(mdb_put(handle, db.dbi, &k, &v, flags.rawValue))
    }

    /// Stores `value` under `key`.
    public func put(
        _ db: Database, key: [UInt8], value: [UInt8], flags: PutFlags = []
    ) throws {
        try key.withUnsafeBytes { k in
            try value.withUnsafeBytes { v in try put(db, key: k, value: v, flags: flags) }
        }
    }

    /// Reserves `size` bytes for the value under `key` and lets `fill` write them in place
    /// (`MDB_RESERVE`: no copy). The buffer is valid only inside `fill`.
    public func put<T>(
        _ db: Database, key: UnsafeRawBufferPointer, reserving size: Int, flags: PutFlags = [],
        fill: (UnsafeMutableRawBufferPointer) throws -> T
    ) throws -> T {
        var k = logbook_mdb_val(key.baseAddress, key.count)
        var v = logbook_mdb_val(nil, size)
        try LMDBError.check(mdb_put(handle, db.dbi, &k, &v, flags.rawValue | UInt32(MDB_RESERVE)))
        return try fill(UnsafeMutableRawBufferPointer(start: v.mv_data, count: size))
    }

    /// Deletes `key` (all its values in a `dupSort` database). Returns false when absent.
    @discardableResult
    public func delete(_ db: Database, key: [UInt8]) throws -> Bool {
        try key.withUnsafeBytes { k in
            var kv = logbook_mdb_val(k.baseAddress, k.count)
            let rc = mdb_del(handle, db.dbi, &kv, nil)
            if rc == MDB_NOTFOUND { return false }
            try LMDBError.check(rc)
            return true
        }
    }

    /// Removes every record of `db`, keeping the database.
    public func clear(_ db: Database) throws(LMDBError) {
        try LMDBError.check(mdb_drop(handle, db.dbi, 0))
    }

    /// The number of entries and pages of `db`.
    public func stat(_ db: Database) throws(LMDBError) -> MDB_stat {
        var stat = MDB_stat()
        try LMDBError.check(mdb_stat(handle, db.dbi, &stat))
        return stat
    }

    /// The number of entries of `db` (every value, in a `dupSort` database).
    public func entryCount(_ db: Database) throws(LMDBError) -> Int {
        try stat(db).ms_entries
    }

    /// A cursor over `db`, closed when `body` returns.
    public func withCursor<T>(_ db: Database, _ body: (Cursor) throws -> T) throws -> T {
        var cursor: OpaquePointer?
        try LMDBError.check(mdb_cursor_open(handle, db.dbi, &cursor))
        defer { mdb_cursor_close(cursor) }
        return try body(Cursor(handle: cursor!))
    }
}
