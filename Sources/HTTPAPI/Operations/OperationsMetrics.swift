public import ServerKit

/// The operations domain's metrics: how far the read models trail the log, live admin
/// event subscribers, pruned idempotency keys.
public enum OperationsMetrics {
    public static let readModelLag = GaugeMetric(
        "logbook_read_model_lag_events", help: "Events committed to the log but not yet applied to the read models.")
    public static let sseSubscribers = GaugeMetric(
        "logbook_sse_subscribers", help: "Open server-sent-event subscriptions (/v1/admin/events/stream).")
    public static let idempotencyKeysPruned = CounterMetric(
        "logbook_idempotency_keys_pruned_total", help: "Idempotency keys forgotten after the retention period.")

    public static let all = [readModelLag.description, sseSubscribers.description, idempotencyKeysPruned.description]
}

/// The log's own metrics, recorded by the server from the LMDB log's commit statistics.
public enum LogStorageMetrics {
    public static let events = GaugeMetric("logbook_log_events", help: "Events in the log (its head position).")
    public static let fileBytes = GaugeMetric("logbook_log_file_bytes", help: "Size of the log's LMDB data file.")
    public static let commits = CounterMetric("logbook_commits_total", help: "Write transactions committed (group commits).")
    public static let commitFailures = CounterMetric(
        "logbook_commit_failures_total", help: "Write transactions that failed; their appends were refused.")
    public static let eventsCommitted = CounterMetric("logbook_events_committed_total", help: "Events committed since the start.")
    public static let commitBatch = HistogramMetric(
        "logbook_commit_batch_events", help: "Events per group commit.", buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096])
    public static let commitDuration = DurationMetric(
        "logbook_commit_duration_seconds", help: "Time of one write transaction, its fsync included.")
    public static let healthy = GaugeMetric("logbook_log_healthy", help: "1 while the log accepts writes, 0 after a failed commit.")
    public static let reopens = CounterMetric(
        "logbook_log_reopens_total", help: "Times the log's LMDB environment was closed and reopened after LMDB marked it unusable.")
    public static let idempotencyKeysStored = GaugeMetric(
        "logbook_idempotency_keys_stored", help: "Idempotency keys the log holds with their answers, until pruned after the retention.")

    public static let all = [
        events.description, fileBytes.description, commits.description, commitFailures.description, eventsCommitted.description,
        commitBatch.description, commitDuration.description, healthy.description, reopens.description,
        idempotencyKeysStored.description,
    ]
}
