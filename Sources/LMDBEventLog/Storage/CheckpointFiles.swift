import EventSourcing
import Foundation
import Synchronization

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
/// A file is `LBCKPT1\n` ++ the log's Merkle root at the checkpoint's position ++ the
/// SHA-256 leaf hash of the rest ++ `CheckpointFormat`'s bytes. The log accepts a
/// checkpoint only when its root matches the log's own root at that position (so one
/// beside another history, say an older log put back by hand, is never applied), and a
/// file whose hash does not match is reported and ignored: the model is rebuilt from the
/// log. Backups copy the files before the log; restores copy them back.
struct CheckpointFiles: Sendable {
    let directory: String
    private static let magic = Array("LBCKPT1\n".utf8)
    private static let headerSize = magic.count + 32 + 32
    /// Free space a save leaves on the file system at least: the log needs room to commit.
    static let spareBytes: UInt64 = 64 << 20
    /// Temporary files older than this are a crash's leftovers (a save writes one for
    /// seconds); younger ones may be a running server's, seen by another process that
    /// opens the log for writing (`logbook dict train`).
    static let leftoverAge: TimeInterval = 3600

    /// What this log object saved last under each name (saves finish out of order).
    private let latest = LatestSaves()

    init(logDirectory: String) { directory = logDirectory + "/checkpoints" }

    /// Where the checkpoint `name` lives: the name itself when it is 1-64 of `[a-z0-9_-]`
    /// (every read model's is), else `x.` and its UTF-8 in hex (up to 48 bytes) or `h.` and
    /// its SHA-256 (a dot never appears in a plain name, so the forms cannot collide).
    func path(_ name: String) -> String {
        let utf8 = Array(name.utf8)
        let plain = (1...64).contains(utf8.count) && utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        let file = plain ? name : utf8.count <= 48 ? "x." + utf8.hexString : "h." + MerkleHash.leaf(utf8).hex
        return directory + "/" + file + ".ckpt"
    }

    /// Replaces the checkpoint of `checkpoint.name`, durably; `root` is the log's Merkle
    /// root at its position. Refuses (`storageFull`) when the file would leave less than
    /// `spareBytes` free. A checkpoint older than the one saved last under its name is
    /// dropped: before it is compressed when that one is known already, else at its rename.
    func save(_ checkpoint: Checkpoint, root: MerkleHash) throws {
        guard !latest.isNewer(than: checkpoint) else { return }
        let body = try CheckpointFormat.encode(checkpoint)
        try makeDirectory()
        var space = statvfs()
        if statvfs(directory, &space) == 0, UInt64(space.f_bavail) * UInt64(space.f_frsize) < UInt64(body.count) + Self.spareBytes {
            throw EventLogError(.storageFull, "no room for the \(body.count)-byte checkpoint \(checkpoint.name) in \(directory)")
        }
        let final = path(checkpoint.name)
        let temporary = final + "." + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".tmp"
        let parts = [Self.magic, root.withUnsafeBytes(Array.init), MerkleHash.leaf(body).withUnsafeBytes(Array.init), body]
        do {
            try DurableFile.create(temporary, dataOnly: true) { fd in
                for part in parts { try DurableFile.writeAll(fd, part, path: temporary) }
            }
            let installed: Bool
            do {
                installed = try latest.install(checkpoint) { try DurableFile.rename(temporary, over: final) }
            } catch {
                unlink(temporary)
                throw error
            }
            guard installed else {
                unlink(temporary)
                return
            }
            try DurableFile.syncDirectory(directory)
        } catch let failure as DurableFile.Failure {
            throw Self.error(failure)
        }
    }

    /// The checkpoint `name` and the root it was taken at; nil when there is none. Throws
    /// `corrupt` when the file is not one or its hash does not match its contents (a
    /// short file too). The file is read into one buffer (a large model's is hundreds of
    /// megabytes).
    func load(_ name: String) throws -> (checkpoint: Checkpoint, root: MerkleHash)? {
        let file = path(name)
        let read: [UInt8]?
        do { read = try DurableFile.read(file) } catch { throw Self.error(error) }
        guard let bytes = read else { return nil }
        return try bytes.withUnsafeBytes { raw in
            guard raw.count >= Self.headerSize, raw.starts(with: Self.magic),
                let root = MerkleHash(bytes: raw[Self.magic.count..<Self.magic.count + 32]),
                let stored = MerkleHash(bytes: raw[Self.magic.count + 32..<Self.headerSize])
            else { throw EventLogError(.corrupt, "\(file) is not a checkpoint file") }
            let body = UnsafeRawBufferPointer(rebasing: raw[Self.headerSize...])
            guard MerkleHash.leaf(body) == stored else { throw EventLogError(.corrupt, "\(file) does not match its hash") }
            return (try CheckpointFormat.decode(name: name, body), root)
        }
    }

    /// Deletes the checkpoint `name` (one that is not of this log).
    func remove(_ name: String) { unlink(path(name)) }

    /// Removes temporary files a crash left behind (called when a writer opens the log).
    func removeLeftovers(now: Date = Date()) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(".tmp") {
            let file = directory + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
            if now.timeIntervalSince(modified ?? .distantPast) > Self.leftoverAge { unlink(file) }
        }
    }

    /// Creates the directory (0700, like the rest of a data directory) and syncs its
    /// parent, once.
    private func makeDirectory() throws {
        guard mkdir(directory, 0o700) == 0 else {
            if errno == EEXIST { return }
            throw Self.error(DurableFile.Failure("create", directory, code: errno))
        }
        do { try DurableFile.syncDirectory(DurableFile.directory(of: directory)) } catch { throw Self.error(error) }
    }

    private static func error(_ failure: DurableFile.Failure) -> EventLogError {
        EventLogError(failure.isNoSpace ? .storageFull : .storageFailure, failure.description)
    }
}

/// The position of the checkpoint saved last under each name. The rename that puts a
/// file in place runs under its lock, so of two saves of one model finishing side by side
/// (a periodic one still encoding when the shutdown save lands) the older never replaces
/// the newer. A rename is one quick system call, and no commit waits for this lock.
private final class LatestSaves: Sendable {
    private let positions = Mutex<[String: LogPosition]>([:])

    func isNewer(than checkpoint: Checkpoint) -> Bool {
        positions.withLock { ($0[checkpoint.name] ?? 0) > checkpoint.position }
    }

    /// Runs `rename` unless a newer checkpoint was installed meanwhile (false: dropped),
    /// and records the position when it succeeds.
    func install(_ checkpoint: Checkpoint, _ rename: () throws -> Void) throws -> Bool {
        try positions.withLock { positions in
            if let latest = positions[checkpoint.name], latest > checkpoint.position { return false }
            try rename()
            positions[checkpoint.name] = checkpoint.position
            return true
        }
    }
}
