public import Crypto
import Synchronization

/// Member keys in memory, for tests and tools.
public final class InMemoryMemberKeyStore: MemberKeyStore {
    private let keys = Mutex<[String: SymmetricKey]>([:])

    public init() {}

    public func createKey(for memberID: String) async throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        keys.withLock { $0[memberID] = key }
        return key
    }

    public func key(for memberID: String) -> SymmetricKey? { keys.withLock { $0[memberID] } }

    public func destroyKey(for memberID: String) async throws { _ = keys.withLock { $0.removeValue(forKey: memberID) } }
}
