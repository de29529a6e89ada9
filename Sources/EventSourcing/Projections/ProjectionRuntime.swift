import Synchronization

/// Starts read models and keeps them current: restore, catch up, then follow commits.
///
/// `start()` registers with the log's commit observers first (buffering), restores
/// each model from its checkpoint, replays the log's tail, then applies whatever was
/// buffered: no event is missed or applied twice. From then on every committed batch
/// is applied before its appends return. Every `checkpointInterval` events a model's
/// snapshot is saved in the background, so a restart replays only the tail.
///
/// ```swift
/// let members = LiveProjection<MembersReadModel>()
/// let runtime = ProjectionRuntime(log: log, projections: [members])
/// try await runtime.start()
/// ```
public final class ProjectionRuntime: Sendable {
    public let log: any EventLog
    public let projections: [any AnyLiveProjection]
    public let checkpointInterval: UInt64
    /// How many events one catch-up read fetches.
    public let readBatchSize: Int
    private let savingCheckpoint = Mutex<Set<String>>([])

    public init(
        log: any EventLog, projections: [any AnyLiveProjection], checkpointInterval: UInt64 = 100_000,
        readBatchSize: Int = 4096
    ) {
        self.log = log
        self.projections = projections
        self.checkpointInterval = checkpointInterval
        self.readBatchSize = readBatchSize
    }

    /// Restores, catches up and goes live. Call once, before serving commands.
    public func start() async throws {
        // The log keeps the runtime alive from here on: read models live as long as their log.
        log.observeCommits { [self] batch in
            for projection in projections where projection.receive(batch) >= checkpointInterval {
                scheduleCheckpoint(projection)
            }
        }
        for projection in projections {
            try projection.restore(from: try await log.loadCheckpoint(named: projection.name))
        }
        try await catchUp()
        for projection in projections { try projection.goLive() }
    }

    /// Rebuilds every model from position 1, ignoring checkpoints, without following
    /// commits afterwards (offline replays, audits, benchmarks).
    public func rebuild() async throws {
        for projection in projections { try projection.restore(from: nil) }
        try await catchUp()
    }

    /// Saves every model's checkpoint now (for example at shutdown).
    public func checkpointAll() async throws {
        for projection in projections { try await log.saveCheckpoint(projection.takeCheckpoint()) }
    }

    /// Replays from the oldest covered position to the head, prefetching the next chunk
    /// while the current one is applied.
    private func catchUp() async throws {
        guard let oldest = projections.map(\.coveredPosition).min() else { return }
        var next = try await log.read(from: oldest + 1, limit: readBatchSize)
        while !next.isEmpty {
            let current = next
            async let prefetch = log.read(from: current[current.count - 1].position + 1, limit: readBatchSize)
            for projection in projections { try projection.catchUp(with: current) }
            next = try await prefetch
        }
    }

    private func scheduleCheckpoint(_ projection: any AnyLiveProjection) {
        let name = projection.name
        let claimed = savingCheckpoint.withLock { $0.insert(name).inserted }
        guard claimed else { return }
        // Copy on the commit path (O(1)); encode and save off it.
        let encode = projection.makeCheckpoint()
        Task { [self] in
            try? await log.saveCheckpoint(encode())
            _ = savingCheckpoint.withLock { $0.remove(name) }
        }
    }
}
