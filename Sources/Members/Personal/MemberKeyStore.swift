public import Crypto

/// Where each member's personal-data key lives: outside the log, so that destroying a key
/// makes that member's sealed personal data in the log unreadable for good (crypto-shredding)
/// while the log itself, its Merkle root and its counts stay as they were.
public protocol MemberKeyStore: Sendable {
    /// A new random key for `memberID`, durable before this returns.
    func createKey(for memberID: String) async throws -> SymmetricKey
    /// The member's key; nil once destroyed (or never created).
    func key(for memberID: String) -> SymmetricKey?
    /// Destroys the key: overwritten where it was stored, durably, before this returns.
    func destroyKey(for memberID: String) async throws
}
