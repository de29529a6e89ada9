import EventFixtures
import EventSourcing
import Foundation
import LMDBEventLog
import Testing

/// The LMDB log's health: a failed commit makes it `failing` (what `/readyz` reports), the
/// next commit that writes something makes it `ok` again, a probe appends nothing, and a
/// probe is not even tried while the map is at its maximum size.
@Suite struct LogHealthTests {
    /// A log whose map cannot grow past 256 KiB, so a few batches fill it.
    static var smallMap: LMDBEventLogOptions {
        var options = LMDBEventLogOptions()
        options.initialMapSize = 256 << 10
        options.maxMapSize = 256 << 10
        options.dictionaryTrainingThreshold = 0
        return options
    }

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
        let log = try LMDBEventLog(directory: directory.path, options: Self.smallMap)
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

        // The failed batch did not fit. A probe (a page or two) would, and would say nothing
        // about appends, so while the map is at its maximum it is not tried.
        let size = try await log.head().size
        guard case .failing(let probed) = await log.probe() else {
            Issue.record("a probe of a full map reported ok")
            return
        }
        #expect(probed.contains("maximum size"))
        #expect(log.commitStats.failedCommits == 1, "a probe refused is no commit")
        #expect(try await log.head().size == size)
        #expect(try log.verify().isValid)

        // Appends are still tried: a small one fits in the pages LMDB frees and reuses.
        #expect(try await log.append("after-1", .noStream, [event()]).first?.position == size + 1)
        #expect(log.health == .ok)
        #expect(await log.probe() == .ok)
    }

    @Test func aLogReopenedWithALargerMapAcceptsWhatDidNotFit() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var options = Self.smallMap
        var log = try LMDBEventLog(directory: directory.path, options: options)
        let failure = try await fillUntilFull(log)
        #expect(failure.code == .storageFull)
        let head = try await log.head()
        log.close()

        options.maxMapSize = 4 << 20
        log = try LMDBEventLog(directory: directory.path, options: options)
        defer { log.close() }
        #expect(try await log.head() == head)
        let batch = (0..<100).map { StreamAppend(stream: StreamID("grown-\($0)")!, expected: .noStream, events: [event()]) }
        #expect(try await log.append(AppendRequest(batch)).events.first?.position == head.size + 1)
        #expect(log.health == .ok)
        #expect(try log.verify().isValid)
    }

    @Test func anEmptyCommitDoesNotClearAFailure() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try LMDBEventLog(directory: directory.path, options: Self.smallMap)
        defer { log.close() }
        _ = try await fillUntilFull(log)
        // Nothing to prune: LMDB commits without writing a page, which proves nothing.
        #expect(try await log.pruneIdempotencyKeys(storedBefore: Timestamp(millisecondsSince1970: 0), limit: 10) == 0)
        guard case .failing = log.health else {
            Issue.record("an empty commit made a full log ok")
            return
        }
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
