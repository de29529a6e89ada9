public import EventSourcing

/// A member joined (`member-<id>`): its username, password hash and first personal data.
public struct MemberRegistered: EventPayload {
    public static let type = "member.registered.v2"
    public var username: String
    /// PHC-form scrypt hash.
    public var passwordHash: String
    /// `password` or `phone`.
    public var method: String
    public var profile: SealedPart
    public var contact: SealedPart?
    /// Keyed hashes of the display name and the phone: the claims they hold.
    public var displayNameKey: String
    public var phoneKey: String?

    public init(
        username: String, passwordHash: String, method: String, profile: SealedPart, contact: SealedPart?,
        displayNameKey: String, phoneKey: String?
    ) {
        (self.username, self.passwordHash, self.method) = (username, passwordHash, method)
        (self.profile, self.contact, self.displayNameKey, self.phoneKey) = (profile, contact, displayNameKey, phoneKey)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(
            username: try r.readString(), passwordHash: try r.readString(), method: try r.readString(),
            profile: try r.readSealedPart(), contact: try r.readOptionalSealedPart(), displayNameKey: try r.readString(),
            phoneKey: try r.readOptionalString())
    }

    public func encode(to w: inout BinaryWriter) {
        w.write(username); w.write(passwordHash); w.write(method); w.write(profile); w.write(contact)
        w.write(displayNameKey); w.write(phoneKey)
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "username": .string(username), "password_hash": .string(passwordHash), "method": .string(method),
            "profile": .sealed(profile), "display_name_key": .string(displayNameKey),
        ]
        if let contact { object["contact"] = .sealed(contact) }
        if let phoneKey { object["phone_key"] = .string(phoneKey) }
        return .object(object)
    }

    /// `.v1` carried the whole personal data as one blob.
    public static let upcasters = [Upcaster<MemberRegistered>(from: "member.registered.v1") { r in
        let username = try r.readString(), hash = try r.readString()
        let update = try LegacyPersonalUpdate(from: &r)
        return MemberRegistered(
            username: username, passwordHash: hash, method: try r.readString(), profile: update.part, contact: update.part,
            displayNameKey: update.displayNameKey, phoneKey: update.phoneKey)
    }]

    public static let example = MemberRegistered(
        username: "alice", passwordHash: "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA", method: "password",
        profile: SealedPart(bytes: [2, 1, 2, 3]), contact: nil, displayNameKey: "9f2c", phoneKey: nil)
}

/// A unique name or lookup was taken by a member (on a claim stream: `username-<name>`,
/// `displayname-<HMAC>`, `phone-<HMAC>`, `email-<HMAC>`).
public struct ClaimTaken: EventPayload {
    public static let type = "member.claim-taken.v1"
    public var memberID: String
    public init(memberID: String) { self.memberID = memberID }
    public init(from r: inout BinaryReader) throws { memberID = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(memberID) }
    public var json: JSONValue { ["member_id": .string(memberID)] }
    public static let example = ClaimTaken(memberID: "01KB7Y3Q0000000000000000AA")
}

/// A member let go of a claim.
public struct ClaimReleased: EventPayload {
    public static let type = "member.claim-released.v1"
    public var memberID: String
    public init(memberID: String) { self.memberID = memberID }
    public init(from r: inout BinaryReader) throws { memberID = try r.readString() }
    public func encode(to w: inout BinaryWriter) { w.write(memberID) }
    public var json: JSONValue { ["member_id": .string(memberID)] }
    public static let example = ClaimReleased(memberID: "01KB7Y3Q0000000000000000AA")
}
