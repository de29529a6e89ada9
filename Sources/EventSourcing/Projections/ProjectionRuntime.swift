import Dispatch
import Synchronization

/// A read model's name, the last position folded into it and the SHA-256 digest of its snapshot.
public struct ReadModelDigest: Sendable, Equatable {
    public var name: String
    public var position: LogPosition
    public var digest: String

    public init(name: String, position: LogPosition, digest: String) { (self.name, self.position, self.digest) = (name, position, digest) }
}

/// Starts read models and keeps them current, off the log's writer thread.
///
/// `start()` registers with the log's commit observers first (each committed batch is
/// queued for the projector, so nothing is missed), restores each model from its
/// checkpoint, replays the log's tail, then goes live: from then on the *projector* (a
/// serial dispatch queue, not the writer thread and not Swift's cooperative pool) applies
/// every committed batch to every model, in position order. The writer is free to commit
/// the next batch meanwhile. `applied(through:)` is the barrier a command waits on before
/// its 2xx, so a read after a 2xx sees its effect (`AppliedLog` does this for every
/// append). Every `checkpointInterval` events a model's snapshot is saved in the
/// background, so a restart replays only the tail.
///
/// ```swift
/// let members = LiveProjection<MembersReadModel>()
/// let runtime = ProjectionRuntime(log: log, projections: [members])
/// try await runtime.start()
/// ```
public final class ProjectionRuntime: Sendable {
    public let log: any EventLog
    public let checkpointInterval: UInt64
    /// How many events one catch-up read fetches (16,384: a batch is shared out to the models
    /// on two threads, and at 4,096 waking the second thread was a fifth of a batch's time).
    public let readBatchSize: Int
    private let models = Mutex<[any AnyLiveProjection]>([])
    private let savingCheckpoint = Mutex<Set<String>>([])
    private let projector = DispatchQueue(label: "logbook-projector", qos: .userInitiated)
    private let progress = Mutex(Progress())

    struct Progress {
        /// Every event up to here is applied to every live model (0 until live).
        var applied: LogPosition = 0
        var live = false
        var waiters: [(position: LogPosition, continuation: CheckedContinuation<Void, Never>)] = []
    }

    public init(
        log: any EventLog, projections: [any AnyLiveProjection] = [], checkpointInterval: UInt64 = 100_000, readBatchSize: Int = 16_384
    ) {
        self.log = log
        self.checkpointInterval = checkpointInterval
        self.readBatchSize = readBatchSize
        models.withLock { $0 = projections }
    }

    /// Adds read models (before `start()`).
    public func add(_ projections: [any AnyLiveProjection]) { models.withLock { $0 += projections } }

    public var projections: [any AnyLiveProjection] { models.withLock { $0 } }

    /// Restores, catches up and goes live. Call once, before serving commands.
    public func start() async throws {
        // The log keeps the runtime alive from here on: read models live as long as their log.
        log.observeCommits { [self] batch in
            projector.async { self.apply(batch) }
        }
        let projections = projections
        for projection in projections {
            try projection.restore(from: try await log.loadCheckpoint(named: projection.name))
        }
        try await catchUp(projections)
        // Go live on the projector, after the batches it queued meanwhile are buffered.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            projector.async { [self] in
                do {
                    for projection in projections { try projection.goLive() }
                    let covered = projections.map(\.coveredPosition).min() ?? 0
                    finish(through: covered, live: true)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Every event up to here is applied to every read model (0 before `start()` ends).
    public var appliedPosition: LogPosition { progress.withLock { $0.applied } }

    /// Returns once every read model has applied the log through `position`.
    public func applied(through position: LogPosition) async {
        await withCheckedContinuation { continuation in
            let done = progress.withLock { progress in
                guard progress.applied < position || !progress.live else { return true }
                progress.waiters.append((position, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Every model's name, the position it has applied through and its digest, as they stood
    /// at one moment: the models are copied on the projector, between two batches, so a
    /// live runtime's models all stand at the same position (a model that stopped on a
    /// failure stays behind). The digests are computed off the projector and off Swift's
    /// cooperative pool. `logbook replay --until POSITION` prints the same for a rebuild.
    public func readModelDigests() async -> [ReadModelDigest] {
        let copies = await withCheckedContinuation { (continuation: CheckedContinuation<[(String, LogPosition, @Sendable () -> String)], Never>) in
            projector.async { [self] in
                continuation.resume(returning: projections.map { projection in
                    let (position, digest) = projection.copyForDigest()
                    return (projection.name, position, digest)
                })
            }
        }
        return await copies.sideBySide { ReadModelDigest(name: $0.0, position: $0.1, digest: $0.2()) }
    }

    /// Rebuilds every model from position 1, ignoring checkpoints, without following
    /// commits afterwards (offline replays, audits, benchmarks).
    public func rebuild() async throws {
        let projections = projections
        for projection in projections { try projection.restore(from: nil) }
        try await catchUp(projections)
    }

    /// Saves every model's checkpoint now (for example at shutdown), one after another,
    /// each snapshot encoded on a thread of its own at normal priority (the caller waits; a
    /// model of a million posts takes seconds to encode: not on Swift's cooperative pool;
    /// the log then compresses and writes it on its own low-priority thread, which at
    /// shutdown competes with nothing). A
    /// periodic save still in flight that lands after it is older, and the log keeps the
    /// newer (`CheckpointStore`).
    public func checkpointAll() async throws {
        for projection in projections {
            let checkpoint = try await DedicatedThread.run(name: "logbook-ckpt", projection.makeCheckpoint())
            try await log.saveCheckpoint(checkpoint)
        }
    }

    /// One committed batch, on the projector.
    private func apply(_ batch: [RecordedEvent]) {
        guard let last = batch.last?.position else { return }
        for projection in projections where projection.receive(batch) >= checkpointInterval {
            scheduleCheckpoint(projection)
        }
        if progress.withLock({ $0.live }) { finish(through: last, live: true) }
    }

    /// Moves the applied position and resumes the waiters it satisfies.
    private func finish(through position: LogPosition, live: Bool) {
        let ready = progress.withLock { progress in
            progress.live = live
            progress.applied = max(progress.applied, position)
            let applied = progress.applied
            let ready = progress.waiters.filter { $0.position <= applied }.map(\.continuation)
            progress.waiters.removeAll { $0.position <= applied }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Replays from the oldest covered position to the head, prefetching the next chunk
    /// while the current one is applied.
    private func catchUp(_ projections: [any AnyLiveProjection]) async throws {
        guard let oldest = projections.map(\.coveredPosition).min() else { return }
        var next = try await log.read(from: oldest + 1, limit: readBatchSize)
        while !next.isEmpty {
            let current = next
            async let prefetch = log.read(from: current[current.count - 1].position + 1, limit: readBatchSize)
            try await Self.catchUp(projections, with: current)
            next = try await prefetch
        }
    }

    /// Applies one catch-up batch to every model, the models side by side on Dispatch's
    /// worker threads (as many as there are cores; a batch takes milliseconds, so not on
    /// Swift's cooperative pool, which reads the next batch meanwhile). Each model applies
    /// the batch in position order, alone, so the result is the same as applying the models
    /// one after another; the first model's error in list order is the one thrown.
    public static func catchUp(_ projections: [any AnyLiveProjection], with batch: [RecordedEvent]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global(qos: .userInitiated).async {
                let errors = Mutex([(any Error)?](repeating: nil, count: projections.count))
                DispatchQueue.concurrentPerform(iterations: projections.count) { index in
                    do {
                        try projections[index].catchUp(with: batch)
                    } catch {
                        errors.withLock { $0[index] = error }
                    }
                }
                if let error = errors.withLock({ $0.lazy.compactMap { $0 }.first }) {
                    continuation.resume(throwing: error)
                } else {
                    continuation.resume()
                }
            }
        }
    }

    private func scheduleCheckpoint(_ projection: any AnyLiveProjection) {
        let name = projection.name
        let claimed = savingCheckpoint.withLock { $0.insert(name).inserted }
        guard claimed else { return }
        // Copy on the projector (O(1): the models share structure); encode off it, on a
        // thread of its own (a model of a million posts takes seconds: not the cooperative
        // pool's), then save.
        let encode = projection.makeCheckpoint()
        Task { [self] in
            if let checkpoint = try? await DedicatedThread.run(name: "logbook-ckpt", priority: .background, encode) {
                try? await log.saveCheckpoint(checkpoint)
            }
            _ = savingCheckpoint.withLock { $0.remove(name) }
        }
    }
}
