import EventSourcing

/// The personal-data field of `.v1` member events: one sealed blob of the whole personal
/// data with the lookup keys of the time. Only upcasters read it.
struct LegacyPersonalUpdate: Hashable, Sendable {
    var sealed: [UInt8]
    var displayNameKey: String
    var phoneKey: String?
    var emailKey: String?

    init(sealed: [UInt8], displayNameKey: String, phoneKey: String? = nil, emailKey: String? = nil) {
        (self.sealed, self.displayNameKey, self.phoneKey, self.emailKey) = (sealed, displayNameKey, phoneKey, emailKey)
    }

    init(from r: inout BinaryReader) throws {
        sealed = try r.readBytes()
        displayNameKey = try r.readString()
        phoneKey = try r.readOptionalString()
        emailKey = try r.readOptionalString()
    }

    func write(to w: inout BinaryWriter) {
        w.write(sealed); w.write(displayNameKey); w.write(phoneKey); w.write(emailKey)
    }

    var part: SealedPart { SealedPart(legacy: sealed) }
}
