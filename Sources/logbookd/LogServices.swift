import EventSourcing
import Foundation
import HTTPAPI
import ServerKit
import LMDBEventLog
import Logging
import ServiceLifecycle
import Verification

/// Publishes the log's size, health and commit figures every second, and records each
/// commit's batch size and duration as the writer reports them.
struct LogMetricsService: Service {
    let log: LMDBEventLog
    let metrics: MetricsRegistry

    func run() async throws {
        let (batch, duration) = (metrics.histogram(LogStorageMetrics.commitBatch), metrics.durations(LogStorageMetrics.commitDuration))
        log.observeCommitTimings { timing in
            batch.record(Double(timing.events))
            duration.record(timing.duration)
        }
        let size = metrics.gauge(LogStorageMetrics.events)
        let bytes = metrics.gauge(LogStorageMetrics.fileBytes)
        let healthy = metrics.gauge(LogStorageMetrics.healthy)
        let commits = metrics.counter(LogStorageMetrics.commits)
        let committed = metrics.counter(LogStorageMetrics.eventsCommitted)
        let failed = metrics.counter(LogStorageMetrics.commitFailures)
        let reopens = metrics.counter(LogStorageMetrics.reopens)
        let keys = metrics.gauge(LogStorageMetrics.idempotencyKeysStored)
        await cancelWhenGracefulShutdown {
            var last = CommitStats()
            while !Task.isCancelled {
                let stats = log.commitStats
                if let head = try? await log.head() { size.set(Double(head.size)) }
                bytes.set(Double(log.fileSize))
                healthy.set(log.health == .ok ? 1 : 0)
                if let count = try? log.idempotencyKeyCount() { keys.set(Double(count)) }
                commits.increment(by: Int64(clamping: stats.commits &- last.commits))
                committed.increment(by: Int64(clamping: stats.events &- last.events))
                failed.increment(by: Int64(clamping: stats.failedCommits &- last.failedCommits))
                reopens.increment(by: Int64(clamping: stats.reopens &- last.reopens))
                last = stats
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// Writes the signed head to DATA_DIR/checkpoint.json every minute (and at start), for
/// auditors to keep and later check the log against (`logbook verify --checkpoint`).
struct CheckpointService: Service {
    let log: LMDBEventLog
    let sign: @Sendable (LogHead) throws -> SignedCheckpoint
    let path: String

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if let head = try? await log.head(), let checkpoint = try? sign(head),
                    let data = try? JSONEncoder().encode(CheckpointRoutes.Body(checkpoint))
                {
                    try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
                }
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }
}

/// Keeps the log's health fresh while the server is idle: every `interval` (`retryInterval`
/// while the log is failing, so recovery shows within a second), when no commit was
/// attempted since the last look, it commits a probe through the writer, so `/readyz`
/// turns 503 when the storage stops accepting writes (and 200 again when it recovers) even
/// without traffic. Under traffic the appends themselves keep the health current.
struct LogHealthService: Service {
    let log: LMDBEventLog
    let logger: Logger
    var interval: Duration = .seconds(10)
    var retryInterval: Duration = .seconds(1)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var seen: UInt64 = .max
            var idle: Duration = .zero
            var last = log.health
            while !Task.isCancelled {
                try? await Task.sleep(for: retryInterval)
                let attempts = log.commitStats.commits &+ log.commitStats.failedCommits
                idle = attempts == seen ? idle + retryInterval : .zero
                seen = attempts
                if idle >= (log.health == .ok ? interval : retryInterval) {
                    await log.probe()
                    (seen, idle) = (log.commitStats.commits &+ log.commitStats.failedCommits, .zero)
                }
                let now = log.health
                if now != last {
                    switch now {
                    case .ok: logger.info("the log accepts writes again")
                    case .failing(let reason): logger.error("the log cannot write", metadata: ["reason": "\(reason)"])
                    }
                    last = now
                }
            }
        }
    }
}
