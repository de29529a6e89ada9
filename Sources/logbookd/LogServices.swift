import EventSourcing
import Foundation
import HTTPAPI
import ServerKit
import LMDBEventLog
import Logging
import Metrics
import ServiceLifecycle
import Verification

/// Publishes the log's size and group-commit figures as gauges every second (events
/// committed divided by commits is the mean group-commit batch).
struct LogMetricsService: Service {
    let log: LMDBEventLog

    func run() async throws {
        let size = Gauge(label: "logbook_log_events")
        let bytes = Gauge(label: "logbook_log_file_bytes")
        let commits = Gauge(label: "logbook_commits")
        let committed = Gauge(label: "logbook_events_committed")
        let largest = Gauge(label: "logbook_commit_largest_batch")
        let failed = Gauge(label: "logbook_commits_failed")
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let stats = log.commitStats
                if let head = try? await log.head() { size.record(Double(head.size)) }
                bytes.record(Double(log.fileSize))
                commits.record(Double(stats.commits))
                committed.record(Double(stats.events))
                largest.record(Double(stats.largestBatch))
                failed.record(Double(stats.failedCommits))
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

/// Keeps the log's health fresh while the server is idle: every `interval`, when no commit
/// was attempted since the last look, it commits a probe through the writer, so `/healthz`
/// turns 503 when the storage stops accepting writes (and 200 again when it recovers) even
/// without traffic. Under traffic the appends themselves keep the health current.
struct LogHealthService: Service {
    let log: LMDBEventLog
    let logger: Logger
    var interval: Duration = .seconds(10)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var seen: UInt64 = .max
            var last = log.health
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let stats = log.commitStats
                let attempts = stats.commits &+ stats.failedCommits
                if attempts == seen { await log.probe() }
                seen = log.commitStats.commits &+ log.commitStats.failedCommits
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
