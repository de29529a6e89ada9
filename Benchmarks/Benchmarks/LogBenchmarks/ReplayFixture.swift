import Benchmark
import EventFixtures
import EventSourcing
import Foundation
import HTTPAPI
import LMDBEventLog

/// A log of one million realistic events, built once per benchmark process and kept
/// under .build-bench-data/replay-1M between runs (rebuilt when missing).
final class ReplayFixture: Sendable {
    static let eventCount = 1_000_000
    let directory: String
    let jsonBytes: Int

    private init(directory: String, jsonBytes: Int) {
        self.directory = directory
        self.jsonBytes = jsonBytes
    }

    static func shared() async throws -> ReplayFixture {
        let directory = BenchData.root + "/replay-1M-v2"  // v2: domain events that decode
        let marker = directory + "/json-bytes"
        if let text = try? String(contentsOfFile: marker, encoding: .utf8), let bytes = Int(text) {
            return ReplayFixture(directory: directory, jsonBytes: bytes)
        }
        try? FileManager.default.removeItem(atPath: directory)
        var options = LMDBEventLogOptions()
        options.dictionaryTrainingThreshold = 0
        let log = try LMDBEventLog(directory: directory, options: options)
        var generator = SampleEvents(seed: 11)
        var jsonBytes = 0
        for batch in 0..<(eventCount / 1000) {
            let samples = generator.take(1000)
            jsonBytes += samples.reduce(0) { $0 + $1.jsonText.utf8.count }
            _ = try await log.append(AppendRequest(samples.map(\.append)))
            if batch == 9 { try await log.trainDictionary() }
        }
        // A recent checkpoint, 1,000 events behind the head, for the restart benchmark.
        let stats = LiveProjection<LogStatistics>()
        try stats.restore(from: nil)
        var position: LogPosition = 1
        while position <= LogPosition(eventCount - 1000) {
            let events = try await log.read(from: position, limit: min(4096, eventCount - 1000 - Int(position) + 1))
            try stats.catchUp(with: events)
            position += LogPosition(events.count)
        }
        try await log.saveCheckpoint(stats.takeCheckpoint())
        log.close()
        try String(jsonBytes).write(toFile: marker, atomically: true, encoding: .utf8)
        return ReplayFixture(directory: directory, jsonBytes: jsonBytes)
    }

    private func open() throws -> LMDBEventLog {
        var options = LMDBEventLogOptions()
        options.dictionaryTrainingThreshold = 0
        return try LMDBEventLog(directory: directory, options: options)
    }

    /// Every event from position 1 into every read model of every domain the server runs.
    func replayAll() async throws {
        let log = try open()
        defer { log.close() }
        let models = try await LogbookDomains.audit(log: log).readModels
        let runtime = ProjectionRuntime(log: log, projections: models, checkpointInterval: .max)
        try await runtime.rebuild()
        precondition(models.allSatisfy { $0.coveredPosition == LogPosition(Self.eventCount) && $0.failure == nil })
    }

    /// Open the log, restore from the checkpoint, replay the tail: ready to serve.
    func restartFromCheckpoint() async throws {
        let log = try open()
        defer { log.close() }
        let stats = LiveProjection<LogStatistics>()
        try await ProjectionRuntime(log: log, projections: [stats], checkpointInterval: .max).start()
        precondition(stats.position == LogPosition(Self.eventCount))
    }

    func storageFigures() -> [(BenchmarkMetric, Int)] {
        let log = try! open()
        defer { log.close() }
        let fileBytes = log.fileSize
        let events = Self.eventCount
        return [
            (StorageMetrics.jsonBytesPerEvent, jsonBytes / events),
            (StorageMetrics.diskBytesPerEvent, fileBytes / events),
            (StorageMetrics.diskPercentOfJSON, fileBytes * 100 / jsonBytes),
        ]
    }
}

/// Custom metrics of the storage benchmark.
enum StorageMetrics {
    static let jsonBytesPerEvent = BenchmarkMetric.custom("JSON text bytes per event", polarity: .prefersSmaller)
    static let diskBytesPerEvent = BenchmarkMetric.custom("LMDB file bytes per event", polarity: .prefersSmaller)
    static let diskPercentOfJSON = BenchmarkMetric.custom("LMDB file as % of JSON text", polarity: .prefersSmaller)
    static let all = [jsonBytesPerEvent, diskBytesPerEvent, diskPercentOfJSON]
}
