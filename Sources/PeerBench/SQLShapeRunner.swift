import Foundation
import Synchronization

/// Runs one workload against a SQL peer: sequential batches on one connection, or
/// one OS thread and connection per concurrent writer (libpq and SQLite block, so
/// the writers must not share Swift's two-thread cooperative pool).
struct SQLShapeRunner {
    let store: any SQLEventStore
    let quick: Bool

    func run(_ workload: ShapeWorkload) throws -> Measurement {
        try store.createSchema()
        let warm = try store.connect()
        for batch in workload.warmUpRows.chunked(1000) { try warm.append(batch) }
        warm.close()
        let deadline = Deadline(after: workload.shape.deadline(quick: quick))
        if workload.shape.writers == 1 {
            let connection = try store.connect()
            defer { connection.close() }
            let start = ContinuousClock.now
            var appended = 0
            for batch in workload.timedRows.chunked(workload.shape.batchSize) where !deadline.passed {
                try connection.append(batch)
                appended += batch.count
            }
            return Measurement(events: appended, seconds: (ContinuousClock.now - start).seconds)
        }
        return try concurrent(workload.lanes(workload.timedRows, count: workload.shape.writers),
                              deadline: Deadline(after: workload.shape.deadline(quick: quick)))
    }

    private func concurrent(_ lanes: [[EventRow]], deadline: Deadline) throws -> Measurement {
        let connections = try lanes.map { _ in try store.connect() }
        defer { connections.forEach { $0.close() } }
        let appended = Atomic<Int>(0)
        let failure = Mutex<(any Error)?>(nil)
        let group = DispatchGroup()
        let start = ContinuousClock.now
        for (lane, connection) in zip(lanes, connections) {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    for row in lane.chunked(1) where !deadline.passed {
                        try connection.append(row)
                        appended.add(1, ordering: .relaxed)
                    }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }.start()
        }
        group.wait()
        let seconds = (ContinuousClock.now - start).seconds
        if let error = failure.withLock({ $0 }) { throw error }
        return Measurement(events: appended.load(ordering: .relaxed), seconds: seconds)
    }
}
