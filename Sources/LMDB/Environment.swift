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
    /// The open environment; nil only after a `reopen()` that failed. Read while holding
    /// `gate` shared, replaced only while holding it exclusively.
    private var handle: OpaquePointer?
    /// Held shared by every transaction and exclusively while the map is resized, the
    /// environment reopened or a database opened, because those need a process with no
    /// live transaction.
    private let gate: UnsafeMutablePointer<pthread_rwlock_t>
    private var options: EnvironmentOptions
    /// Every database opened so far, in order, so `reopen()` can open them again (under `gate`).
    private var opened: [(name: String, flags: Database.Flags, database: Database)] = []
    public let path: String
    public let isReadOnly: Bool

    /// Opens (creating when needed) the environment in directory `path`.
    public init(path: String, options: EnvironmentOptions = .init()) throws(LMDBError) {
        self.handle = try Self.open(path: path, options: options)
        self.path = path
        self.options = options
        self.isReadOnly = options.readOnly
        self.gate = .allocate(capacity: 1)
        pthread_rwlock_init(gate, nil)
    }

    private static func open(path: String, options: EnvironmentOptions) throws(LMDBError) -> OpaquePointer {
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
        return env
    }

    deinit {
        if let handle { mdb_env_close(handle) }
        pthread_rwlock_destroy(gate)
        gate.deallocate()
    }

    /// Runs `body` in a read-only transaction (a consistent snapshot).
    public func read<T>(_ body: (Transaction) throws -> T) throws -> T {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        let txn = try begin(flags: UInt32(MDB_RDONLY))
        defer { mdb_txn_abort(txn.handle) }
        return try body(txn)
    }

    /// Runs `body` in a write transaction and commits it (durably, unless opened with
    /// `unsafeNoSync`). If `body` throws, the transaction is aborted and nothing is written.
    public func write<T>(_ body: (Transaction) throws -> T) throws -> T {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        return try writeHoldingGate(body)
    }

    private func writeHoldingGate<T>(_ body: (Transaction) throws -> T) throws -> T {
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
        pthread_rwlock_wrlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        let database = try openDatabaseHoldingGate(name, flags: flags)
        opened.append((name, flags, database))
        return database
    }

    private func openDatabaseHoldingGate(_ name: String, flags: Database.Flags) throws -> Database {
        guard isReadOnly else { return try writeHoldingGate { txn in try txn.openDatabase(name, flags: flags) } }
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

    /// Whether LMDB refuses every transaction of this environment (`MDB_PANIC`): it marks an
    /// environment so after a failed write of a meta page, and only `reopen()` recovers it.
    /// True too after a `reopen()` that failed.
    public var isPoisoned: Bool {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        guard let handle else { return true }
        var txn: OpaquePointer?
        let rc = mdb_txn_begin(handle, nil, UInt32(MDB_RDONLY), &txn)
        if rc == 0, let txn { mdb_txn_abort(txn) }
        return rc == MDB_PANIC
    }

    /// Closes the environment and opens it again from its files, with the same options,
    /// map size and databases (opened in the same order, so every `Database` handle stays
    /// valid). Waits until no transaction of this process is live, and makes new ones wait
    /// until it is done; never call it from inside a transaction. What a reopened
    /// environment holds is what the file holds: the last durable commit.
    ///
    /// When opening fails, the environment stays closed: transactions throw `MDB_PANIC`
    /// until a later `reopen()` succeeds.
    public func reopen() throws {
        pthread_rwlock_wrlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        if let handle {
            options.mapSize = Self.info(handle).me_mapsize
            mdb_env_close(handle)
            self.handle = nil
        }
        let fresh = try Self.open(path: path, options: options)
        handle = fresh
        do {
            for entry in opened {
                let database = try openDatabaseHoldingGate(entry.name, flags: entry.flags)
                guard database == entry.database else {
                    throw LMDBError(code: MDB_INCOMPATIBLE)
                }
            }
        } catch {
            mdb_env_close(fresh)
            handle = nil
            throw error
        }
    }

    /// The current map size in bytes (0 while closed after a failed `reopen()`).
    public var mapSize: Int { info().me_mapsize }

    /// Grows (or adopts another process's growth of, with 0) the map. Waits until no
    /// transaction of this process is live; never call it from inside a transaction.
    public func setMapSize(_ bytes: Int) throws(LMDBError) {
        pthread_rwlock_wrlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        try LMDBError.check(mdb_env_set_mapsize(try openHandle(), bytes))
    }

    /// The page size and counts of the main database (see `mdb_env_stat`).
    public func stat() -> MDB_stat {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        var stat = MDB_stat()
        if let handle { mdb_env_stat(handle, &stat) }
        return stat
    }

    /// The id of the last committed transaction and the last used page (zeros while
    /// closed after a failed `reopen()`).
    public func info() -> MDB_envinfo {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        return handle.map(Self.info) ?? MDB_envinfo()
    }

    private static func info(_ handle: OpaquePointer) -> MDB_envinfo {
        var info = MDB_envinfo()
        mdb_env_info(handle, &info)
        return info
    }

    /// Writes a consistent copy of the environment into the empty directory `path`;
    /// `compact` leaves out free pages. Safe while others read and write.
    public func copy(to path: String, compact: Bool) throws(LMDBError) {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        try LMDBError.check(mdb_env_copy2(try openHandle(), path, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    /// Writes a consistent copy of the environment's data file to the open file `fd`
    /// (`mdb_env_copyfd2`), compacted when asked; safe while another process writes. The
    /// caller owns `fd`: its mode, and syncing and closing it.
    public func copy(toDescriptor fd: Int32, compact: Bool) throws(LMDBError) {
        pthread_rwlock_rdlock(gate)
        defer { pthread_rwlock_unlock(gate) }
        try LMDBError.check(mdb_env_copyfd2(try openHandle(), fd, compact ? UInt32(MDB_CP_COMPACT) : 0))
    }

    /// The handle, or `MDB_PANIC` while closed after a failed `reopen()`. Call holding `gate`.
    private func openHandle() throws(LMDBError) -> OpaquePointer {
        guard let handle else { throw LMDBError.panic }
        return handle
    }

    private func begin(flags: UInt32) throws(LMDBError) -> Transaction {
        let handle = try openHandle()
        var txn: OpaquePointer?
        var rc = mdb_txn_begin(handle, nil, flags, &txn)
        if rc == MDB_MAP_RESIZED {
            // Another process grew the map: adopt its size and try again.
            try LMDBError.check(mdb_env_set_mapsize(handle, 0))
            rc = mdb_txn_begin(handle, nil, flags, &txn)
        }
        try LMDBError.check(rc)
        guard let txn else { throw LMDBError(code: ENOMEM) }
        return Transaction(handle: txn)
    }
}
