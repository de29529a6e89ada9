import EventFixtures
import EventSourcing
import Foundation
import LMDB
@testable import LMDBEventLog
import Testing

@Suite struct LMDBEventLogTests {
    func options(map: Int = 4 << 20, threshold: UInt64 = 0) -> LMDBEventLogOptions {
        var options = LMDBEventLogOptions()
        options.initialMapSize = map
        options.dictionaryTrainingThreshold = threshold
        options.dictionarySampleCount = 1000
        return options
    }

    func appendSamples(_ log: LMDBEventLog, _ count: Int, seed: UInt64 = 1, batch: Int = 50) async throws {
        var samples = SampleEvents(seed: seed, pattern: .uniform(pool: 200))
        var remaining = count
        while remaining > 0 {
            let chunk = samples.take(min(batch, remaining))
            remaining -= chunk.count
            let request = AppendRequest(chunk.map { StreamAppend(stream: $0.stream, expected: .any, events: [$0.event]) })
            _ = try await log.append(request)
        }
    }

    /// The log's directory and files are private: 0700 and 0600 (the directory was 0755).
    @Test func theLogsDirectoryAndFilesArePrivate() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/data/log"
        let log = try LMDBEventLog(directory: path, options: options())
        defer { log.close() }
        func mode(_ path: String) -> Int? { (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int }
        #expect(mode(path) == 0o700)
        #expect(mode(path + "/data.mdb") == 0o600)
    }

    @Test func everythingSurvivesAReopen() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var log = try LMDBEventLog(directory: directory.path, options: options())
        try await appendSamples(log, 300)
        _ = try await log.append(AppendRequest(
            stream: "v-1", expected: .noStream, events: [event()], idempotency: IdempotencyRecord(key: "k", result: [9], storedAt: at(0))))
        let head = try await log.head()
        let events = try await log.all()
        log.close()

        log = try LMDBEventLog(directory: directory.path, options: options())
        defer { log.close() }
        #expect(try await log.head() == head)
        #expect(try await log.all() == events)
        #expect(try await log.storedResult(forIdempotencyKey: "k") == [9])
        #expect(try await log.version(of: "v-1") == 1)
        #expect(try await log.append("v-1", .exactly(1), [event()]).first?.position == 302)
        #expect(try log.verify().isValid)
    }

    @Test func theStreamIndexIsCheckpointedAndItsTailRebuiltOnOpen() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var often = options()
        often.streamIndexFlushInterval = 100
        often.streamIndexFoldChunk = 7  // folds span several commits
        var log = try LMDBEventLog(directory: directory.path, options: often)
        var samples = SampleEvents(seed: 8)
        var expected: [StreamID: StreamVersion] = [:]
        for _ in 0..<33 {
            let chunk = samples.take(31)
            _ = try await log.append(AppendRequest(chunk.map(\.append)))
            for sample in chunk { expected[sample.stream, default: 0] += 1 }
        }
        let persisted = try log.environment.read { try StreamIndex.persistedPosition(txn: $0, databases: log.databases) }
        #expect(persisted > 0 && persisted < 1023, "the index was flushed, and a tail is left unflushed")
        // Before the reopen too, every stream reads right while folds are under way.
        for (stream, version) in expected.prefix(200) { #expect(try await log.version(of: stream) == version) }
        log.close()

        log = try LMDBEventLog(directory: directory.path, options: often)
        defer { log.close() }
        for (stream, version) in expected.prefix(200) {
            #expect(try await log.version(of: stream) == version)
            #expect(try await log.readStream(stream, from: 1, limit: 1000).map(\.version) == Array(1...version))
        }
        #expect(try log.verify().isValid)
        // Appends after the reopen continue each stream's chain.
        let (stream, version) = expected.first!
        let next = try await log.append(stream, .exactly(version), [event()])
        #expect(next.first?.version == version + 1)
        #expect(try log.verify().isValid)
    }

    @Test func dictionariesAreTrainedAndOldRecordsKeepTheirs() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try LMDBEventLog(directory: directory.path, options: options())
        defer { log.close() }
        try await appendSamples(log, 1000, seed: 1)
        #expect(log.currentDictionaryID == 0)
        #expect(try await log.trainDictionary() == 1)
        try await appendSamples(log, 1000, seed: 2)
        #expect(try await log.trainDictionary() == 2)
        try await appendSamples(log, 1000, seed: 3)

        let sizes = try log.environment.read { txn in
            try txn.withCursor(log.databases.log) { cursor in
                var byDictionary: [UInt32: (count: Int, bytes: Int)] = [:]
                var entry = try cursor.move(.first)
                while let (_, record) = entry {
                    let id = try RecordFormat.header(of: record).dictionaryID
                    byDictionary[id, default: (0, 0)].count += 1
                    byDictionary[id, default: (0, 0)].bytes += record.count
                    entry = try cursor.move(.next)
                }
                return byDictionary
            }
        }
        #expect(sizes.keys.sorted() == [0, 1, 2])
        let plain = Double(sizes[0]!.bytes) / Double(sizes[0]!.count)
        let trained = Double(sizes[2]!.bytes) / Double(sizes[2]!.count)
        #expect(trained < plain * 0.8, "a trained dictionary should shrink records: \(plain) -> \(trained)")
        #expect(try await log.all().count == 3000)
        #expect(try log.verify().isValid)
    }

    @Test func theFirstDictionaryIsTrainedAutomatically() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try LMDBEventLog(directory: directory.path, options: options(threshold: 500))
        defer { log.close() }
        try await appendSamples(log, 600)
        for _ in 0..<1000 where log.currentDictionaryID == 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(log.currentDictionaryID == 1)
    }

    @Test func theMapGrowsWhenFull() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try LMDBEventLog(directory: directory.path, options: options(map: 256 << 10))
        defer { log.close() }
        try await appendSamples(log, 20_000, batch: 500)
        #expect(log.environment.mapSize > 256 << 10)
        #expect(try await log.head().size == 20_000)
        #expect(try log.verify().isValid)
    }

    @Test func aFailedCommitLeavesNoTrace() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var small = options(map: 256 << 10)
        small.maxMapSize = 256 << 10
        var log = try LMDBEventLog(directory: directory.path, options: small)
        let observed = LockedCounter()
        log.observeCommits { observed.add($0.count) }
        var appended = 0
        var failure: EventLogError?
        var samples = SampleEvents(seed: 5)
        while failure == nil {
            let chunk = samples.take(100)
            do {
                _ = try await log.append(AppendRequest(chunk.map { StreamAppend(stream: $0.stream, expected: .any, events: [$0.event]) }))
                appended += 100
            } catch let error as EventLogError {
                failure = error
            }
        }
        #expect(failure?.code == .storageFull)
        #expect(try await log.head().size == UInt64(appended))
        #expect(observed.value == appended)
        log.close()

        log = try LMDBEventLog(directory: directory.path, options: options())
        defer { log.close() }
        #expect(try await log.head().size == UInt64(appended))
        #expect(try await log.append("after-1", .noStream, [event()]).first?.position == UInt64(appended) + 1)
        #expect(try log.verify().isValid)
    }

    @Test func storedMerkleNodesAreTheSubtreeHashesOfTheRecords() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try LMDBEventLog(directory: directory.path, options: options())
        defer { log.close() }
        try await appendSamples(log, 150, batch: 7)
        let (records, nodes) = try log.environment.read { txn in
            let records = try txn.withCursor(log.databases.log) { cursor in
                var out: [[UInt8]] = []
                var entry = try cursor.move(.first)
                while let (_, value) = entry { out.append(Array(value)); entry = try cursor.move(.next) }
                return out
            }
            let nodes = try txn.withCursor(log.databases.merkle) { cursor in
                var out: [UInt64: [UInt8]] = [:]
                var entry = try cursor.move(.first)
                while let (key, value) = entry { out[BigEndian.uint64(key)!] = Array(value); entry = try cursor.move(.next) }
                return out
            }
            return (records, nodes)
        }
        #expect(nodes.count == 150 / 16)
        for level in 4...7 {
            for index in 0..<UInt64(150 >> level) {
                let (key, offset) = MerkleNodeLayout.location(level: level, index: index)
                let start = Int(index) << level
                let expected = referenceMTH(records[start..<start + (1 << level)])
                #expect(Array(nodes[key]![offset..<offset + 32]) == expected, "level \(level) index \(index)")
            }
        }
        #expect(try await log.head().root.bytes == referenceMTH(records[...]))
    }

    @Test func concurrentAppendersShareCommits() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = try LMDBEventLog(directory: directory.path, options: options())
        defer { log.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    for i in 0..<10 { try await log.append(StreamID("g-\(task)")!, .exactly(UInt64(i)), [event()]) }
                }
            }
            try await group.waitForAll()
        }
        let stats = log.commitStats
        #expect(stats.events == 640)
        #expect(stats.commits < 640, "64 appenders should share commits, got \(stats.commits) commits")
        #expect(stats.largestBatch > 1)
        #expect(try log.verify().isValid)
    }

    @Test func verifyFindsACorruptedRecord() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var log = try LMDBEventLog(directory: directory.path, options: options())
        try await appendSamples(log, 100)
        #expect(try log.verify().isValid)
        // Cut record 37 short behind the log's back.
        try log.environment.write { txn in
            let key = BigEndian.bytes(UInt64(37))
            let record = Array(try txn.get(log.databases.log, key: key)!)
            try txn.put(log.databases.log, key: key, value: Array(record.prefix(record.count - 5)))
        }
        log.close()
        // A writer refuses to open on a record it cannot index; an auditor opens read-only.
        #expect(throws: EventLogError.self) { try LMDBEventLog(directory: directory.path, options: options()) }
        var readOnly = options()
        readOnly.readOnly = true
        log = try LMDBEventLog(directory: directory.path, options: readOnly)
        defer { log.close() }
        let report = try log.verify()
        #expect(!report.isValid)
        #expect(report.firstFailure?.position == 37)
    }
}

/// A thread-safe counter for observer callbacks.
final class LockedCounter: Sendable {
    private let storage = Mutex(0)
    func add(_ n: Int) { storage.withLock { $0 += n } }
    var value: Int { storage.withLock { $0 } }
}

import Synchronization
