#if canImport(Glibc)
import Glibc
#endif

/// The steps that make a file count only once it is on disk, for every file Logbook keeps
/// beside its log (checkpoints, key files, uploads, backups):
///
/// 1. `create` it exclusively, mode 0600 from the first instant, write all of it and sync
///    it; a failed step removes it (a crash midway can leave part of it: a file that must
///    never be seen partial is created under a temporary name first, then step 2);
/// 2. when it replaces another, `rename` it over the old one (a crash leaves one or the
///    other, never a mix); when nothing may be replaced, `link` it under its name (which
///    fails if one exists) and remove the temporary name;
/// 3. `syncDirectory` the directory that holds it, so the new entry survives a crash.
///
/// ```swift
/// let temporary = path + ".tmp"
/// try DurableFile.create(temporary) { fd in try DurableFile.writeAll(fd, bytes, path: temporary) }
/// try DurableFile.rename(temporary, over: path)
/// try DurableFile.syncDirectory(DurableFile.directory(of: path))
/// ```
///
/// These are blocking system calls: run them on a thread of their own or NIO's thread
/// pool, never on Swift's cooperative pool. Failures are `Failure`s (the step, the path,
/// the errno); each caller turns them into its own error, `isNoSpace` telling a full disk
/// from the rest.
public enum DurableFile {
    /// A step failed: what it was, on which path, and the errno.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The step, as a verb: "create", "write", "sync", "rename", "link", "open", "read".
        public let operation: String
        public let path: String
        public let code: Int32

        public init(_ operation: String, _ path: String, code: Int32) {
            (self.operation, self.path, self.code) = (operation, path, code)
        }

        /// The file system is full, or the user's quota is.
        public var isNoSpace: Bool { code == ENOSPC || code == EDQUOT }
        /// The errno in words, and its number.
        public var reason: String { Self.describe(code) }
        public var description: String { "cannot \(operation) \(path): \(reason)" }

        /// An errno in words, and its number: "No such file or directory (errno 2)".
        public static func describe(_ code: Int32) -> String { String(cString: strerror(code)) + " (errno \(code))" }
    }

    /// Creates `path` (it must not exist) with `mode`, calls `write` with its descriptor,
    /// then syncs the file (its data only when `dataOnly`: enough for a file that is
    /// renamed afterwards) and closes it. When anything fails, `write` included, the file
    /// is removed and the error thrown. The directory is not synced: do it once the
    /// entries are in place.
    @discardableResult
    public static func create<T>(
        _ path: String, mode: UInt32 = 0o600, dataOnly: Bool = false, _ write: (Int32) throws -> T
    ) throws -> T {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw Failure("create", path, code: errno) }
        let result: T
        do {
            result = try write(fd)
            try sync(fd, path: path, dataOnly: dataOnly)
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        close(fd)
        return result
    }

    /// Writes all of `bytes` at the descriptor's offset, retrying short writes and EINTR;
    /// a write that makes no progress is ENOSPC.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw Failure("write", path, code: written < 0 ? errno : ENOSPC) }
            offset += written
        }
    }

    /// `writeAll` of an array.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(Failure) {
        let failure: Failure? = bytes.withUnsafeBytes { raw in
            do throws(Failure) { try writeAll(fd, raw, path: path) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Syncs an open file: `fdatasync` when `dataOnly`, else `fsync`.
    public static func sync(_ fd: Int32, path: String, dataOnly: Bool = false) throws(Failure) {
        guard (dataOnly ? fdatasync(fd) : fsync(fd)) == 0 else { throw Failure("sync", path, code: errno) }
    }

    /// Renames `source` over `destination` (atomically, on one file system). The directory
    /// is not synced.
    public static func rename(_ source: String, over destination: String) throws(Failure) {
        guard Glibc.rename(source, destination) == 0 else { throw Failure("rename", source, code: errno) }
    }

    /// Gives the complete file `source` the name `destination` too, unless something exists
    /// there (EEXIST): how a file that must not be replaced appears whole or not at all
    /// (remove `source` afterwards). The directory is not synced.
    public static func link(_ source: String, as destination: String) throws(Failure) {
        guard Glibc.link(source, destination) == 0 else { throw Failure("link", destination, code: errno) }
    }

    /// Syncs the directory `path`, so the entries created, renamed or removed in it are
    /// durable.
    public static func syncDirectory(_ path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure("open", path, code: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure("sync", path, code: errno) }
    }

    /// The directory holding `path` ("." for a bare name, "/" for one at the root).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The file's bytes up to its end, at most `limit` of them; nil when nothing exists at
    /// `path`. The buffer is reserved at the file's size, so a large file (a checkpoint
    /// is hundreds of megabytes) is never copied into a second one; what its size does not
    /// tell (a pipe, a /proc file, a file that grows) is read to its end all the same, and
    /// a directory is a `read` failure. Pass one more than a caller's maximum to tell
    /// "too long" apart.
    public static func read(_ path: String, limit: Int = .max) throws(Failure) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw Failure("open", path, code: errno)
        }
        defer { close(fd) }
        let limit = max(limit, 0)
        var info = stat()
        let size = fstat(fd, &info) == 0 ? Int(max(info.st_size, 0)) : 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(size, limit))
        var chunk = [UInt8](repeating: 0, count: min(1 << 20, max(limit, 1)))
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, wanted) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { throw Failure("read", path, code: errno) }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return bytes
    }
}
