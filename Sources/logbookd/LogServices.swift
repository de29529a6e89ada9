import EventSourcing
import Foundation
import HTTPAPI
import ServerKit
import LMDBEventLog
import Logging
import NIOPosix
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
/// Replaced durably (`checkpoint.json.tmp`, mode 0600, synced, renamed over the old one,
/// directory synced) on NIO's thread pool, off Swift's cooperative pool.
struct CheckpointService: Service {
    let log: LMDBEventLog
    let sign: @Sendable (LogHead) throws -> SignedCheckpoint
    let path: String
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    let checkpoint = try sign(try await log.head())
                    try await Self.replace(path, with: Array(try JSONEncoder().encode(CheckpointRoutes.Body(checkpoint))))
                    if failing { logger.info("checkpoint.json is written again", metadata: ["path": "\(path)"]) }
                    failing = false
                } catch {
                    if !failing { logger.warning("checkpoint.json not written", metadata: ["path": "\(path)", "error": "\(error)"]) }
                    failing = true
                }
                try? await Task.sleep(for: .seconds(60))
            }
        }
    }

    /// Replaces the file at `path` with `bytes`, whole: a crash leaves the old one or the new.
    static func replace(_ path: String, with bytes: [UInt8]) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            let temporary = path + ".tmp"
            unlink(temporary)  // a crash's leftover
            try DurableFile.create(temporary, dataOnly: true) { try DurableFile.writeAll($0, bytes, path: temporary) }
            try DurableFile.rename(temporary, over: path)
            try DurableFile.syncDirectory(DurableFile.directory(of: path))
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
