import Foundation
import HTTPAPI
import NIOPosix

/// Uploads as files under DATA_DIR/uploads/<first two hex digits>/<sha256>. Writes go to a
/// temporary file that is synced, renamed into place and its directory synced, on NIO's
/// blocking thread pool (never on Swift's cooperative pool).
struct FileBlobStore: BlobStore {
    let root: String

    func put(_ bytes: [UInt8], sha256: String) async throws {
        let (directory, path) = paths(sha256)
        try await NIOThreadPool.singleton.runIfActive {
            if FileManager.default.fileExists(atPath: path) { return }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temporary = path + ".tmp-\(UUID().uuidString)"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
            defer { close(fd) }
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
                guard n > 0 else { throw CocoaError(.fileWriteOutOfSpace) }
                written += n
            }
            guard fsync(fd) == 0, rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
            let directoryFD = open(directory, O_RDONLY)
            if directoryFD >= 0 {
                fsync(directoryFD)
                close(directoryFD)
            }
        }
    }

    func get(sha256: String) async throws -> [UInt8]? {
        let (_, path) = paths(sha256)
        return try await NIOThreadPool.singleton.runIfActive {
            FileManager.default.contents(atPath: path).map { Array($0) }
        }
    }

    private func paths(_ sha256: String) -> (directory: String, path: String) {
        let directory = root + "/" + sha256.prefix(2)
        return (directory, directory + "/" + sha256)
    }
}
