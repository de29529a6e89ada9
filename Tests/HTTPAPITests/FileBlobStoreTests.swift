import Foundation
import HTTPAPI
import ServerKit
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A 64 KiB tmpfs, mounted for one test (root only).
struct TinyDisk {
    let path: String

    /// Whether this process may mount one (it tries, once).
    static let available: Bool = {
        guard let disk = try? TinyDisk() else { return false }
        disk.unmount()
        return true
    }()

    struct MountFailed: Error {}

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tiny-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard getuid() == 0, mount("tmpfs", path, "tmpfs", 0, "size=64k") == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw MountFailed()
        }
    }

    func unmount() {
        umount(path)
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Every regular file under `root`, relative to it, sorted.
func files(under root: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: root)
    var found: [String] = []
    while let name = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
            found.append(name)
        }
    }
    return found.sorted()
}

@Suite(.serialized) struct FileBlobStoreTests {
    @Test func filesAreStoredUnderTheirHashAndRefusalsLeaveNoTemporaryFile() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let server = try await TestServer(uploads: FileBlobStore(root: root), uploadQuotaBytes: 1_000)
        let png = pngBytes()
        let sha = sha256Hex(png)
        try await server.test { client in
            let (_, token) = try await client.registerMember("ulla")
            #expect(try await client.upload(png, type: "image/png", token: token).status == .created)
            #expect(try await client.upload(png, type: "image/png", token: token).status == .created)
            #expect(try await client.upload(pngBytes(), type: "image/gif", token: token).status == .unsupportedMediaType)
            #expect(try await client.upload(pngBytes(2_000, fill: 9), type: "image/png", token: token).status == .tooManyRequests)
            #expect(try await client.upload(pngBytes(UploadRoutes.maxSize), type: "image/png", token: token).status == .contentTooLarge)
            try await client.execute(uri: "/v1/uploads/\(sha)", method: .get) { response in
                #expect(response.status == .ok && Array(response.body.readableBytesView) == png)
            }
        }
        #expect(files(under: root) == ["\(sha.prefix(2))/\(sha)"])
        // Private like the rest of a data directory.
        func mode(_ path: String) -> Int? { (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int }
        #expect([root, root + "/incoming", root + "/" + sha.prefix(2)].map(mode) == [0o700, 0o700, 0o700])
        #expect(mode(root + "/" + sha.prefix(2) + "/" + sha) == 0o600)
    }

    @Test func leftoversOfAStoppedProcessAreRemovedAtStart() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/incoming", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: root + "/incoming/crashed.tmp", contents: Data([1, 2, 3])))
        #expect(try await FileBlobStore(root: root).removeLeftovers() == 1)
        #expect(files(under: root).isEmpty)
    }

    @Test(.enabled(if: TinyDisk.available, "needs root and tmpfs to fill a 64 KiB disk; skipped"))
    func aFullDiskIsAStorageErrorAnd503AndLeavesNoTemporaryFile() async throws {
        let disk = try TinyDisk()
        defer { disk.unmount() }
        let root = disk.path + "/uploads"
        let store = FileBlobStore(root: root)

        let upload = try await store.begin()
        let chunk = ByteBuffer(bytes: pngBytes(16 << 10))
        var failure: BlobStoreError?
        for _ in 0..<16 where failure == nil {
            do { try await upload.write(chunk) } catch let error as BlobStoreError { failure = error }
        }
        #expect(failure?.code == .full, "writing past 64 KiB is ENOSPC: \(String(describing: failure))")
        await upload.discard()
        #expect(files(under: root).isEmpty, "the temporary file is gone")

        let server = try await TestServer(uploads: store)
        try await server.test { client in
            let (_, token) = try await client.registerMember("ulla")
            let full = try await client.upload(pngBytes(200 << 10), type: "image/png", token: token)
            #expect(full.status == .serviceUnavailable && full.errorCode == "unavailable")
            #expect(files(under: root).isEmpty, "no temporary file remains after the 503")
            #expect(try await client.upload(pngBytes(), type: "image/png", token: token).status == .created, "the space came back")
        }
    }
}
