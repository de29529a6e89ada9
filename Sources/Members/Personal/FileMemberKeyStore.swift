public import Crypto
#if canImport(Glibc)
import Glibc
#endif
public import NIOPosix
import Synchronization

/// Member keys in a file of fixed 64-byte slots (26 bytes of member id padded to 32, then
/// the 32-byte key), outside the log's LMDB environment. Destroying a key overwrites its
/// slot with zeros in place and syncs, so the key's bytes are gone from the file (unlike
/// a copy-on-write store, which would keep the old page around until it is reused).
/// Freed slots are reused. All file I/O runs on NIO's thread pool.
///
/// Limits, documented in ARCHITECTURE.md: backups of this file keep destroyed keys; the
/// storage device may keep old blocks (SSD wear levelling) below the file system.
public final class FileMemberKeyStore: MemberKeyStore {
    static let slotSize = 64
    static let idSize = 32

    struct State {
        var slots: [String: (index: Int, key: SymmetricKey)] = [:]
        var free: [Int] = []
        var count = 0
    }

    private let fd: Int32
    private let state: Mutex<State>
    private let pool: NIOThreadPool

    /// Opens (creating, mode 0600) the key file at `path` and loads every key.
    public init(path: String, pool: NIOThreadPool = .singleton) throws {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KeyStoreError(operation: "open \(path)", errno: errno) }
        self.fd = fd
        self.pool = pool
        var loaded = State()
        var slot = [UInt8](repeating: 0, count: Self.slotSize)
        var index = 0
        while true {
            let n = slot.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Self.slotSize, off_t(index * Self.slotSize)) }
            guard n == Self.slotSize else { break }
            if slot.allSatisfy({ $0 == 0 }) {
                loaded.free.append(index)
            } else {
                let id = String(decoding: slot[..<Self.idSize].prefix { $0 != 0 }, as: UTF8.self)
                loaded.slots[id] = (index, SymmetricKey(data: slot[Self.idSize...]))
            }
            index += 1
        }
        loaded.count = index
        state = Mutex(loaded)
    }

    deinit { close(fd) }

    public func createKey(for memberID: String) async throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        guard !memberID.isEmpty, memberID.utf8.count <= Self.idSize else {
            throw KeyStoreError(operation: "create a key for an id of \(memberID.utf8.count) bytes", errno: EINVAL)
        }
        let (index, taken) = state.withLock { state in
            // A second key for one member replaces the first in its own slot.
            if let existing = state.slots[memberID] { return (existing.index, false) }
            if let free = state.free.popLast() { return (free, true) }
            state.count += 1
            return (state.count - 1, true)
        }
        var slot = [UInt8](repeating: 0, count: Self.slotSize)
        let id = Array(memberID.utf8.prefix(Self.idSize))
        slot.replaceSubrange(0..<id.count, with: id)
        key.withUnsafeBytes { slot.replaceSubrange(Self.idSize..<Self.slotSize, with: $0) }
        do {
            try await write(slot, at: index)
        } catch {
            // A full disk: the slot is free again for the next registration, not leaked.
            if taken { state.withLock { $0.free.append(index) } }
            throw error
        }
        state.withLock { $0.slots[memberID] = (index, key) }
        return key
    }

    public func key(for memberID: String) -> SymmetricKey? { state.withLock { $0.slots[memberID]?.key } }

    public func destroyKey(for memberID: String) async throws {
        guard let index = state.withLock({ $0.slots.removeValue(forKey: memberID)?.index }) else { return }
        try await write([UInt8](repeating: 0, count: Self.slotSize), at: index)
        state.withLock { $0.free.append(index) }
    }

    private func write(_ slot: [UInt8], at index: Int) async throws {
        let fd = self.fd
        try await pool.runIfActive {
            let n = slot.withUnsafeBytes { pwrite(fd, $0.baseAddress, Self.slotSize, off_t(index * Self.slotSize)) }
            guard n == Self.slotSize else { throw KeyStoreError(operation: "write", errno: errno) }
            guard fsync(fd) == 0 else { throw KeyStoreError(operation: "fsync", errno: errno) }
        }
    }
}

/// A key file operation failed.
public struct KeyStoreError: Error, CustomStringConvertible {
    public let operation: String
    public let errno: Int32
    public var description: String { "member key store: \(operation) failed (errno \(errno))" }
}
