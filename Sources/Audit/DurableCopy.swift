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
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw BackupError("cannot create \(destination): \(reason(errno))") }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: chunk)
        do throws(BackupError) {
            while true {
                let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                guard n >= 0 else { throw BackupError("cannot read \(source): \(reason(errno))") }
                if n == 0 { break }
                hasher.update(data: buffer[0..<n])
                try writeAll(buffer[0..<n], to: output, path: destination)
            }
            guard fsync(output) == 0 else { throw BackupError("cannot sync \(destination): \(reason(errno))") }
        } catch {
            close(output)
            unlink(destination)
            throw error
        }
        close(output)
        return hex(hasher.finalize())
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
            if n == 0 { return hex(hasher.finalize()) }
            hasher.update(data: buffer[0..<n])
        }
    }

    /// Syncs the directory `path`, so the entries created in it are durable.
    static func syncDirectory(_ path: String) throws(BackupError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw BackupError("cannot open \(path) to sync it: \(reason(errno))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BackupError("cannot sync \(path): \(reason(errno))") }
    }

    /// Whether something exists at `path` (a dangling symlink counts).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) + " (errno \(code))" }

    private static func writeAll(_ bytes: ArraySlice<UInt8>, to fd: Int32, path: String) throws(BackupError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress.map { $0 + written }, raw.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw BackupError("cannot write \(path): \(reason(n < 0 ? errno : EIO))") }
            written += n
        }
    }

    private static func hex(_ digest: SHA256.Digest) -> String { digest.hexString }
}
