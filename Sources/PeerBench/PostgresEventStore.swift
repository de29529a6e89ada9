import CLibPQ

/// PostgreSQL as an event store (synchronous_commit=on: a WAL flush per commit). A
/// batch is one multi-row INSERT, prepared once per row count, with the body sent
/// as binary; a single-row INSERT commits by itself.
struct PostgresEventStore: SQLEventStore {
    let conninfo: String
    var name: String { "postgresql" }

    func createSchema() throws {
        let connection = try PostgresConnection(conninfo: conninfo)
        defer { connection.close() }
        try connection.execute("DROP TABLE IF EXISTS events")
        try connection.execute("""
            CREATE TABLE events (
                position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                stream text NOT NULL,
                version bigint NOT NULL,
                body bytea NOT NULL,
                UNIQUE (stream, version))
            """)
    }

    func connect() throws -> any SQLEventConnection { try PostgresConnection(conninfo: conninfo) }
}

final class PostgresConnection: SQLEventConnection, @unchecked Sendable {
    private var connection: OpaquePointer?
    private var prepared: Set<Int> = []

    init(conninfo: String) throws {
        connection = PQconnectdb(conninfo)
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = lastError
            PQfinish(connection)
            throw PeerError("postgresql: \(message)")
        }
    }

    private var lastError: String { String(cString: PQerrorMessage(connection)) }

    func execute(_ sql: String) throws {
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw PeerError("postgresql: \(lastError)") }
    }

    private func prepareInsert(rows: Int) throws {
        guard !prepared.contains(rows) else { return }
        let values = (0..<rows).map { "($\($0 * 3 + 1), $\($0 * 3 + 2), $\($0 * 3 + 3))" }.joined(separator: ", ")
        let result = PQprepare(connection, "insert\(rows)", "INSERT INTO events (stream, version, body) VALUES \(values)",
                               Int32(rows * 3), nil)
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw PeerError("postgresql prepare: \(lastError)") }
        prepared.insert(rows)
    }

    func append(_ rows: ArraySlice<EventRow>) throws {
        try prepareInsert(rows: rows.count)
        // Text parameters for stream and version, binary for the body; one arena owns them all.
        var arena: [UInt8] = []
        var spans: [(offset: Int, length: Int)] = []
        for row in rows {
            for field in [Array(row.stream.utf8), Array(String(row.version).utf8)] {
                spans.append((arena.count, field.count))
                arena += field
                arena.append(0)
            }
            spans.append((arena.count, row.body.count))
            arena += row.body
        }
        let lengths = spans.map { Int32($0.length) }
        let formats = (0..<spans.count).map { Int32($0 % 3 == 2 ? 1 : 0) }
        let result = arena.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = spans.map { base + $0.offset }
            return PQexecPrepared(connection, "insert\(rows.count)", Int32(spans.count), values, lengths, formats, 0)
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw PeerError("postgresql insert: \(lastError)") }
    }

    func close() {
        PQfinish(connection)
        connection = nil
    }
}
