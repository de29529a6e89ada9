public import CLMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An LMDB environment: one memory-mapped file holding named databases.
///
/// Access is by synchronous closures, as in GRDB: a transaction exists only inside
/// `read { }` or `write { }`, so it can never cross an `await` and always ends on
/// the thread that began it. Read transactions run concurrently; write transactions
/// are serialised by LMDB. Opened with `MDB_NOTLS`, so reader slots belong to
/// transactions rather than threads.
///
/// ```swift
/// let env = try Environment(path: "./data", options: .init())
/// let db = try env.openDatabase("log", flags: [.create])
/// try env.write { txn in try txn.put(db, key: k, value: v) }
/// let value = try env.read { txn in try txn.get(db, key: k).map(Array.init) }
/// ```
public final class Environment: @unchecked Sendable {
    let handle: OpaquePointer
    /// Held shared by every transaction and exclusively while the map is resized,
    /// because `mdb_env_set_mapsize` needs a process with no live transaction.
    private let resizeGate: UnsafeMutablePointer<pthread_rwlock_t>
    public let path: String
    public let isReadOnly: Bool

    /// Opens (creating when needed) the environment in directory `path`.
    public init(path: String, options: EnvironmentOptions = .init()) throws(LMDBError) {
        var env: OpaquePointer?
        try LMDBError.check(mdb_env_create(&env))
        guard let env else { throw LMDBError(code: ENOMEM) }
        var flags = UInt32(MDB_NOTLS)
        if options.readOnly { flags |= UInt32(MDB_RDONLY) }
        if options.unsafeNoSync { flags |= UInt32(MDB_NOSYNC) }
        do {
            try LMDBError.check(mdb_env_set_maxdbs(env, options.maxDatabases))
            try LMDBError.check(mdb_env_set_maxreaders(env, options.maxReaders))
            try LMDBError.check(mdb_env_set_mapsize(env, options.mapSize))
            try LMDBError.check(mdb_env_open(env, path, flags, 0o600))
        } catch {
            mdb_env_close(env)
            throw error
        }
        self.handle = env
        self.path = path
        self.isReadOnly = options.readOnly
        self.resizeGate = .allocate(capacity: 1)
        pthread_rwlock_init(resizeGate, nil)
    }

    deinit {
        mdb_env_close(handle)
        pthread_rwlock_destroy(resizeGate)
        resizeGate.deallocate()
    }

    /// Runs `body` in a read-only transaction (a consistent snapshot).
    public func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        pthread_rwlock_rdlock(resizeGate)
        defer { pthread_rwlock_unlock(resizeGate) }
        let txn = try begin(flags: UInt32(MDB_RDONLY))
        defer { mdb_txn_abort(txn.handle) }
        return try body(txn)
    }

    /// Runs `body` in a write transaction and commits it (durably, unless opened with
    /// `unsafeNoSync`). If `body` throws, the transaction is aborted and nothing is written.
    public func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        pthread_rwlock_rdlock(resizeGate)
        defer { pthread_rwlock_unlock(resizeGate) }
        let txn = try begin(flags: 0)
        let result: T
        do {
            result = try body(txn)
        } catch {
            mdb_txn_abort(txn.handle)
            throw error
        }
        try LMDBError.check(mdb_txn_commit(txn.handle))
        return result
    }

    /// Opens (or with `.create`, creates) the named database. Call once at start-up.
    /// In a read-only environment the handle is opened in a read transaction that is
    /// committed, not aborted: LMDB closes handles opened in an aborted transaction.
    public func openDatabase(_ name: String, flags: Database.Flags = []) throws -> Database {
        guard isReadOnly else { return try write { txn in try txn.openDatabase(name, flags: flags) } }
        pthread_rwlock_rdlock(resizeGate)
        defer { pthread_rwlock_unlock(resizeGate) }
        let txn = try begin(flags: UInt32(MDB_RDONLY))
        do {
            let database = try txn.openDatabase(name, flags: flags.subtracting(.create))
            try LMDBError.check(mdb_txn_commit(txn.handle))
            return database
        } catch {
            mdb_txn_abort(txn.handle)
            throw error
        }
    }

    /// The current map size in bytes.
    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info.me_mapsize
    }

    /// Grows (or adopts another process's growth of, with 0) the map. Waits until no
    /// transaction of this process is live; never call it from inside a transaction.
    public func setMapSize(_ bytes: Int) throws(LMDBError) {
        pthread_rwlock_wrlock(resizeGate)
        defer { pthread_rwlock_unlock(resizeGate) }
        try LMDBError.check(mdb_env_set_mapsize(handle, bytes))
    }

    /// The page size and counts of the main database (see `mdb_env_stat`).
    public func stat() -> MDB_stat {
        var stat = MDB_stat()
        mdb_env_stat(handle, &stat)
        return stat
    }

    /// The id of the last committed transaction and the last used page.
    public func info() -> MDB_envinfo {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info
    }

    /// Writes a consistent copy of the environment into the empty directory `path`;
    /// `compact` leaves out free pages. Safe while others read and write.
    public func copy(to path: String, compact: Bool) throws(LMDBError) {
        try LMDBError.check(mdb_env_copy2(handle, path, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    /// Writes a consistent copy of the environment's data file to the open file `fd`
    /// (`mdb_env_copyfd2`), compacted when asked; safe while another process writes. The
    /// caller owns `fd`: its mode, and syncing and closing it.
    public func copy(toDescriptor fd: Int32, compact: Bool) throws(LMDBError) {
        try LMDBError.check(mdb_env_copyfd2(handle, fd, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    private func begin(flags: UInt32) throws(LMDBError) -> Transaction {
        var txn: OpaquePointer?
        var rc = mdb_txn_begin(handle, nil, flags, &txn)
        if rc == MDB_MAP_RESIZED {
            // Another process grew the map: adopt its size and try again.
            try LMDBError.check(mdb_env_set_mapsize(handle, 0))
            rc = mdb_txn_begin(handle, nil, flags, &txn)
        }
        try LMDBError.check(rc)
        return Transaction(handle: txn!)
    }
}
