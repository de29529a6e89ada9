#if canImport(Glibc)
import Glibc
#endif

/// Reads and creates the small key files of a data directory (the server secret, the
/// checkpoint signing key): created exclusively with mode 0600 and synced, file and
/// directory, so a key is never world-readable and never half-written.
///
/// Reading distinguishes "absent" (nil: the caller may create one) from every other
/// failure (a typed error): an unreadable file must stop the server, never be replaced.
enum SecretFile {
    /// The largest file read: anything longer is not one of these keys.
    static let maxBytes = 4096

    /// The file's bytes; nil when nothing exists at `path`.
    static func read(_ path: String, what: String) throws(SecretFileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw SecretFileError(what: what, path: path, problem: "cannot be opened: \(describe(code))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw SecretFileError(what: what, path: path, problem: "cannot be read: \(describe(code))")
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<n])
            guard bytes.count <= maxBytes else {
                throw SecretFileError(what: what, path: path, problem: "is longer than \(maxBytes) bytes: not a key file")
            }
        }
    }

    /// Creates `path` (it must not exist) holding `bytes`, mode 0600 from the first
    /// instant, then syncs the file and its directory. A failed write removes the file.
    static func create(_ path: String, bytes: [UInt8], what: String) throws(SecretFileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SecretFileError(what: what, path: path, problem: "cannot be created: \(describe(errno))")
        }
        var written = 0
        var failure: Int32?
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + written }, bytes.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                failure = n < 0 ? errno : EIO
                break
            }
            written += n
        }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        close(fd)
        if let failure {
            unlink(path)
            throw SecretFileError(what: what, path: path, problem: "could not be written: \(describe(failure))")
        }
        let directory = parent(of: path)
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryFD >= 0 else {
            throw SecretFileError(what: what, path: path, problem: "was written but \(directory) cannot be synced: \(describe(errno))")
        }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else {
            throw SecretFileError(what: what, path: path, problem: "was written but \(directory) cannot be synced: \(describe(errno))")
        }
    }

    /// The directory holding `path` ("." for a bare name).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code)) + " (errno \(code))"
    }
}

/// A key file of the data directory is unusable: the server refuses to start.
struct SecretFileError: Error, CustomStringConvertible {
    /// What the file holds ("the server secret").
    let what: String
    let path: String
    let problem: String

    var description: String { "\(what) at \(path) \(problem)" }
}
