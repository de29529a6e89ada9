import ArgumentParser
import EventFixtures
import EventSourcing
import HTTPAPI
import LMDBEventLog

/// `peer-bench growth`: grows a log to a size, then measures how it replays, reads
/// and appends at that size. tools/bench grows one log to 1 M, 10 M (and 50 M) events.
struct GrowthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth", abstract: "Replay rate, random stream read latency and append rate of a log.")

    @Option(help: "The data directory of the log (created when missing).") var dataDir: String
    @Option(help: "Grow the log to this many events first (realistic events, batches of 1,000).") var growTo: UInt64 = 0
    @Option(help: "Events appended, in batches of 1,000, for the append rate.") var appendEvents = 200_000
    @Option(help: "Random streams read for the read latency.") var reads = 2_000

    func run() async throws {
        var options = LMDBEventLogOptions()
        options.dictionaryTrainingThreshold = 0
        // Grown, closed and opened again: measured as a server that starts on a log of this size.
        let growing = try LMDBEventLog(directory: dataDir, options: options)
        let grown = try await Measurement.time { try await grow(growing) }
        growing.close()
        let log = try LMDBEventLog(directory: dataDir, options: options)
        defer { log.close() }
        let size = try await log.head().size
        let latencies = try await readLatencies(log, size: size)
        var samples = SampleEvents(seed: 7_000_000 + size)
        let requests = (0..<(appendEvents / 1000)).map { _ in samples.request(1000) }
        let append = try await Measurement.time {
            for request in requests { _ = try await log.append(request) }
            return requests.count * 1000
        }
        // Into every read model of every domain the server runs. Measured last: at 50 M events
        // these models hold gigabytes, and appends measured after them ran at 26,500 events/s
        // (the page cache they pushed out), against 72,000-74,000 measured first (2026-12-03).
        let replay = try await Measurement.time {
            let models = try await LogbookDomains.audit(log: log).readModels
            try await ProjectionRuntime(log: log, projections: models, checkpointInterval: .max).rebuild()
            return Int(models.map(\.coveredPosition).min() ?? 0)
        }
        try JSONOutput.print([
            "events": size,
            "grow_events_per_second": Int(grown.eventsPerSecond),
            "file_bytes": log.fileSize,
            "replay_events_per_second": Int(replay.eventsPerSecond),
            "append_batch_1000_events_per_second": Int(append.eventsPerSecond),
            "stream_read_p50_us": latencies.percentile(50),
            "stream_read_p99_us": latencies.percentile(99),
            "stream_read_events_avg": latencies.eventsPerRead,
        ] as [String: Any])
    }

    /// Appends realistic events up to `growTo`. The generator is seeded with the current
    /// size, so a log grown in several steps gets new streams in each (no version clash).
    private func grow(_ log: LMDBEventLog) async throws -> Int {
        var size = try await log.head().size
        let start = size
        var samples = SampleEvents(seed: 1_000_000 + size)
        while size < growTo {
            let count = Int(min(1000, growTo - size))
            _ = try await log.append(samples.request(count))
            size += UInt64(count)
            if log.currentDictionaryID == 0, size >= 10_000 { _ = try await log.trainDictionary() }
        }
        return Int(size - start)
    }

    /// Reads whole streams (up to 1,000 events) picked through random positions.
    private func readLatencies(_ log: LMDBEventLog, size: UInt64) async throws -> ReadLatencies {
        var random = SystemRandomNumberGenerator()
        var result = ReadLatencies()
        for _ in 0..<reads {
            let position = LogPosition(UInt64.random(in: 1...size, using: &random))
            guard let stream = try await log.read(from: position, limit: 1).first?.stream else { continue }
            let start = ContinuousClock.now
            let events = try await log.readStream(stream, from: 1, limit: 1000)
            result.record(ContinuousClock.now - start, events: events.count)
        }
        return result
    }
}

/// Latencies of stream reads, in microseconds.
struct ReadLatencies {
    private var microseconds: [Double] = []
    private var events = 0

    mutating func record(_ duration: Duration, events: Int) {
        microseconds.append(duration.seconds * 1e6)
        self.events += events
    }

    func percentile(_ p: Double) -> Double {
        guard !microseconds.isEmpty else { return 0 }
        let sorted = microseconds.sorted()
        let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p / 100))]
        return (value * 10).rounded() / 10
    }

    var eventsPerRead: Double { microseconds.isEmpty ? 0 : Double(events) / Double(microseconds.count) }
}
