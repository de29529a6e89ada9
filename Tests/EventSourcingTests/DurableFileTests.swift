import EventSourcing
import Foundation
import Testing

@Suite struct DurableFileTests {
    /// A fresh private directory under the system's temporary directory.
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "durable-file-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    static func mode(_ path: String) -> UInt16? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? UInt16
    }

    @Test func aCreatedFileHoldsEveryByteWithMode0600AndReadsBackInOneBuffer() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/file"
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let answer = try DurableFile.create(path) { fd in
            try DurableFile.writeAll(fd, Array(bytes[..<1000]), path: path)
            try DurableFile.writeAll(fd, Array(bytes[1000...]), path: path)
            return 42
        }
        #expect(answer == 42)
        #expect(Self.mode(path) == 0o600)
        #expect(try DurableFile.read(path) == bytes)
        #expect(try DurableFile.read(path, limit: 10) == Array(bytes[..<10]))
        #expect(try DurableFile.read(directory + "/absent") == nil)
        try DurableFile.syncDirectory(directory)
    }

    /// A size of 0 does not mean empty: a pipe (`--webhook-secret-file <(...)`) or a /proc
    /// file is read to its end; a directory is a failure, not an empty file.
    @Test func whatTheSizeDoesNotTellIsReadToItsEnd() throws {
        let status = try #require(try DurableFile.read("/proc/self/status"))
        #expect(String(decoding: status, as: UTF8.self).contains("Name:"))
        #expect(try DurableFile.read("/proc/self/status", limit: 5)?.count == 5)
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect { try DurableFile.read(directory) } throws: { error in
            (error as? DurableFile.Failure).map { $0.operation == "read" && $0.code == EISDIR } ?? false
        }
    }

    @Test func creatingOverAnExistingFileFailsAndLeavesItAlone() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/key"
        try DurableFile.create(path) { try DurableFile.writeAll($0, [1, 2, 3], path: path) }
        #expect {
            try DurableFile.create(path) { try DurableFile.writeAll($0, [9], path: path) }
        } throws: { error in
            (error as? DurableFile.Failure).map { $0.operation == "create" && $0.code == EEXIST } ?? false
        }
        #expect(try DurableFile.read(path) == [1, 2, 3])
    }

    /// No half-written file is left under its name, whatever failed.
    @Test func aFailedWriteRemovesTheFile() throws {
        struct Interrupted: Error {}
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/partial"
        #expect(throws: Interrupted.self) {
            try DurableFile.create(path) { fd in
                try DurableFile.writeAll(fd, [1, 2, 3], path: path)
                throw Interrupted()
            }
        }
        #expect(try DurableFile.read(path) == nil)
    }

    @Test func aRenameReplacesTheOldFileWhole() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (path, temporary) = (directory + "/checkpoint", directory + "/checkpoint.tmp")
        try DurableFile.create(path) { try DurableFile.writeAll($0, [1], path: path) }
        try DurableFile.create(temporary, dataOnly: true) { try DurableFile.writeAll($0, [2, 2], path: temporary) }
        try DurableFile.rename(temporary, over: path)
        try DurableFile.syncDirectory(DurableFile.directory(of: path))
        #expect(try DurableFile.read(path) == [2, 2])
        #expect(try DurableFile.read(temporary) == nil)
        #expect(throws: DurableFile.Failure.self) { try DurableFile.rename(temporary, over: path) }
    }

    /// A full disk is told apart from other failures (callers answer it with their own
    /// "full" error: 503, `storageFull`). /dev/full fails every write with ENOSPC.
    @Test func aFullDiskIsNoSpace() throws {
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0, "/dev/full is not available here")
        defer { close(fd) }
        #expect {
            try DurableFile.writeAll(fd, [UInt8](repeating: 7, count: 100), path: "/dev/full")
        } throws: { error in
            (error as? DurableFile.Failure).map { $0.isNoSpace && $0.operation == "write" } ?? false
        }
        #expect(throws: DurableFile.Failure.self) { try DurableFile.syncDirectory("/nonexistent-\(UUID().uuidString)") }
    }

    @Test func theDirectoryOfAPath() {
        #expect(DurableFile.directory(of: "/data/log/checkpoints/feeds.ckpt") == "/data/log/checkpoints")
        #expect(DurableFile.directory(of: "secret") == ".")
        #expect(DurableFile.directory(of: "/secret") == "/")
        #expect(DurableFile.directory(of: "data/secret") == "data")
    }
}
