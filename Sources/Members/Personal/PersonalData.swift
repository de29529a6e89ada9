import EventSourcing

/// Everything personal about a member, opened: what crypto-shredding destroys. Events and
/// the read model hold it only as `SealedPart`s under the member's own key: the profile,
/// the contact details, the security question and each address separately.
public struct PersonalData: Hashable, Sendable {
    public var profile: Profile
    public var contact = Contact()
    public var securityQuestion: String?
    public var addresses: [Address] = []

    public init(profile: Profile) { self.profile = profile }

    public var displayName: String { profile.displayName }
    public var gender: Gender { profile.gender }
    public var avatarURL: String { profile.avatarURL }
    public var phone: String? { contact.phone }
    public var email: String? { contact.email }
    public var pendingEmail: String? { contact.pendingEmail }

    public enum Gender: String, Hashable, Sendable, CaseIterable {
        case unknown, male, female
    }

    /// What others may see: display name, gender, avatar.
    public struct Profile: Hashable, Sendable {
        public var displayName: String
        public var gender: Gender = .unknown
        public var avatarURL: String = ""

        public init(displayName: String, gender: Gender = .unknown, avatarURL: String = "") {
            (self.displayName, self.gender, self.avatarURL) = (displayName, gender, avatarURL)
        }
    }

    /// How to reach the member: the phone (E.164), the bound email, an email waiting for its code.
    public struct Contact: Hashable, Sendable {
        public var phone: String?
        public var email: String?
        public var pendingEmail: String?

        public init(phone: String? = nil, email: String? = nil, pendingEmail: String? = nil) {
            (self.phone, self.email, self.pendingEmail) = (phone, email, pendingEmail)
        }
    }

    /// An entry of the address book (seed 003 `AddressBook`). `kind` and `isDefault` are not
    /// personal and travel in the clear; the rest is sealed.
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
}

// MARK: Part encodings (the plaintext inside each sealed part)

extension PersonalData.Profile {
    var encoded: [UInt8] {
        var w = BinaryWriter(capacity: 64)
        w.write(displayName); w.write(gender.rawValue); w.write(avatarURL)
        return w.bytes
    }

    init(encoded bytes: [UInt8]) throws {
        self = try BinaryReader.read(bytes) { r in
            PersonalData.Profile(
                displayName: try r.readString(), gender: PersonalData.Gender(rawValue: try r.readString()) ?? .unknown,
                avatarURL: try r.readString())
        }
    }
}

extension PersonalData.Contact {
    var encoded: [UInt8] {
        var w = BinaryWriter(capacity: 64)
        w.write(phone); w.write(email); w.write(pendingEmail)
        return w.bytes
    }

    init(encoded bytes: [UInt8]) throws {
        self = try BinaryReader.read(bytes) { r in
            PersonalData.Contact(phone: try r.readOptionalString(), email: try r.readOptionalString(), pendingEmail: try r.readOptionalString())
        }
    }
}

extension PersonalData.Address {
    /// The sealed fields only (id, kind and default travel in the clear).
    var encodedFields: [UInt8] {
        var w = BinaryWriter(capacity: 128)
        w.write(fullName); w.write(zipCode); w.write(address); w.write(phone)
        return w.bytes
    }

    init(id: String, kind: Kind, isDefault: Bool, encodedFields bytes: [UInt8]) throws {
        self = try BinaryReader.read(bytes) { r in
            PersonalData.Address(
                id: id, fullName: try r.readString(), zipCode: try r.readString(), address: try r.readString(),
                phone: try r.readString(), kind: kind, isDefault: isDefault)
        }
    }
}

extension PersonalData {
    /// Reads the whole-data encoding `.v1` events sealed (see `SealedPart.Format.legacy`).
    init(legacyEncoded bytes: [UInt8]) throws {
        self = try BinaryReader.read(bytes) { r in
            var data = PersonalData(profile: Profile(displayName: try r.readString()))
            data.profile.gender = Gender(rawValue: try r.readString()) ?? .unknown
            data.profile.avatarURL = try r.readString()
            data.contact = Contact(phone: try r.readOptionalString(), email: try r.readOptionalString(), pendingEmail: try r.readOptionalString())
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
