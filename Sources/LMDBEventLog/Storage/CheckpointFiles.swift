import EventSourcing
import Foundation

/// The read models' checkpoints, one file each beside the log
/// (`LOG_DIR/checkpoints/NAME.ckpt`), written and read without the log's writer.
///
/// A checkpoint of a large model is hundreds of megabytes: stored in the log's LMDB
/// environment it was one write transaction of the log's one writer, so every append
/// waited for its copy and sync (a command near a million posts took a second). As a
/// file it is written by the thread that encoded it: into a temporary file of its own,
/// synced, renamed over the last one, and the directory synced, so a crash leaves the
/// old checkpoint or the new one, never a mix.
///
/// A file is `LBCKPT1\n` ++ the SHA-256 leaf hash of the rest ++ `CheckpointFormat`'s
/// bytes; one whose hash does not match is reported and ignored (a checkpoint is a cache:
/// the model is rebuilt from the log). Checkpoints are not part of backups, which
/// restore the log; a restored server rebuilds its read models on its first start.
struct CheckpointFiles: Sendable {
    let directory: String
    private static let magic = Array("LBCKPT1\n".utf8)

    init(logDirectory: String) { directory = logDirectory + "/checkpoints" }

    /// Where the checkpoint `name` lives: the name itself when it is 1-64 of `[a-z0-9_-]`
    /// (every read model's is), else its UTF-8 in hex.
    func path(_ name: String) -> String {
        let plain = (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        return directory + "/" + (plain ? name : "x-" + Array(name.utf8).hexString) + ".ckpt"
    }

    /// Replaces the checkpoint `name` with `bytes` (`CheckpointFormat`), durably.
    func save(_ bytes: [UInt8], name: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let final = path(name)
        let temporary = final + "." + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("create \(temporary)", errno) }
        var failure: (String, Int32)?
        let hash = MerkleHash.leaf(bytes)
        for part in [Self.magic, hash.withUnsafeBytes(Array.init), bytes] where failure == nil {
            if let errno = Self.writeAll(fd, part) { failure = ("write \(temporary)", errno) }
        }
        if failure == nil, fdatasync(fd) != 0 { failure = ("sync \(temporary)", errno) }
        close(fd)
        if failure == nil, rename(temporary, final) != 0 { failure = ("rename \(temporary)", errno) }
        if let (what, code) = failure {
            unlink(temporary)
            throw Self.failure(what, code)
        }
        try syncDirectory()
    }

    /// The stored bytes of the checkpoint `name` (`CheckpointFormat`); nil when there is
    /// none. Throws `corrupt` when the file's hash does not match its contents.
    func load(_ name: String) throws -> [UInt8]? {
        let file = path(name)
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let bytes = [UInt8](data)
        let header = Self.magic.count + 32
        guard bytes.count >= header, bytes.starts(with: Self.magic),
            let stored = MerkleHash(bytes: bytes[Self.magic.count..<header])
        else { throw EventLogError(.corrupt, "\(file) is not a checkpoint file") }
        let body = Array(bytes[header...])
        guard MerkleHash.leaf(body) == stored else { throw EventLogError(.corrupt, "\(file) does not match its hash") }
        return body
    }

    /// Removes temporary files a crash left behind (called when a writer opens the log).
    func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(".tmp") { unlink(directory + "/" + name) }
    }

    private func syncDirectory() throws {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure("open \(directory)", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Self.failure("sync \(directory)", errno) }
    }

    /// Writes all of `bytes`; the errno of a failure, else nil.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    private static func failure(_ what: String, _ code: Int32) -> EventLogError {
        EventLogError(code == ENOSPC || code == EDQUOT ? .storageFull : .storageFailure, "cannot \(what): \(String(cString: strerror(code)))")
    }
}
