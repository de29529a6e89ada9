import EventFixtures
import EventSourcing
import Foundation
import LMDBEventLog
import Synchronization

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

    static func make(
        pattern: SampleEvents.Pattern = .realistic, events: Int = 1000 * (maxIterations + 10)
    ) async throws -> AppendFixture {
        let directory = BenchData.freshDirectory("append")
        var options = LMDBEventLogOptions()
        options.dictionaryTrainingThreshold = 0
        let log = try LMDBEventLog(directory: directory, options: options)
        var generator = SampleEvents(seed: 7, pattern: pattern)
        for _ in 0..<5 { _ = try await log.append(generator.request(1000)) }
        try await log.trainDictionary()
        // Enough fresh samples for every iteration: each appends 1,000 events, with the
        // expected versions a command would use, so no sample is appended twice.
        return AppendFixture(log: log, directory: directory, samples: generator.take(events))
    }

    /// Iterations a benchmark of this fixture may run (warm-up included).
    static let maxIterations = 200
    private let next = Atomic<Int>(0)

    /// The next unused `events` samples as requests of `size` events each.
    func batches(of size: Int, events: Int = 1000) -> [AppendRequest] {
        let start = next.wrappingAdd(events, ordering: .relaxed).oldValue % samples.count
        let slice = samples[start..<min(start + events, samples.count)]
        return stride(from: slice.startIndex, to: slice.endIndex, by: size).map { first in
            AppendRequest(slice[first..<min(first + size, slice.endIndex)].map(\.append))
        }
    }

    /// The next unused `events` samples as single-event requests in `count` lanes; a
    /// stream's events stay in one lane, in order, as one client's commands to it would.
    func lanes(_ count: Int, events: Int) -> [[AppendRequest]] {
        var lanes = [[AppendRequest]](repeating: [], count: count)
        for request in batches(of: 1, events: events) {
            lanes[Int(UInt(bitPattern: request.appends[0].stream.hashValue) % UInt(count))].append(request)
        }
        return lanes
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
