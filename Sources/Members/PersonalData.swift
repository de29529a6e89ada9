import EventSourcing

/// Everything personal about a member: what crypto-shredding destroys. Events carry it
/// only sealed under the member's own key (`MemberKeyring`), whole, so the latest sealed
/// copy is the member's personal state and deleting the key makes every copy unreadable.
public struct PersonalData: Hashable, Sendable {
    public var displayName: String
    public var gender: Gender = .unknown
    public var avatarURL: String = ""
    /// E.164.
    public var phone: String?
    /// The bound (verified) email address.
    public var email: String?
    /// An address waiting for its `bind_email` code.
    public var pendingEmail: String?
    public var securityQuestion: String?
    public var addresses: [Address] = []

    public init(displayName: String) { self.displayName = displayName }

    public enum Gender: String, Hashable, Sendable, CaseIterable {
        case unknown, male, female
    }

    /// An entry of the address book (seed 003 `AddressBook`).
    public struct Address: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable, CaseIterable {
            case none, mainLive = "main_live", mainShipping = "main_shipping"
        }

        public var id: String
        public var fullName: String
        public var zipCode: String
        public var address: String
        public var phone: String
        public var kind: Kind
        public var isDefault: Bool

        public init(id: String, fullName: String, zipCode: String, address: String, phone: String, kind: Kind, isDefault: Bool) {
            (self.id, self.fullName, self.zipCode, self.address, self.phone) = (id, fullName, zipCode, address, phone)
            (self.kind, self.isDefault) = (kind, isDefault)
        }
    }

    /// The canonical bytes (what gets sealed).
    public var encoded: [UInt8] {
        var w = BinaryWriter(capacity: 128)
        w.write(displayName); w.write(gender.rawValue); w.write(avatarURL)
        w.write(phone); w.write(email); w.write(pendingEmail); w.write(securityQuestion)
        w.write(UInt64(addresses.count))
        for a in addresses {
            w.write(a.id); w.write(a.fullName); w.write(a.zipCode); w.write(a.address); w.write(a.phone)
            w.write(a.kind.rawValue); w.write(a.isDefault)
        }
        return w.bytes
    }

    public init(encoded bytes: [UInt8]) throws {
        self = try BinaryReader.read(bytes) { r in
            var data = PersonalData(displayName: try r.readString())
            data.gender = Gender(rawValue: try r.readString()) ?? .unknown
            data.avatarURL = try r.readString()
            data.phone = try r.readOptionalString()
            data.email = try r.readOptionalString()
            data.pendingEmail = try r.readOptionalString()
            data.securityQuestion = try r.readOptionalString()
            for _ in 0..<(try r.readUInt64()) {
                let id = try r.readString(), fullName = try r.readString(), zipCode = try r.readString()
                let address = try r.readString(), phone = try r.readString()
                let kind = Address.Kind(rawValue: try r.readString()) ?? .none
                data.addresses.append(Address(
                    id: id, fullName: fullName, zipCode: zipCode, address: address, phone: phone, kind: kind,
                    isDefault: try r.readBool()))
            }
            return data
        }
    }
}
