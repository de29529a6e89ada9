import Dispatch
import EventSourcing
import Foundation
import LMDB
import Logging
import Synchronization

/// The single owner of write transactions: a dedicated thread doing group commit.
///
/// Appenders enqueue ops and suspend. The thread takes everything queued (up to
/// `maxEventsPerCommit` events), applies it in one transaction, commits with one
/// sync, and only then publishes the new head, calls the commit observers and
/// resumes the appenders. While it syncs, new ops queue up for the next commit, so
/// the number of events per sync grows with the load. No `await` ever happens
/// inside a transaction, and fsync never blocks Swift's cooperative pool.
final class LogWriter: Sendable {
    private struct Queue {
        var ops: [WriterOp] = []
        var closed = false
    }

    let environment: Environment
    let databases: LogDatabases
    private let dictionaries: DictionaryRegistry
    private let index: StreamIndex
    let options: LMDBEventLogOptions
    let logger: Logger
    private let queue = Mutex(Queue())
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Owned by the writer thread; read elsewhere only through `head`.
    let state: Mutex<WriterState>
    private let observers = Mutex<[@Sendable ([RecordedEvent]) -> Void]>([])
    private let timingObservers = Mutex<[@Sendable (CommitTiming) -> Void]>([])
    let stats = Mutex(CommitStats())
    let healthState = Mutex(LogHealth.ok)
    /// Failures that outlive one commit (see `LogWriter+Recovery.swift`); writer thread only.
    let recovery = Mutex(StorageRecovery())

    init(
        environment: Environment, databases: LogDatabases, dictionaries: DictionaryRegistry, index: StreamIndex,
        state: WriterState, options: LMDBEventLogOptions, logger: Logger
    ) {
        self.environment = environment
        self.databases = databases
        self.dictionaries = dictionaries
        self.index = index
        self.options = options
        self.logger = logger
        self.state = Mutex(state)
        let thread = Thread { [self] in run() }
        thread.name = "logbook-writer"
        thread.start()
    }

    /// The committed head.
    var head: LogHead { state.withLock { $0.head } }

    /// Counters for metrics and benchmarks.
    var commitStats: CommitStats { stats.withLock { $0 } }

    /// The outcome of the last write transaction.
    var health: LogHealth { healthState.withLock { $0 } }

    /// Queues `op`; fails it at once when the writer is closed.
    func submit(_ op: WriterOp) {
        let accepted = queue.withLock { queue in
            guard !queue.closed else { return false }
            queue.ops.append(op)
            return true
        }
        guard accepted else { return op.fail(EventLogError(.closed, "the log is closed")) }
        wakeup.signal()
    }

    func observeTimings(_ observer: @escaping @Sendable (CommitTiming) -> Void) {
        timingObservers.withLock { $0.append(observer) }
    }

    func observe(_ observer: @escaping @Sendable ([RecordedEvent]) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Finishes every queued op, then stops the thread.
    func close() {
        let first = queue.withLock { queue in
            defer { queue.closed = true }
            return !queue.closed
        }
        guard first else { return }
        wakeup.signal()
        finished.wait()
    }

    private func run() {
        DedicatedThread.nameCurrentThread("logbook-writer")  // from inside, so top, perf and gdb show it
        var lastBatchAppends = 0
        while true {
            wakeup.wait()
            while true {
                if lastBatchAppends > 1 { lingerWhileArriving() }
                let (ops, closed) = takeBatch()
                if ops.isEmpty {
                    if closed {
                        finished.signal()
                        return
                    }
                    break
                }
                commit(ops)
                lastBatchAppends = ops.count
            }
        }
    }

    /// Under concurrency, appenders answered by the last commit come back within
    /// microseconds: waiting while the queue still grows (up to `groupCommitLinger`)
    /// lets them join the next commit instead of forming a cohort of their own, so one
    /// sync serves about twice as many events. Only after a commit that served several
    /// requests: a lone appender never waits.
    private func lingerWhileArriving() {
        let limit = options.groupCommitLinger
        guard limit > .zero else { return }
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        var seen = queue.withLock { $0.ops.count }
        while clock.now < deadline {
            usleep(50)
            let now = queue.withLock { $0.ops.count }
            if now == seen { return }
            seen = now
        }
    }

    /// The queued ops up to `maxEventsPerCommit` events (always at least one op).
    private func takeBatch() -> ([WriterOp], Bool) {
        queue.withLock { queue in
            var count = 0
            var taken = 0
            for op in queue.ops {
                if taken > 0 && count + op.eventCount > options.maxEventsPerCommit { break }
                count += op.eventCount
                taken += 1
            }
            let ops = Array(queue.ops.prefix(taken))
            queue.ops.removeFirst(taken)
            return (ops, queue.closed)
        }
    }

    private func commit(_ ops: [WriterOp]) {
        if let refusal = refusal(of: ops) { return refuse(ops, refusal) }
        let before = state.withLock { $0 }
        let events = ops.reduce(0) { $0 + $1.eventCount }
        let foldChunk = index.nextFoldChunk(
            incoming: UInt64(events), interval: options.streamIndexFlushInterval, limit: options.streamIndexFoldChunk)
        var attempt = 0
        while true {
            do {
                let started = ContinuousClock.now
                let batch = try environment.write { txn in
                    var batch = CommitBatch(
                        txn: txn, databases: databases, index: index, foldChunk: foldChunk, state: before)
                    try batch.run(ops)
                    return batch
                }
                let timing = CommitTiming(events: batch.events.count, duration: ContinuousClock.now - started)
                for observer in timingObservers.withLock({ $0 }) { observer(timing) }
                finish(ops, batch)
                return
            } catch let error as LMDBError where error == .mapFull && attempt < 8 {
                attempt += 1
                if !growMap() {
                    return fail(ops, EventLogError(
                        .storageFull, "the map reached its maximum size (\(options.maxMapSize) bytes): \(error)"), shortage: .map)
                }
            } catch {
                return commitFailed(ops, error)
            }
        }
    }

    /// Doubles the map (up to the configured maximum); false when it cannot.
    private func growMap() -> Bool {
        let current = environment.mapSize
        let next = min(current * 2, options.maxMapSize)
        guard next > current else { return false }
        do {
            try environment.setMapSize(next)
            logger.info("grew the map", metadata: ["bytes": "\(next)"])
            return true
        } catch {
            logger.error("could not grow the map", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Adopts the committed state, tells observers, then answers every op.
    private func finish(_ ops: [WriterOp], _ batch: CommitBatch) {
        index.adopt(batch, through: batch.state.frontier.size)
        if let chunk = batch.foldChunk { index.wrote(chunk) }
        state.withLock { $0 = batch.state }
        for result in batch.results {
            if case .dictionaryInstalled(let id, let bytes) = result {
                do {
                    try dictionaries.register(id: id, bytes: bytes, current: true)
                } catch {
                    logger.error("stored dictionary failed to load", metadata: ["id": "\(id)", "error": "\(error)"])
                }
            }
        }
        stats.withLock { $0.record(commitOf: batch.events.count) }
        if batch.wroteAnything, !stillShortOfDisk() {
            healthState.withLock { $0 = .ok }
            recovery.withLock { $0.shortage = nil }
        }
        if !batch.events.isEmpty {
            for observer in observers.withLock({ $0 }) { observer(batch.events) }
        }
        let head = batch.state.head
        for (op, result) in zip(ops, batch.results) {
            switch (op, result) {
            case (.append(_, let continuation), .appended(let events)):
                continuation.resume(returning: .appended(events: events, head: head))
            case (.append(_, let continuation), .duplicate(let stored)):
                continuation.resume(returning: .duplicate(storedResult: stored))
            case (.installDictionary(_, let continuation), .dictionaryInstalled(let id, _)):
                continuation.resume(returning: id)
            case (.pruneIdempotency(_, _, let continuation), .pruned(let count)):
                continuation.resume(returning: count)
            case (.probe(let continuation), .probed), (.dropStoredCheckpoint(_, let continuation), .probed):
                continuation.resume()
            case (_, .failed(let error)):
                op.fail(error)
            default:
                op.fail(EventLogError(.storageFailure, "internal: op and result do not match"))
            }
        }
    }

    /// A failed commit: the storage is failing until a commit succeeds again.
    func fail(_ ops: [WriterOp], _ error: EventLogError, shortage: StorageRecovery.Shortage?) {
        stats.withLock { $0.recordFailure() }
        recovery.withLock { $0.shortage = shortage }
        refuse(ops, error)
    }

    /// Ops answered with `error` without a commit (or after a failed one): the storage is failing.
    func refuse(_ ops: [WriterOp], _ error: EventLogError) {
        healthState.withLock { $0 = .failing(reason: error.description) }
        for op in ops { op.fail(error) }
    }
}

/// One successful write transaction: how many events it committed and how long it took,
/// its fsync included.
public struct CommitTiming: Sendable {
    public let events: Int
    public let duration: Duration
}

/// How many commits and events the writer has made (group-commit batch sizes).
public struct CommitStats: Sendable, Hashable {
    public private(set) var commits: UInt64 = 0
    public private(set) var events: UInt64 = 0
    public private(set) var largestBatch: Int = 0
    /// Commits that failed in the storage (their ops all failed).
    public private(set) var failedCommits: UInt64 = 0

    /// No commits yet.
    public init() {}

    mutating func record(commitOf events: Int) {
        commits += 1
        self.events += UInt64(events)
        largestBatch = max(largestBatch, events)
    }

    mutating func recordFailure() { failedCommits += 1 }

    /// Times the writer closed and reopened the LMDB environment after a fatal error.
    public private(set) var reopens: UInt64 = 0

    mutating func recordReopen() { reopens += 1 }
}
