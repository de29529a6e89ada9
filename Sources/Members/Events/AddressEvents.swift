public import EventSourcing

/// An address-book entry was added or replaced; its personal fields sealed on their own.
/// A default entry makes the member's other entries of its kind non-default (the fold's rule).
public struct AddressSaved: EventPayload {
    public static let type = "member.address-saved.v1"
    public var id: String
    public var kind: PersonalData.Address.Kind
    public var isDefault: Bool
    public var sealed: SealedPart

    public init(id: String, kind: PersonalData.Address.Kind, isDefault: Bool, sealed: SealedPart) {
        (self.id, self.kind, self.isDefault, self.sealed) = (id, kind, isDefault, sealed)
    }

    public init(from r: inout BinaryReader) throws {
        let id = try r.readString()
        guard let kind = PersonalData.Address.Kind(rawValue: try r.readString()) else { throw BinaryReader.Error(description: "address kind") }
        self.init(id: id, kind: kind, isDefault: try r.readBool(), sealed: try r.readSealedPart())
    }

    public func encode(to w: inout BinaryWriter) { w.write(id); w.write(kind.rawValue); w.write(isDefault); w.write(sealed) }

    public var json: JSONValue {
        ["id": .string(id), "type": .string(kind.rawValue), "default": .bool(isDefault), "address": .sealed(sealed)]
    }

    public static let example = AddressSaved(id: "01KB7Y3Q0000000000000000AC", kind: .mainLive, isDefault: true, sealed: SealedPart(bytes: [2, 7]))
}

/// An address-book entry was removed.
public struct AddressRemoved: EventPayload {
    public static let type = "member.address-removed.v1"
    public var id: String
    public init(id: String) { self.id = id }
    public init(from r: inout BinaryReader) throws { id = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(id) }
    public var json: JSONValue { ["id": .string(id)] }
    public static let example = AddressRemoved(id: "01KB7Y3Q0000000000000000AC")
}

/// `.v1`: the whole address book in one sealed blob (the whole personal data of the
/// time). Still read; no longer written. The next address change migrates the book to
/// per-entry events and ends with `AddressBookMigrated`.
public struct LegacyAddressesChanged: EventPayload {
    public static let type = "member.addresses-changed.v1"
    var update: LegacyPersonalUpdate

    init(update: LegacyPersonalUpdate) { self.update = update }

    public var sealed: SealedPart { update.part }

    public init(from r: inout BinaryReader) throws { update = try LegacyPersonalUpdate(from: &r) }

    public func encode(to w: inout BinaryWriter) { update.write(to: &w) }

    public var json: JSONValue { ["personal": .sealed(sealed)] }

    public static let example = LegacyAddressesChanged(update: LegacyPersonalUpdate(sealed: [9, 9, 9], displayNameKey: "9f2c"))
}

/// A `.v1` address book was rewritten as per-entry `AddressSaved` events (just before this).
public struct AddressBookMigrated: EventPayload {
    public static let type = "member.address-book-migrated.v1"
    public init() {}
    public init(from r: inout BinaryReader) throws {}
    public func encode(to w: inout BinaryWriter) {}
    public var json: JSONValue { [:] }
    public static let example = AddressBookMigrated()
}
