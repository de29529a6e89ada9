public import EventSourcing

/// Display name, gender or avatar changed (by the member, or the avatar removed by an admin).
public struct ProfileUpdated: EventPayload {
    public static let type = "member.profile-updated.v2"
    public var profile: SealedPart
    public var displayNameKey: String
    /// `member` or `admin`.
    public var actor: String

    public init(profile: SealedPart, displayNameKey: String, actor: String) {
        (self.profile, self.displayNameKey, self.actor) = (profile, displayNameKey, actor)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(profile: try r.readSealedPart(), displayNameKey: try r.readString(), actor: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) { w.write(profile); w.write(displayNameKey); w.write(actor) }

    public var json: JSONValue { ["profile": .sealed(profile), "display_name_key": .string(displayNameKey), "actor": .string(actor)] }

    public static let upcasters = [Upcaster<ProfileUpdated>(from: "member.profile-updated.v1") { r in
        let update = try LegacyPersonalUpdate(from: &r)
        return ProfileUpdated(profile: update.part, displayNameKey: update.displayNameKey, actor: try r.readString())
    }]

    public static let example = ProfileUpdated(profile: SealedPart(bytes: [2, 9, 9]), displayNameKey: "9f2c", actor: "member")
}

/// A `bind_email` code went to the contact's pending email under `verificationKey`.
public struct EmailBindingRequested: EventPayload {
    public static let type = "member.email-binding-requested.v2"
    public var contact: SealedPart
    public var verificationKey: String

    public init(contact: SealedPart, verificationKey: String) { (self.contact, self.verificationKey) = (contact, verificationKey) }

    public init(from r: inout BinaryReader) throws { self.init(contact: try r.readSealedPart(), verificationKey: try r.readString()) }

    public func encode(to w: inout BinaryWriter) { w.write(contact); w.write(verificationKey) }

    public var json: JSONValue { ["contact": .sealed(contact), "verification_key": .string(verificationKey)] }

    public static let upcasters = [Upcaster<EmailBindingRequested>(from: "member.email-binding-requested.v1") { r in
        let update = try LegacyPersonalUpdate(from: &r)
        return EmailBindingRequested(contact: update.part, verificationKey: try r.readString())
    }]

    public static let example = EmailBindingRequested(contact: SealedPart(bytes: [2, 4]), verificationKey: "01KB7Y3Q0000000000000000AB")
}

/// The email is bound: confirmed by code (actor `member`) or set by an admin.
public struct EmailBound: EventPayload {
    public static let type = "member.email-bound.v2"
    public var contact: SealedPart
    /// Keyed hash of the email (the `email-<HMAC>` claim, for resets by email).
    public var emailKey: String
    public var actor: String

    public init(contact: SealedPart, emailKey: String, actor: String) { (self.contact, self.emailKey, self.actor) = (contact, emailKey, actor) }

    public init(from r: inout BinaryReader) throws {
        self.init(contact: try r.readSealedPart(), emailKey: try r.readString(), actor: try r.readString())
    }

    public func encode(to w: inout BinaryWriter) { w.write(contact); w.write(emailKey); w.write(actor) }

    public var json: JSONValue { ["contact": .sealed(contact), "email_key": .string(emailKey), "actor": .string(actor)] }

    public static let upcasters = [Upcaster<EmailBound>(from: "member.email-bound.v1") { r in
        let update = try LegacyPersonalUpdate(from: &r)
        return EmailBound(contact: update.part, emailKey: update.emailKey ?? "", actor: try r.readString())
    }]

    public static let example = EmailBound(contact: SealedPart(bytes: [2, 5]), emailKey: "77aa", actor: "member")
}

/// The security question (sealed) and its answer's hash (scrypt, PHC form, as UTF-8).
public struct SecurityQuestionSet: EventPayload {
    public static let type = "member.security-question-set.v2"
    public var question: SealedPart
    public var answerHash: [UInt8]

    public init(question: SealedPart, answerHash: [UInt8]) { (self.question, self.answerHash) = (question, answerHash) }

    public init(from r: inout BinaryReader) throws { self.init(question: try r.readSealedPart(), answerHash: try r.readBytes()) }

    public func encode(to w: inout BinaryWriter) { w.write(question); w.write(answerHash) }

    public var json: JSONValue { ["question": .sealed(question), "answer_hash": .string(String(decoding: answerHash, as: UTF8.self))] }

    public static let upcasters = [Upcaster<SecurityQuestionSet>(from: "member.security-question-set.v1") { r in
        let update = try LegacyPersonalUpdate(from: &r)
        return SecurityQuestionSet(question: update.part, answerHash: try r.readBytes())
    }]

    public static let example = SecurityQuestionSet(question: SealedPart(bytes: [2, 6]), answerHash: Array("$scrypt$x".utf8))
}
