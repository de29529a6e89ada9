/// A SQL database used as an event store: one table of (global position, stream,
/// version, body) with UNIQUE(stream, version), which is the optimistic-concurrency
/// check (a second writer of the same version fails). Each connection is used by one
/// thread at a time.
protocol SQLEventStore: Sendable {
    var name: String { get }
    /// Creates the table (dropping an old one).
    func createSchema() throws
    func connect() throws -> any SQLEventConnection
}

protocol SQLEventConnection: AnyObject, Sendable {
    /// Appends `rows` in one durable transaction.
    func append(_ rows: ArraySlice<EventRow>) throws
    func close()
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
