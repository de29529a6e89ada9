import EventSourcing
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
        do {
            guard let bytes = try DurableFile.read(path, limit: maxBytes + 1) else { return nil }
            guard bytes.count <= maxBytes else {
                throw SecretFileError(what: what, path: path, problem: "is longer than \(maxBytes) bytes: not a key file")
            }
            return bytes
        } catch let error as SecretFileError {
            throw error
        } catch {
            let failure = error as? DurableFile.Failure
            let problem = failure?.operation == "open" ? "cannot be opened" : "cannot be read"
            throw SecretFileError(what: what, path: path, problem: problem + ": " + (failure?.reason ?? "\(error)"))
        }
    }

    /// Gives `temporary` the name `path` (a hard link: fails if something is there), or
    /// renames it on a file system without hard links, where nothing is at `path` (the
    /// caller's read found nothing, and the data directory's lock keeps other servers out).
    private static func place(_ temporary: String, as path: String) throws(DurableFile.Failure) {
        do throws(DurableFile.Failure) {
            try DurableFile.link(temporary, as: path)
        } catch {
            guard error.code == EPERM || error.code == EOPNOTSUPP else { throw error }
            try DurableFile.rename(temporary, over: path)
        }
    }

    /// Removes what a start killed while creating the key at `path` left (its `.partial`
    /// name, a second name for the key once linked): for the data directory's own keys.
    static func removeLeftover(of path: String) { unlink(path + ".partial") }

    /// Creates `path` (it must not exist) holding `bytes`, mode 0600 from the first
    /// instant, whole or not at all: written and synced as `path.partial`, then linked under
    /// its name (which fails if one exists), the temporary name removed and the directory
    /// synced. A process killed midway leaves at most a `.partial` file, replaced at the
    /// next start: never a short key under the name, which the server would refuse for good.
    static func create(_ path: String, bytes: [UInt8], what: String) throws(SecretFileError) {
        let temporary = path + ".partial"
        unlink(temporary)  // a start killed while creating the key left it
        do {
            try DurableFile.create(temporary) { fd in try DurableFile.writeAll(fd, bytes, path: temporary) }
            try place(temporary, as: path)
            unlink(temporary)  // before the directory sync, which makes its removal durable too
        } catch {
            unlink(temporary)
            let failure = error as? DurableFile.Failure
            let problem = failure?.operation == "create" || failure?.operation == "link" ? "cannot be created" : "could not be written"
            throw SecretFileError(what: what, path: path, problem: problem + ": " + (failure?.reason ?? "\(error)"))
        }
        let directory = DurableFile.directory(of: path)
        do {
            try DurableFile.syncDirectory(directory)
        } catch {
            throw SecretFileError(what: what, path: path, problem: "was written but \(directory) cannot be synced: \(error.reason)")
        }
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
