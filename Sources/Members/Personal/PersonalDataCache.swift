import EventSourcing
import Synchronization

/// Opened personal data by member, so reads do not decrypt on every request, with the
/// public profile built from it (what member lists show, row after row). An entry is
/// valid while the member's stream is at the version it was opened at.
final class PersonalDataCache: Sendable {
    struct Entry {
        var version: StreamVersion
        var data: PersonalData
        var profile: PublicMember
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The member's personal data; nil when its key is gone (deleted) or does not open it.
    func open(_ member: MemberState, keys: any MemberKeyStore) -> PersonalData? {
        if let hit = entries.withLock({ $0[member.id] }), hit.version == member.version { return hit.data }
        guard let key = keys.key(for: member.id), let data = PersonalDataSeal(memberID: member.id, key: key).open(member) else {
            return nil
        }
        entries.withLock { $0[member.id] = Entry(version: member.version, data: data, profile: PublicMember(member, data)) }
        return data
    }

    /// The public profiles opened at the given versions, under one lock: nil where a member
    /// was not opened at that version yet (or is nil: not active).
    func profiles(_ wanted: [(id: String, version: StreamVersion)?]) -> [PublicMember?] {
        entries.withLock { entries in
            wanted.map { wanted in
                guard let wanted, let hit = entries[wanted.id], hit.version == wanted.version else { return nil }
                return hit.profile
            }
        }
    }

    func forget(_ memberID: String) { _ = entries.withLock { $0.removeValue(forKey: memberID) } }
}

extension PersonalDataSeal {
    /// Every part of `member` opened into one value; nil unless its profile opens. Addresses of
    /// a `.v1` book come first, in their order, then per-entry ones in the order they were added.
    public func open(_ member: MemberState) -> PersonalData? {
        guard !member.profile.isErased, let profile = profile(member.profile) else { return nil }
        var data = PersonalData(profile: profile)
        data.contact = member.contact.flatMap(contact) ?? PersonalData.Contact()
        data.securityQuestion = member.question.flatMap(question)
        data.addresses = member.legacyAddressBook.flatMap(legacyAddresses) ?? []
        for slot in member.addresses {
            if let address = address(slot.sealed, id: slot.id, kind: slot.kind, isDefault: slot.isDefault) {
                data.addresses.append(address)
            }
        }
        return data
    }
}
