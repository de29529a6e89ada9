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

    @Test func aCheckpointSurvivesAReopenAndOnlyAnOldTemporaryFileIsRemoved() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var log = try LMDBEventLog(directory: directory.path)
        try await log.append("a-1", .any, [event(), event(), event()])
        try await log.saveCheckpoint(checkpoint(position: 3))
        let files = CheckpointFiles(logDirectory: directory.path)
        let leftover = files.path("members") + ".abc.tmp", inFlight = files.path("members") + ".def.tmp"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data([1, 2, 3])))
        #expect(FileManager.default.createFile(atPath: inFlight, contents: Data([4])))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: leftover)
        log.close()

        log = try LMDBEventLog(directory: directory.path)
        defer { log.close() }
        #expect(try await log.loadCheckpoint(named: "members") == checkpoint(position: 3))
        #expect(!FileManager.default.fileExists(atPath: leftover))
        // A younger one may be a running server's, seen by another process opening the log.
        #expect(FileManager.default.fileExists(atPath: inFlight))
        #expect(Self.mode(files.directory) == 0o700 && Self.mode(files.path("members")) == 0o600)
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    /// A checkpoint file beside another history (a log put back by hand, say) is never
    /// applied, even once that log has grown past its position, and it is deleted.
    @Test func aCheckpointOfAnotherLogIsIgnoredAndDeleted() async throws {
        try await withLMDBLog { other, otherDirectory in
            try await other.append("a-1", .any, [event("test.happened.v1", "other"), event()])
            try await other.saveCheckpoint(checkpoint(position: 2))
            try await withLMDBLog { log, directory in
                try await log.append("a-1", .any, [event(), event(), event()])
                let files = CheckpointFiles(logDirectory: directory.path)
                try FileManager.default.createDirectory(atPath: files.directory, withIntermediateDirectories: true)
                try FileManager.default.copyItem(
                    atPath: CheckpointFiles(logDirectory: otherDirectory.path).path("members"), toPath: files.path("members"))
                #expect(try await log.loadCheckpoint(named: "members") == nil)
                #expect(!FileManager.default.fileExists(atPath: files.path("members")))
            }
        }
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
            #expect(!FileManager.default.fileExists(atPath: path))
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
            // The stored value goes once the file exists: without the file, the model is rebuilt.
            #expect(try log.environment.read { txn in try txn.get(log.databases.checkpoints, key: Array("members".utf8)) } == nil)
            CheckpointFiles(logDirectory: log.directory).remove("members")
            #expect(try await log.loadCheckpoint(named: "members") == nil)
        }
    }

    @Test func namesBecomeFileNamesSafely() {
        let files = CheckpointFiles(logDirectory: "/d")
        #expect(files.path("log-statistics") == "/d/checkpoints/log-statistics.ckpt")
        #expect(files.path("../x") == "/d/checkpoints/x.2e2e2f78.ckpt")
        #expect(files.path("") == "/d/checkpoints/x..ckpt")
        #expect(files.path("x-4d") == "/d/checkpoints/x-4d.ckpt" && files.path("M") == "/d/checkpoints/x.4d.ckpt")
        let long = String(repeating: "é", count: 40)
        #expect(files.path(long) == "/d/checkpoints/h." + MerkleHash.leaf(Array(long.utf8)).hex + ".ckpt")
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
