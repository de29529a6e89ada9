import Crypto
import Foundation
import EventSourcing

/// File copies that are private and durable: files created exclusively with mode 0600,
/// directories 0700, every file synced before it counts and every directory synced after
/// its entries were added. Blocking I/O, for the command-line tools.
enum DurableCopy {
    static let chunk = 1 << 20

    /// Creates `path` (mode 0700), its parents as needed; an existing empty directory is
    /// accepted (and made 0700), anything else refused.
    static func prepareEmptyDirectory(_ path: String) throws(BackupError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw BackupError("\(path) exists and is not a directory") }
            guard isEmpty(path) else { throw BackupError("\(path) is not empty: give a new or empty directory") }
            guard chmod(path, 0o700) == 0 else { throw BackupError("cannot make \(path) private (chmod 700): \(reason(errno))") }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw BackupError("cannot create \(parent): \(error)")
            }
        }
        try makeDirectory(path)
        if !parent.isEmpty { try syncDirectory(parent) }
    }

    /// Whether `path` is a directory with no entries (false when it cannot be listed).
    static func isEmpty(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
    }

    /// Creates the directory `path` with mode 0700 (it must not exist).
    static func makeDirectory(_ path: String) throws(BackupError) {
        guard mkdir(path, 0o700) == 0 else { throw BackupError("cannot create \(path): \(reason(errno))") }
    }

    /// Copies `source` to the new file `destination` (0600, synced) and returns the SHA-256
    /// (hex) of the bytes copied.
    @discardableResult
    static func copyFile(_ source: String, to destination: String) throws(BackupError) -> String {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw BackupError("cannot open \(source): \(reason(errno))") }
        defer { close(input) }
        do {
            return try DurableFile.create(destination) { output in
                var hasher = SHA256()
                var buffer = [UInt8](repeating: 0, count: chunk)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                    if n < 0, errno == EINTR { continue }
                    guard n >= 0 else { throw DurableFile.Failure("read", source, code: errno) }
                    if n == 0 { return hasher.finalize().hexString }
                    hasher.update(data: buffer[0..<n])
                    try buffer.withUnsafeBytes { raw in
                        try DurableFile.writeAll(output, UnsafeRawBufferPointer(rebasing: raw[0..<n]), path: destination)
                    }
                }
            }
        } catch {
            throw BackupError("\(error)")
        }
    }

    /// The SHA-256 (hex) of the file at `path`.
    static func sha256(of path: String) throws(BackupError) -> String {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw BackupError("cannot open \(path): \(reason(errno))") }
        defer { close(input) }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw BackupError("cannot read \(path): \(reason(errno))") }
            if n == 0 { return hasher.finalize().hexString }
            hasher.update(data: buffer[0..<n])
        }
    }

    /// Syncs the directory `path`, so the entries created in it are durable.
    static func syncDirectory(_ path: String) throws(BackupError) {
        do { try DurableFile.syncDirectory(path) } catch { throw BackupError(error.description) }
    }

    /// Whether something exists at `path` (a dangling symlink counts).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private static func reason(_ code: Int32) -> String { DurableFile.Failure.describe(code) }
}
