import EventFixtures
import EventSourcing
import Foundation
import LMDBEventLog
import Testing

/// The LMDB log's health: a failed commit makes it `failing` (what `/healthz` reports),
/// the next commit that succeeds (a probe too) makes it `ok` again, and a probe appends nothing.
@Suite struct LogHealthTests {
    /// Appends batches of 100 sample events until a commit fails; returns that error.
    func fillUntilFull(_ log: LMDBEventLog) async throws -> EventLogError {
        var samples = SampleEvents(seed: 5)
        while true {
            let chunk = samples.take(100)
            do {
                _ = try await log.append(AppendRequest(chunk.map { StreamAppend(stream: $0.stream, expected: .any, events: [$0.event]) }))
            } catch let error as EventLogError {
                return error
            }
        }
    }

    @Test func aFailedCommitMakesTheLogFailingUntilACommitSucceeds() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var options = LMDBEventLogOptions()
        options.initialMapSize = 256 << 10
        options.maxMapSize = 256 << 10
        options.dictionaryTrainingThreshold = 0
        let log = try LMDBEventLog(directory: directory.path, options: options)
        defer { log.close() }
        #expect(log.health == .ok)
        #expect(await log.probe() == .ok)

        let failure = try await fillUntilFull(log)
        #expect(failure.code == .storageFull)
        guard case .failing(let reason) = log.health else {
            Issue.record("a failed commit left the health \(log.health)")
            return
        }
        #expect(reason.contains("storage_full"))
        #expect(log.commitStats.failedCommits == 1)

        // The failed batch did not fit; a probe (a commit that changes nothing) does.
        let size = try await log.head().size
        #expect(await log.probe() == .ok)
        #expect(log.health == .ok)
        #expect(try await log.head().size == size)
        #expect(try log.verify().isValid)

        #expect(try await log.append("after-1", .noStream, [event()]).first?.position == size + 1)
        #expect(log.health == .ok)
    }

    @Test func aProbeOfAClosedLogIsFailing() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try LMDBEventLog(directory: directory.path)
        log.close()
        guard case .failing(let reason) = await log.probe() else {
            Issue.record("a closed log probed ok")
            return
        }
        #expect(reason.contains("closed"))
    }
}
