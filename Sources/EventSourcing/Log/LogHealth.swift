/// Whether a log's storage accepts writes, as far as it knows.
public enum LogHealth: Sendable, Hashable {
    /// The last write transaction (an append, a prune, a probe) committed.
    case ok
    /// The last write transaction failed in the storage (disk or map full, an I/O error,
    /// an environment the storage marked unusable); `reason` says how.
    case failing(reason: String)
}

/// A log that reports its health cheaply, without I/O, so `/healthz` can answer 503 when
/// the log cannot write while keeping the HTTP layer free of any storage engine.
///
/// The health is the outcome of the log's last write transaction: it turns `failing`
/// when a commit fails in the storage and back to `ok` at the next commit that succeeds.
/// A log that may sit idle offers its own way to write now and then (the LMDB log's
/// `probe()`), so an idle log's health does not go stale.
public protocol LogHealthReporting: Sendable {
    var health: LogHealth { get }
}

extension InMemoryEventLog: LogHealthReporting {
    /// Memory never fails to write.
    public var health: LogHealth { .ok }
}
