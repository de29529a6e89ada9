import Crypto
import Foundation
import Members
import Testing

@Suite struct FileMemberKeyStoreTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("members-keys-\(UUID().uuidString)")
    var path: String { directory.appendingPathComponent("member-keys").path }

    init() throws { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }

    func fileBytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    static let ids = ["01JAAAAAAAAAAAAAAAAAAAAAA1", "01JBBBBBBBBBBBBBBBBBBBBBB2", "01JCCCCCCCCCCCCCCCCCCCCCC3"]

    @Test func keysSurviveReopeningTheFile() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var created: [String: [UInt8]] = [:]
        do {
            let store = try FileMemberKeyStore(path: path)
            for id in Self.ids { created[id] = try await store.createKey(for: id).withUnsafeBytes { Array($0) } }
            #expect(Set(created.values).count == 3)
        }
        let reopened = try FileMemberKeyStore(path: path)
        for id in Self.ids {
            let key = try #require(reopened.key(for: id))
            #expect(key.withUnsafeBytes { Array($0) } == created[id])
        }
        #expect(reopened.key(for: "01JZZZZZZZZZZZZZZZZZZZZZZ9") == nil)
        #expect(try fileBytes().count == 3 * 64)
    }

    @Test func destroyingAKeyOverwritesItsBytesInTheFile() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileMemberKeyStore(path: path)
        var bytes: [String: [UInt8]] = [:]
        for id in Self.ids { bytes[id] = try await store.createKey(for: id).withUnsafeBytes { Array($0) } }
        let victim = Self.ids[1]
        #expect(contains(try fileBytes(), bytes[victim]!))
        #expect(contains(try fileBytes(), Array(victim.utf8)))

        try await store.destroyKey(for: victim)
        #expect(store.key(for: victim) == nil)
        let after = try fileBytes()
        #expect(!contains(after, bytes[victim]!))
        #expect(!contains(after, Array(victim.utf8)))
        for id in Self.ids where id != victim { #expect(contains(after, bytes[id]!)) }

        let reopened = try FileMemberKeyStore(path: path)
        #expect(reopened.key(for: victim) == nil)
        for id in Self.ids where id != victim {
            #expect(reopened.key(for: id)?.withUnsafeBytes { Array($0) } == bytes[id])
        }
    }

    @Test func aFreedSlotIsReusedByTheNextKey() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileMemberKeyStore(path: path)
        for id in Self.ids { _ = try await store.createKey(for: id) }
        try await store.destroyKey(for: Self.ids[1])
        let newcomer = "01JDDDDDDDDDDDDDDDDDDDDDD4"
        let key = try await store.createKey(for: newcomer).withUnsafeBytes { Array($0) }
        let file = try fileBytes()
        #expect(file.count == 3 * 64)
        #expect(Array(file[64..<(64 + 26)]) == Array(newcomer.utf8))
        #expect(Array(file[96..<128]) == key)

        let reopened = try FileMemberKeyStore(path: path)
        #expect(reopened.key(for: newcomer)?.withUnsafeBytes { Array($0) } == key)
        #expect(reopened.key(for: Self.ids[1]) == nil)
    }

    @Test func aFreedSlotFoundOnReopeningIsReusedToo() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try FileMemberKeyStore(path: path)
            for id in Self.ids { _ = try await store.createKey(for: id) }
            try await store.destroyKey(for: Self.ids[0])
        }
        let reopened = try FileMemberKeyStore(path: path)
        _ = try await reopened.createKey(for: "01JDDDDDDDDDDDDDDDDDDDDDD4")
        #expect(try fileBytes().count == 3 * 64)
        #expect(Array(try fileBytes()[0..<26]) == Array("01JDDDDDDDDDDDDDDDDDDDDDD4".utf8))
    }

    @Test func theKeyFileIsReadableByItsOwnerOnly() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try FileMemberKeyStore(path: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
        #expect(mode & 0o777 == 0o600)
    }

    @Test func destroyingAnUnknownKeyChangesNothing() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try FileMemberKeyStore(path: path)
        let key = try await store.createKey(for: Self.ids[0]).withUnsafeBytes { Array($0) }
        try await store.destroyKey(for: "01JZZZZZZZZZZZZZZZZZZZZZZ9")
        #expect(store.key(for: Self.ids[0])?.withUnsafeBytes { Array($0) } == key)
        #expect(try fileBytes().count == 64)
    }

    @Test
    func aKeyCreatedTwiceIsGoneAfterDestroyingIt() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let id = Self.ids[0]
        do {
            let store = try FileMemberKeyStore(path: path)
            _ = try await store.createKey(for: id)
            _ = try await store.createKey(for: id)
            try await store.destroyKey(for: id)
            #expect(store.key(for: id) == nil)
        }
        #expect(!contains(try fileBytes(), Array(id.utf8)))
        #expect(try FileMemberKeyStore(path: path).key(for: id) == nil)
    }
}

@Suite struct InMemoryMemberKeyStoreTests {
    @Test func keysAreCreatedReadAndDestroyed() async throws {
        let store = InMemoryMemberKeyStore()
        let a = try await store.createKey(for: "a")
        let b = try await store.createKey(for: "b")
        #expect(a != b)
        #expect(store.key(for: "a") == a)
        try await store.destroyKey(for: "a")
        #expect(store.key(for: "a") == nil)
        #expect(store.key(for: "b") == b)
    }
}
