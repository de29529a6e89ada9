public import EventSourcing
public import Logging

/// What every domain is built with: the log as commands see it (appends wait for the read
/// models, `AppliedLog`), the projection runtime the domains' read models join, the
/// commit feed in-process consumers follow, the clock decisions read `now` from, the
/// server secret domains derive their keys from, and the mode.
public struct DomainContext: Sendable {
    /// The log commands append to: an append returns once durable and applied.
    public let log: any EventLog
    /// The log itself (reads, proofs, checkpoints).
    public let storage: any EventLog
    public let runtime: ProjectionRuntime
    public let feed: CommitFeed
    public let clock: @Sendable () -> Timestamp
    /// The server secret (32 bytes or more); each domain derives its own keys (HKDF).
    public let secret: [UInt8]
    /// Dev mode (`--dev`).
    public let dev: Bool
    public let logger: Logger
    /// Where domains record their metrics (served by `/metrics`).
    public let metrics: MetricsRegistry

    /// A context over `storage`; its feed starts at the log's current head.
    public init(
        storage: any EventLog, clock: @escaping @Sendable () -> Timestamp, secret: [UInt8], dev: Bool, logger: Logger,
        metrics: MetricsRegistry = MetricsRegistry()
    ) async throws {
        self.metrics = metrics
        self.storage = storage
        runtime = ProjectionRuntime(log: storage)
        log = AppliedLog(storage, runtime: runtime)
        feed = CommitFeed(log: storage, head: try await storage.head().size)
        (self.clock, self.secret, self.dev, self.logger) = (clock, secret, dev, logger)
    }
}
