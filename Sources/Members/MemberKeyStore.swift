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

/// Seals and opens personal data under a member's key (AES-256-GCM, the member id as
/// associated data so a sealed blob cannot be moved to another member).
public enum PersonalDataSeal {
    public static func seal<R: RandomNumberGenerator>(
        _ data: PersonalData, memberID: String, key: SymmetricKey, random: inout R
    ) throws -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        for index in nonce.indices { nonce[index] = UInt8.random(in: 0...255, using: &random) }
        let box = try AES.GCM.seal(
            data.encoded, using: key, nonce: try AES.GCM.Nonce(data: nonce), authenticating: Array(memberID.utf8))
        return Array(box.combined!)
    }

    /// The data, or nil when the key does not open it.
    public static func open(_ sealed: [UInt8], memberID: String, key: SymmetricKey) -> PersonalData? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
            let plain = try? AES.GCM.open(box, using: key, authenticating: Array(memberID.utf8))
        else { return nil }
        return try? PersonalData(encoded: Array(plain))
    }
}
