import Synchronization

/// Opened personal data by member, so reads do not decrypt on every request. An entry is
/// valid while the member's sealed blob is the one it was opened from.
final class PersonalDataCache: Sendable {
    private let entries = Mutex<[String: (sealed: [UInt8], data: PersonalData)]>([:])

    /// The member's personal data; nil when its key is gone (deleted) or does not open it.
    func open(_ member: MemberState, keys: any MemberKeyStore) -> PersonalData? {
        let sealed = member.personal.sealed
        if let hit = entries.withLock({ $0[member.id] }), hit.sealed == sealed { return hit.data }
        guard !sealed.isEmpty, let key = keys.key(for: member.id),
            let data = PersonalDataSeal.open(sealed, memberID: member.id, key: key)
        else { return nil }
        entries.withLock { $0[member.id] = (sealed, data) }
        return data
    }

    func forget(_ memberID: String) { _ = entries.withLock { $0.removeValue(forKey: memberID) } }
}
