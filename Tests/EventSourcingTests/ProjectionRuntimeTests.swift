import EventFixtures
import EventSourcing
import Foundation
import Synchronization
import Testing

/// Counts events per stream; remembers how many it applied since it was restored
/// (not part of the snapshot), so tests can see how much a restart replayed.
struct StreamCounts: Projection {
    static let name = "stream-counts"
    static let formatVersion: UInt32 = 1
    var counts: [String: UInt64] = [:]
    var appliedSinceRestore = 0

    init() {}

    mutating func apply(_ event: RecordedEvent) {
        counts[event.stream.rawValue, default: 0] += 1
        appliedSinceRestore += 1
    }

    func snapshot() -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(UInt64(counts.count))
        for key in counts.keys.sorted() {
            writer.write(key)
            writer.write(counts[key]!)
        }
        return writer.bytes
    }

    init(snapshot: [UInt8]) throws {
        try BinaryReader.read(snapshot) { reader in
            for _ in 0..<(try reader.readUInt64()) { counts[try reader.readString()] = try reader.readUInt64() }
        }
    }
}

/// Counts events and notes the name of the thread each of its snapshots is encoded on.
struct SnapshotThreads: Projection {
    static let name = "snapshot-threads"
    static let formatVersion: UInt32 = 1
    static let encodedOn = Mutex<[String]>([])
    var count: UInt64 = 0

    init() {}
    init(snapshot: [UInt8]) throws { try BinaryReader.read(snapshot) { count = try $0.readUInt64() } }
    mutating func apply(_ event: RecordedEvent) { count += 1 }

    func snapshot() -> [UInt8] {
        // The runtime's name for the thread, and the kernel's (what top -H and perf show).
        let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
        let thread = (DedicatedThread.currentName ?? "not a dedicated thread") + "|" + comm.trimmingCharacters(in: .whitespacesAndNewlines)
        Self.encodedOn.withLock { $0.append(thread) }
        var writer = BinaryWriter()
        writer.write(count)
        return writer.bytes
    }
}

/// Counts events, and fails on the event at position 10.
struct FailsAtTen: Projection {
    struct Refused: Error, Equatable { let position: LogPosition }
    static let name = "fails-at-ten"
    static let formatVersion: UInt32 = 1
    var count: UInt64 = 0

    init() {}
    init(snapshot: [UInt8]) throws { try BinaryReader.read(snapshot) { count = try $0.readUInt64() } }
    mutating func apply(_ event: RecordedEvent) throws {
        if event.position == 10 { throw Refused(position: event.position) }
        count += 1
    }
    func snapshot() -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(count)
        return writer.bytes
    }
}

func appendSamples(_ log: any EventLog, _ count: Int, seed: UInt64) async throws {
    var samples = SampleEvents(seed: seed, pattern: .uniform(pool: 50))
    for sample in samples.take(count) {
        _ = try await log.append(AppendRequest(stream: sample.stream, expected: .any, events: [sample.event]))
    }
}

@Suite struct ProjectionRuntimeTests {
    @Test func readModelsCatchUpThenFollowEveryAcknowledgedAppend() async throws {
        let log = InMemoryEventLog()
        try await appendSamples(log, 200, seed: 1)
        let counts = LiveProjection<StreamCounts>()
        let stats = LiveProjection<LogStatistics>()
        let runtime = ProjectionRuntime(log: log, projections: [counts, stats], readBatchSize: 64)
        try await runtime.start()
        #expect(counts.position == 200)
        #expect(stats.read { model, _ in model.totalEvents } == 200)
        // Commands append through `AppliedLog`: durable, then applied by every read model.
        let commands = AppliedLog(log, runtime: runtime)
        for i in 0..<50 {
            let recorded = try await commands.append(AppendRequest(
                stream: "live-1", expected: .any,
                events: [NewEvent(type: "t.v1", payload: [], timestamp: Timestamp(millisecondsSince1970: Int64(i)))]))
            // A read after the append returned sees it: no stale state for the next decision.
            #expect(counts.read { model, position in position == recorded.events[0].position && model.counts["live-1"] == UInt64(i + 1) })
        }
        #expect(runtime.appliedPosition == 250)
    }

    /// Catch-up shares each batch out to the models on several threads: each model still
    /// folds every event in order, as if alone.
    @Test func modelsCaughtUpSideBySideEqualModelsFoldedOneByOne() async throws {
        let log = InMemoryEventLog()
        try await appendSamples(log, 1_000, seed: 2)
        let counts = LiveProjection<StreamCounts>()
        let stats = LiveProjection<LogStatistics>()
        let runtime = ProjectionRuntime(log: log, projections: [counts, stats], readBatchSize: 37)
        try await runtime.rebuild()
        var alone = (StreamCounts(), LogStatistics())
        for event in try await log.read(from: 1, limit: 2_000) {
            alone.0.apply(event)
            try alone.1.apply(event)
        }
        #expect(counts.position == 1_000 && stats.position == 1_000)
        #expect(counts.digest == alone.0.digest && stats.digest == alone.1.digest)
    }

    /// A model that cannot apply an event stops there and start() says why; the others
    /// applied the same batches.
    @Test func aModelFailingDuringCatchUpStopsThereAndStartThrowsItsError() async throws {
        let log = InMemoryEventLog()
        try await appendSamples(log, 100, seed: 3)
        let counts = LiveProjection<StreamCounts>()
        let failing = LiveProjection<FailsAtTen>()
        let runtime = ProjectionRuntime(log: log, projections: [counts, failing], readBatchSize: 16)
        await #expect(throws: FailsAtTen.Refused(position: 10)) { try await runtime.start() }
        #expect(failing.position == 9 && failing.read { model, _ in model.count } == 9)
        #expect(failing.failure as? FailsAtTen.Refused == FailsAtTen.Refused(position: 10))
        #expect(counts.position == 16, "the batch that failed was applied by the other model, and no more")
    }

    @Test func readModelsApplyOffTheAppendersPathAndTheBarrierWaitsForThem() async throws {
        let log = InMemoryEventLog()
        let counts = LiveProjection<StreamCounts>()
        let runtime = ProjectionRuntime(log: log, projections: [counts])
        try await runtime.start()
        // Many appends at once: each returns only once its events are applied.
        let commands = AppliedLog(log, runtime: runtime)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<25 {
                        let recorded = try await commands.append(AppendRequest(
                            stream: StreamID("c-\(task)") ?? "c-x", expected: .any,
                            events: [NewEvent(type: "t.v1", payload: [], timestamp: Timestamp(millisecondsSince1970: Int64(i)))]))
                        #expect(counts.position >= recorded.events[0].position)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(counts.read { model, _ in model.counts.values.reduce(0, +) } == 200)
        // A barrier on a position already applied returns at once.
        await runtime.applied(through: 1)
    }

    @Test func eventsAppendedDuringCatchUpAreNeitherLostNorDoubled() async throws {
        let log = InMemoryEventLog()
        try await appendSamples(log, 2000, seed: 2)
        let counts = LiveProjection<StreamCounts>()
        let runtime = ProjectionRuntime(log: log, projections: [counts], readBatchSize: 16)
        async let started: Void = runtime.start()
        for _ in 0..<100 {
            _ = try await log.append(AppendRequest(
                stream: "during-1", expected: .any,
                events: [NewEvent(type: "t.v1", payload: [], timestamp: Timestamp(millisecondsSince1970: 0))]))
        }
        try await started
        #expect(counts.position == 2100)
        #expect(counts.read { model, _ in model.counts.values.reduce(0, +) } == 2100)
        #expect(counts.read { model, _ in model.counts["during-1"] } == 100)
    }

    @Test func aRestartFromACheckpointReplaysOnlyTheTailAndReachesTheSameDigest() async throws {
        let log = InMemoryEventLog()
        let first = LiveProjection<StreamCounts>()
        try await ProjectionRuntime(log: log, projections: [first], checkpointInterval: 100).start()
        for _ in 0..<21 {
            try await appendSamples(log, 50, seed: 3)
            await Task.yield()
        }
        // Checkpoints are saved in the background, every 100 events at most.
        var checkpoint: Checkpoint?
        for _ in 0..<2000 where checkpoint == nil {
            checkpoint = try await log.loadCheckpoint(named: StreamCounts.name)
            try await Task.sleep(for: .milliseconds(5))
        }
        let covered = try #require(checkpoint?.position)
        #expect(covered >= 100 && covered < 1050)

        let restarted = LiveProjection<StreamCounts>()
        try await ProjectionRuntime(log: log, projections: [restarted]).start()
        // A save still in flight may have replaced that checkpoint with a later one since.
        let replayed = restarted.read { model, _ in model.appliedSinceRestore }
        #expect(replayed <= Int(1050 - covered) && replayed < 1050, "\(replayed) events replayed from a checkpoint at or after \(covered)")

        let rebuilt = LiveProjection<StreamCounts>()
        try rebuilt.restore(from: nil)
        try rebuilt.catchUp(with: try await log.read(from: 1, limit: .max))
        #expect(rebuilt.read { model, _ in model.appliedSinceRestore } == 1050)
        #expect(restarted.digest == first.digest)
        #expect(rebuilt.digest == first.digest)
    }

    /// Encoding a checkpoint of a large model takes seconds: never on Swift's cooperative
    /// pool (two threads here), always on a thread of its own.
    @Test func checkpointsAreEncodedOnAThreadOfTheirOwn() async throws {
        let log = InMemoryEventLog()
        let model = LiveProjection<SnapshotThreads>()
        try await ProjectionRuntime(log: log, projections: [model], checkpointInterval: 10).start()
        try await appendSamples(log, 50, seed: 5)
        var checkpoint: Checkpoint?
        for _ in 0..<2000 where checkpoint == nil {
            checkpoint = try await log.loadCheckpoint(named: SnapshotThreads.name)
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(checkpoint != nil)
        let threads = SnapshotThreads.encodedOn.withLock { $0 }
        #expect(!threads.isEmpty && threads.allSatisfy { $0 == "logbook-ckpt|logbook-ckpt" }, "\(threads)")
    }

    /// The shutdown save too: every model encoded off the cooperative pool, and saved.
    @Test func checkpointAllEncodesOnAThreadOfItsOwn() async throws {
        let log = InMemoryEventLog()
        let model = LiveProjection<SnapshotThreads>()
        let runtime = ProjectionRuntime(log: log, projections: [model], checkpointInterval: 1_000_000)
        try await runtime.start()
        try await appendSamples(log, 30, seed: 6)
        await runtime.applied(through: 30)
        try await runtime.checkpointAll()
        #expect(try await log.loadCheckpoint(named: SnapshotThreads.name)?.position == 30)
        let threads = SnapshotThreads.encodedOn.withLock { $0 }
        #expect(!threads.isEmpty && threads.allSatisfy { $0 == "logbook-ckpt|logbook-ckpt" }, "\(threads)")
    }

    @Test func aCheckpointOfAnotherFormatIsIgnored() async throws {
        let log = InMemoryEventLog()
        try await appendSamples(log, 30, seed: 4)
        try await log.saveCheckpoint(Checkpoint(name: StreamCounts.name, formatVersion: 99, position: 30, snapshot: [0xFF]))
        let counts = LiveProjection<StreamCounts>()
        try await ProjectionRuntime(log: log, projections: [counts]).start()
        #expect(counts.read { model, _ in model.appliedSinceRestore } == 30)
    }

    @Test func logStatisticsSnapshotsRoundTrip() async throws {
        var stats = LogStatistics()
        var samples = SampleEvents(seed: 9)
        for (index, sample) in samples.take(500).enumerated() {
            try stats.apply(RecordedEvent(
                position: UInt64(index + 1), stream: sample.stream, version: 1, type: sample.event.type,
                payload: sample.event.payload, timestamp: sample.event.timestamp, metadata: .none))
        }
        let restored = try LogStatistics(snapshot: stats.snapshot())
        #expect(restored == stats)
        #expect(restored.digest == stats.digest)
        #expect(stats.eventsByType.count == 5)
    }
}
