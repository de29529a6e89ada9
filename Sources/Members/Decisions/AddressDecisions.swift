public import EventSourcing

extension MemberDecisions {
    /// Adds (`id` nil, with `newID`) or replaces an address-book entry: one `AddressSaved`
    /// with only that entry sealed. A member whose book is still a `.v1` blob gets it
    /// migrated first (each entry as its own `AddressSaved`, then `AddressBookMigrated`).
    public static func saveAddress<R: RandomNumberGenerator>(
        _ member: MemberState, book: [PersonalData.Address], id: String?, newID: EntityID, _ entry: PersonalData.Address,
        seal: PersonalDataSeal, now: Timestamp, metadata: EventMetadata, random: inout R
    ) throws -> Decision<PersonalData.Address> {
        var saved = entry
        if let id {
            guard book.contains(where: { $0.id == id }) else { throw MemberError.notFound }
            saved.id = id
        } else {
            guard book.count < MemberState.maxAddresses else {
                throw MemberError.invalid(field: "addresses", reason: "At most \(MemberState.maxAddresses) addresses per member.")
            }
            saved.id = newID.rawValue
        }
        var events = try migration(member, book: book, seal: seal, random: &random)
        events.append(.addressSaved(AddressSaved(
            id: saved.id, kind: saved.kind, isDefault: saved.isDefault, sealed: try seal.seal(saved, random: &random))))
        return Decision([try memberAppend(member, events, now: now, metadata: metadata)], saved)
    }

    /// Removes an entry.
    public static func removeAddress<R: RandomNumberGenerator>(
        _ member: MemberState, book: [PersonalData.Address], id: String, seal: PersonalDataSeal, now: Timestamp, metadata: EventMetadata,
        random: inout R
    ) throws -> Decision<Void> {
        guard book.contains(where: { $0.id == id }) else { throw MemberError.notFound }
        var events = try migration(member, book: book, seal: seal, random: &random)
        events.append(.addressRemoved(AddressRemoved(id: id)))
        return Decision([try memberAppend(member, events, now: now, metadata: metadata)], ())
    }

    /// The events that rewrite a `.v1` address book as per-entry events (none when there is none).
    static func migration<R: RandomNumberGenerator>(
        _ member: MemberState, book: [PersonalData.Address], seal: PersonalDataSeal, random: inout R
    ) throws -> [MemberEvent] {
        guard member.legacyAddressBook != nil else { return [] }
        let legacy = book.filter { entry in !member.addresses.contains { $0.id == entry.id } }
        var events: [MemberEvent] = try legacy.map { entry in
            .addressSaved(AddressSaved(id: entry.id, kind: entry.kind, isDefault: entry.isDefault, sealed: try seal.seal(entry, random: &random)))
        }
        events.append(.addressBookMigrated(AddressBookMigrated()))
        return events
    }
}
