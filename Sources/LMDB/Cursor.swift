import CLMDB

/// A position in a database, valid only inside `Transaction.withCursor`.
///
/// Each move returns the entry it lands on, or nil when there is none.
public struct Cursor {
    /// A key and its value, both pointing into the map.
    public typealias Entry = (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)

    let handle: OpaquePointer

    /// Moves as `op` says.
    public func move(_ op: CursorOp) throws(LMDBError) -> Entry? {
        var k = MDB_val()
        var v = MDB_val()
        return try fetch(&k, &v, op.raw)
    }

    /// Moves to `key` with `op` (`.setKey` or `.setRange`).
    public func seek(_ key: UnsafeRawBufferPointer, _ op: CursorOp = .setKey) throws(LMDBError) -> Entry? {
        var k = logbook_mdb_val(key.baseAddress, key.count)
        var v = MDB_val()
        return try fetch(&k, &v, op.raw)
    }

    /// In a `dupSort` database: moves to `key` and its first value >= `value` (`MDB_GET_BOTH_RANGE`).
    public func seek(
        _ key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, _ op: CursorOp = .getBothRange
    ) throws(LMDBError) -> Entry? {
        var k = logbook_mdb_val(key.baseAddress, key.count)
        var v = logbook_mdb_val(value.baseAddress, value.count)
        return try fetch(&k, &v, op.raw)
    }

    /// Stores `value` under `key` through this cursor, leaving it on the new entry.
    public func put(_ key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, flags: PutFlags = []) throws(LMDBError) {
        var k = logbook_mdb_val(key.baseAddress, key.count)
        var v = logbook_mdb_val(value.baseAddress, value.count)
        try LMDBError.check(mdb_cursor_put(handle, &k, &v, flags.rawValue))
    }

    /// The number of values of the current key in a `dupSort` database.
    public func duplicateCount() throws(LMDBError) -> Int {
        var count = 0
        try LMDBError.check(mdb_cursor_count(handle, &count))
        return count
    }

    private func fetch(_ k: inout MDB_val, _ v: inout MDB_val, _ op: MDB_cursor_op) throws(LMDBError) -> Entry? {
        let rc = mdb_cursor_get(handle, &k, &v, op)
        if rc == MDB_NOTFOUND { return nil }
        try LMDBError.check(rc)
        return (UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
                UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
    }
}
