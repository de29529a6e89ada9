import CSQLite
import Foundation

/// SQLite as an event store: WAL, synchronous=FULL (an fsync per commit), one
/// prepared INSERT run per row inside BEGIN IMMEDIATE ... COMMIT.
struct SQLiteEventStore: SQLEventStore {
    let path: String
    var name: String { "sqlite" }

    func createSchema() throws {
        let connection = try SQLiteConnection(path: path)
        defer { connection.close() }
        try connection.execute("""
            DROP TABLE IF EXISTS events;
            CREATE TABLE events (
                position INTEGER PRIMARY KEY,
                stream TEXT NOT NULL,
                version INTEGER NOT NULL,
                body BLOB NOT NULL,
                UNIQUE (stream, version));
            """)
    }

    func connect() throws -> any SQLEventConnection { try SQLiteConnection(path: path) }
}

final class SQLiteConnection: SQLEventConnection, @unchecked Sendable {
    private var db: OpaquePointer?
    private var insert: OpaquePointer?
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws {
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK
        else { throw PeerError("sqlite: cannot open \(path)") }
        sqlite3_busy_timeout(db, 60_000)
        try execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
        if sqlite3_prepare_v2(db, "INSERT INTO events (stream, version, body) VALUES (?, ?, ?)", -1, &insert, nil)
            != SQLITE_OK, !lastError.contains("no such table") {
            throw PeerError("sqlite: \(lastError)")
        }
    }

    private var lastError: String { String(cString: sqlite3_errmsg(db)) }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw PeerError("sqlite: \(lastError)") }
    }

    func append(_ rows: ArraySlice<EventRow>) throws {
        try execute("BEGIN IMMEDIATE")
        do {
            for row in rows {
                sqlite3_reset(insert)
                sqlite3_bind_text(insert, 1, row.stream, -1, Self.transient)
                sqlite3_bind_int64(insert, 2, row.version)
                let status = row.body.withUnsafeBytes { body in
                    sqlite3_bind_blob(insert, 3, body.baseAddress, Int32(body.count), nil)
                    return sqlite3_step(insert)
                }
                guard status == SQLITE_DONE else { throw PeerError("sqlite insert: \(lastError)") }
            }
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func close() {
        sqlite3_finalize(insert)
        sqlite3_close_v2(db)
        insert = nil
        db = nil
    }
}
