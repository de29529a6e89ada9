import EventSourcing
import Foundation
public import NIOPosix

/// Uploads as files under `root/<first two hex digits>/<sha256>`.
///
/// An upload streams into `root/incoming/<uuid>.tmp`; `commit` syncs it, renames it into
/// place and syncs the directory, so a committed content survives a crash; `discard`
/// (and any failed commit) removes the temporary file. Every file operation runs on
/// NIO's blocking thread pool, never on Swift's cooperative pool. ENOSPC and EDQUOT
/// throw `BlobStoreError.Code.full`, other I/O errors `.failure`.
public struct FileBlobStore: BlobStore {
    public let root: String
    let pool: NIOThreadPool

    public init(root: String, pool: NIOThreadPool = .singleton) {
        self.root = root
        self.pool = pool
    }

    /// Where uploads in progress live (same file system as their final place, for `rename`).
    var incoming: String { root + "/incoming" }

    public func begin() async throws -> any BlobUpload {
        let path = incoming + "/\(UUID().uuidString).tmp"
        let directories = [root, incoming]
        let fd = try await run {
            try Self.makeDirectories(directories)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw Self.error("create \(path)", errno) }
            return fd
        }
        return FileBlobUpload(store: self, fd: fd, temporary: path)
    }

    /// Removes every upload left in progress by a process that stopped mid-upload (call
    /// at start, before serving). Returns how many files it removed.
    @discardableResult
    public func removeLeftovers() async throws -> Int {
        let directory = incoming
        return try await run {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { unlink(directory + "/" + $0) == 0 }.count
        }
    }

    public func get(sha256: String) async throws -> [UInt8]? {
        guard let (_, path) = paths(sha256) else { return nil }
        return try await run { FileManager.default.contents(atPath: path).map { Array($0) } }
    }

    /// The directory and file of a content; nil unless `sha256` is 64 lower-case hex digits.
    func paths(_ sha256: String) -> (directory: String, path: String)? {
        guard sha256.utf8.count == 64, sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        let directory = root + "/" + sha256.prefix(2)
        return (directory, directory + "/" + sha256)
    }

    /// Runs blocking file work on the thread pool; a pool that is shut down is a storage failure.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await pool.runIfActive(work)
        } catch let error as BlobStoreError {
            throw error
        } catch let failure as DurableFile.Failure {
            throw Self.error(failure.operation + " " + failure.path, failure.code)
        } catch {
            throw BlobStoreError(.failure, "the file thread pool is not running")
        }
    }

    /// Creates each directory of `paths` in order (parents first), tolerating those that
    /// exist; private (0700) like the rest of a data directory.
    static func makeDirectories(_ paths: [String]) throws {
        for path in paths where mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw Self.error("create directory \(path)", errno)
        }
    }

    /// The store's error for a failed system call.
    static func error(_ operation: String, _ code: Int32) -> BlobStoreError {
        let kind: BlobStoreError.Code = code == ENOSPC || code == EDQUOT ? .full : .failure
        return BlobStoreError(kind, "\(operation): \(String(cString: strerror(code)))")
    }
}
