import EventSourcing
import Foundation
import LMDBEventLog
import Synchronization

/// Runs one workload against Logbook's durable log in a fresh directory: the same
/// events, as append requests (Logbook encodes, compresses, indexes and hashes them
/// into the Merkle tree inside the measured time). Concurrent writers are tasks, as
/// logbookd's request handlers are.
struct LogbookShapeRunner {
    let directory: String
    let quick: Bool

    func run(_ workload: ShapeWorkload) async throws -> Measurement {
        try? FileManager.default.removeItem(atPath: directory)
        var options = LMDBEventLogOptions()
        options.dictionaryTrainingThreshold = 0
        let log = try LMDBEventLog(directory: directory, options: options)
        defer {
            log.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        for batch in workload.warmUp.chunked(1000) { _ = try await log.append(AppendRequest(batch.map(\.append))) }
        _ = try await log.trainDictionary()
        let shape = workload.shape
        let deadlineAfter = shape.deadline(quick: quick)
        if shape.writers == 1 {
            let requests = workload.timed.chunked(shape.batchSize).map { AppendRequest($0.map(\.append)) }
            let deadline = Deadline(after: deadlineAfter)
            return try await Measurement.time {
                var appended = 0
                for request in requests where !deadline.passed {
                    _ = try await log.append(request)
                    appended += request.eventCount
                }
                return appended
            }
        }
        let lanes = workload.lanes(workload.timed.map { AppendRequest([$0.append]) }, count: shape.writers)
        let deadline = Deadline(after: deadlineAfter)
        return try await Measurement.time {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for lane in lanes {
                    group.addTask {
                        var appended = 0
                        for request in lane where !deadline.passed {
                            _ = try await log.append(request)
                            appended += 1
                        }
                        return appended
                    }
                }
                return try await group.reduce(0, +)
            }
        }
    }
}
