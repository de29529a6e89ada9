import EventSourcing
import Foundation
import LMDB
@testable import LMDBEventLog
import Testing

/// Read models' checkpoints live in files beside the log, written without the log's writer.
@Suite struct CheckpointFilesTests {
    func checkpoint(_ name: String = "members", position: LogPosition, bytes: Int = 10_000) -> Checkpoint {
        Checkpoint(name: name, formatVersion: 3, position: position, snapshot: (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    }

    /// A snapshot of a large model took a commit of the log's one writer: every append
    /// waited for its copy and sync. Now no commit carries it.
    @Test func savingACheckpointCommitsNothingThroughTheLogsWriter() async throws {
        try await withLMDBLog { log, _ in
            try await log.append("a-1", .any, [event(), event()])
            let commits = log.commitStats.commits
            try await log.saveCheckpoint(checkpoint(position: 2, bytes: 1 << 20))
            #expect(log.commitStats.commits == commits)
            #expect(try await log.loadCheckpoint(named: "members") == checkpoint(position: 2, bytes: 1 << 20))
        }
    }

    @Test func aCheckpointSurvivesAReopenAndACrashsTemporaryFileIsRemoved() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var log = try LMDBEventLog(directory: directory.path)
        try await log.append("a-1", .any, [event(), event(), event()])
        try await log.saveCheckpoint(checkpoint(position: 3))
        let files = CheckpointFiles(logDirectory: directory.path)
        let leftover = files.path("members") + ".abc.tmp"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data([1, 2, 3])))
        log.close()

        log = try LMDBEventLog(directory: directory.path)
        defer { log.close() }
        #expect(try await log.loadCheckpoint(named: "members") == checkpoint(position: 3))
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(try FileManager.default.contentsOfDirectory(atPath: files.directory) == ["members.ckpt"])
    }

    @Test func aDamagedCheckpointFileIsIgnoredSoTheModelIsRebuilt() async throws {
        try await withLMDBLog { log, directory in
            try await log.append("a-1", .any, [event()])
            try await log.saveCheckpoint(checkpoint(position: 1))
            let path = CheckpointFiles(logDirectory: directory.path).path("members")
            var bytes = try #require(FileManager.default.contents(atPath: path))
            bytes[bytes.count - 10] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(try await log.loadCheckpoint(named: "members") == nil)
            try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: path))
            #expect(try await log.loadCheckpoint(named: "members") == nil)
        }
    }

    /// A data directory of an older server keeps its checkpoints in the environment's
    /// `checkpoints` database: they are read until a file replaces them.
    @Test func aCheckpointAnOlderServerStoredInTheLogIsStillRead() async throws {
        try await withLMDBLog { log, _ in
            try await log.append("a-1", .any, [event(), event()])
            let old = checkpoint(position: 1)
            let encoded = try CheckpointFormat.encode(old)
            try log.environment.write { txn in try txn.put(log.databases.checkpoints, key: Array("members".utf8), value: encoded) }
            #expect(try await log.loadCheckpoint(named: "members") == old)
            try await log.saveCheckpoint(checkpoint(position: 2))
            #expect(try await log.loadCheckpoint(named: "members") == checkpoint(position: 2))
        }
    }

    @Test func namesBecomeFileNamesSafely() {
        let files = CheckpointFiles(logDirectory: "/d")
        #expect(files.path("log-statistics") == "/d/checkpoints/log-statistics.ckpt")
        #expect(files.path("../x") == "/d/checkpoints/x-2e2e2f78.ckpt")
        #expect(files.path("") == "/d/checkpoints/x-.ckpt")
    }

    @Test func aReadOnlyLogReadsCheckpointsAndRefusesToSaveThem() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try LMDBEventLog(directory: directory.path)
        try await writer.append("a-1", .any, [event()])
        try await writer.saveCheckpoint(checkpoint(position: 1))
        var options = LMDBEventLogOptions()
        options.readOnly = true
        let reader = try LMDBEventLog(directory: directory.path, options: options)
        defer { reader.close() }
        #expect(try await reader.loadCheckpoint(named: "members") == checkpoint(position: 1))
        await #expect(throws: EventLogError.self) { try await reader.saveCheckpoint(checkpoint(position: 1)) }
        writer.close()
    }
}
