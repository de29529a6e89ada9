public import EventSourcing
public import ServerKit
public import ServiceLifecycle

/// Forgets idempotency keys older than the retention (API.md: kept at least 24 h), once a
/// minute (once per retention when a test sets it shorter), a thousand per write, so the
/// store does not grow for ever and no commit is held up by a long prune.
public struct IdempotencyPruningService: Service {
    let log: any EventLog
    let retentionSeconds: Int64
    let clock: @Sendable () -> Timestamp
    let metrics: MetricsRegistry

    public init(log: any EventLog, retentionSeconds: Int64, clock: @escaping @Sendable () -> Timestamp, metrics: MetricsRegistry) {
        (self.log, self.retentionSeconds, self.clock, self.metrics) = (log, retentionSeconds, clock, metrics)
    }

    public func run() async throws {
        let counter = metrics.counter(OperationsMetrics.idempotencyKeysPruned)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let cutoff = clock().adding(seconds: -retentionSeconds)
                while !Task.isCancelled, let pruned = try? await log.pruneIdempotencyKeys(storedBefore: cutoff, limit: 1000) {
                    counter.increment(by: Int64(pruned))
                    guard pruned == 1000 else { break }
                    await Task.yield()
                }
                try? await Task.sleep(for: .seconds(max(1, min(60, retentionSeconds))))
            }
        }
    }
}
