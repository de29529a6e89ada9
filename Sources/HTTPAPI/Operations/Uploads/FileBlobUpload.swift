import EventSourcing
import Foundation
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One upload of a `FileBlobStore`: an open temporary file, written chunk by chunk on
/// the thread pool. Any failure of `write` or `commit` removes the temporary file
/// before throwing; `discard` removes it too, and a handle dropped while still open
/// closes and removes it in `deinit` (a last resort: callers discard explicitly).
final class FileBlobUpload: BlobUpload {
    private let store: FileBlobStore
    private let temporary: String
    /// The open descriptor; nil once committed or discarded.
    private let fd: Mutex<Int32?>

    init(store: FileBlobStore, fd: Int32, temporary: String) {
        self.store = store
        self.temporary = temporary
        self.fd = Mutex(fd)
    }

    deinit {
        if let open = fd.withLock({ $0 }) {
            close(open)
            unlink(temporary)
        }
    }

    func write(_ chunk: ByteBuffer) async throws {
        guard let fd = fd.withLock({ $0 }) else { throw BlobStoreError(.failure, "the upload is closed") }
        let temporary = self.temporary
        do {
            try await store.run { try chunk.withUnsafeReadableBytes { try DurableFile.writeAll(fd, $0, path: temporary) } }
        } catch {
            await discard()
            throw error
        }
    }

    func commit(sha256: String) async throws {
        guard let (directory, path) = store.paths(sha256) else {
            await discard()
            throw BlobStoreError(.failure, "not a SHA-256: \(sha256)")
        }
        guard let fd = take() else { throw BlobStoreError(.failure, "the upload is closed") }
        let (root, temporary) = (store.root, self.temporary)
        try await store.run {
            defer { unlink(temporary) }  // a no-op once renamed
            defer { close(fd) }
            try DurableFile.sync(fd, path: temporary)
            if access(path, F_OK) == 0 { return }  // stored before: the same bytes
            try FileBlobStore.makeDirectories([root, directory])
            try DurableFile.rename(temporary, over: path)
            try DurableFile.syncDirectory(directory)
        }
    }

    func discard() async {
        guard let fd = take() else { return }
        let temporary = self.temporary
        do {
            try await store.run {
                close(fd)
                unlink(temporary)
            }
        } catch {
            // The pool is gone (shutting down): these two calls cannot wait for it.
            close(fd)
            unlink(temporary)
        }
    }

    /// Closes the handle for further use, returning the descriptor if it was open.
    private func take() -> Int32? {
        fd.withLock { fd in
            defer { fd = nil }
            return fd
        }
    }
}
