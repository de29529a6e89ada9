import EventSourcing
#if canImport(Glibc)
import Glibc
#endif

/// One writer per data directory: an exclusive `flock` on DATA_DIR/logbookd.lock, held
/// (with the file open) for the process's lifetime, with the holder's pid written in it.
/// A second `logbookd` on the same directory fails at once, naming that pid. The kernel
/// drops the lock when the process exits, however it exits. Read-only audit commands
/// (`logbook verify`, `dump`, ...) never take it.
final class DataDirectoryLock {
    static let fileName = "logbookd.lock"

    let path: String
    private var fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// Takes the lock of `directory` (which must exist), or throws naming the holder.
    static func acquire(directory: String) throws(DataDirectoryLockError) -> DataDirectoryLock {
        let path = directory + "/" + fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DataDirectoryLockError(path: path, problem: "cannot be opened: \(DurableFile.Failure.describe(errno))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = code == EWOULDBLOCK ? readPID(fd) : nil
            close(fd)
            if code == EWOULDBLOCK {
                throw DataDirectoryLockError(
                    path: path,
                    problem: "is held by another logbookd (pid \(holder.map(String.init) ?? "unknown")): "
                        + "one server per data directory; stop it or use another --data-dir")
            }
            throw DataDirectoryLockError(path: path, problem: "cannot be locked: \(DurableFile.Failure.describe(code))")
        }
        let pid = Array("\(getpid())\n".utf8)
        let written = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard ftruncate(fd, off_t(pid.count)) == 0, written == pid.count else {
            let code = errno
            close(fd)
            throw DataDirectoryLockError(path: path, problem: "cannot be written: \(DurableFile.Failure.describe(code))")
        }
        return DataDirectoryLock(path: path, fd: fd)
    }

    /// Releases the lock (also on deinit). The file stays, with the last holder's pid.
    func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    /// The pid the holder wrote (nil when it has not written it yet, or it is garbage).
    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n].prefix { (0x30...0x39).contains($0) }, as: UTF8.self))
    }
}

/// The data directory's lock cannot be taken: the server refuses to start.
struct DataDirectoryLockError: Error, CustomStringConvertible {
    let path: String
    let problem: String
    var description: String { "the data directory lock \(path) \(problem)" }
}
