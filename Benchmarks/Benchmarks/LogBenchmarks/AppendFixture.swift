import EventFixtures
import EventSourcing
import Foundation
import LMDBEventLog

/// A fresh durable log with a trained dictionary (the steady state), and
/// pre-generated realistic events so generating them is not measured.
final class AppendFixture: Sendable {
    let log: LMDBEventLog
    let directory: String
    let samples: [SampleEvents.Sample]

    init(log: LMDBEventLog, directory: String, samples: [SampleEvents.Sample]) {
        self.log = log
        self.directory = directory
        self.samples = samples
    }

    static func make() async throws -> AppendFixture {
        let directory = BenchData.freshDirectory("append")
        var options = LMDBEventLogOptions()
        options.dictionaryTrainingThreshold = 0
        let log = try LMDBEventLog(directory: directory, options: options)
        var generator = SampleEvents(seed: 7)
        for _ in 0..<5 {
            let warm = generator.take(1000)
            _ = try await log.append(AppendRequest(warm.map { StreamAppend(stream: $0.stream, expected: .any, events: [$0.event]) }))
        }
        try await log.trainDictionary()
        return AppendFixture(log: log, directory: directory, samples: generator.take(1000))
    }

    /// The 1,000 samples as requests of `size` events each.
    func batches(of size: Int) -> [AppendRequest] {
        stride(from: 0, to: samples.count, by: size).map { start in
            AppendRequest(samples[start..<min(start + size, samples.count)].map {
                StreamAppend(stream: $0.stream, expected: .any, events: [$0.event])
            })
        }
    }

    deinit {
        log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Where benchmark logs live: on the project's disk, so fsync is real.
enum BenchData {
    static let root = FileManager.default.currentDirectoryPath + "/.build-bench-data"

    static func freshDirectory(_ name: String) -> String {
        let path = root + "/\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
