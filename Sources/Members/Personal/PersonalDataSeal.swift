public import Crypto
import EventSourcing

/// Seals and opens personal data under a member's key: AES-256-GCM with a nonce from the
/// caller's random source (decisions stay deterministic under test), the member id and
/// the part's name as associated data, so a sealed part cannot be moved to another member
/// or read as another part.
public struct PersonalDataSeal: Sendable {
    /// Which part a box holds (the associated data names it).
    public enum Part: Hashable, Sendable {
        case profile, contact, question
        case address(id: String)
        /// A stored idempotent answer (a response that holds personal data).
        case answer
        /// A post's text and resources, a comment's text, a moderator's remark on a post
        /// (the feeds domain: each sealed under its author's key).
        case post(id: String)
        case comment(id: String)
        case review(id: String)
        /// A message's body (messaging), sealed under its sender's key.
        case message(id: String)

        var name: String {
            switch self {
            case .profile: "profile"
            case .contact: "contact"
            case .question: "question"
            case .address(let id): "address:\(id)"
            case .answer: "answer"
            case .post(let id): "post:\(id)"
            case .comment(let id): "comment:\(id)"
            case .review(let id): "review:\(id)"
            case .message(let id): "message:\(id)"
            }
        }
    }

    public let memberID: String
    let key: SymmetricKey

    public init(memberID: String, key: SymmetricKey) {
        self.memberID = memberID
        self.key = key
    }

    /// Seals `plaintext` as `part`.
    public func seal<R: RandomNumberGenerator>(_ plaintext: [UInt8], as part: Part, random: inout R) throws -> SealedPart {
        var nonce = [UInt8](repeating: 0, count: 12)
        for index in nonce.indices { nonce[index] = UInt8.random(in: 0...255, using: &random) }
        let box = try AES.GCM.seal(plaintext, using: key, nonce: try AES.GCM.Nonce(data: nonce), authenticating: associatedData(part))
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return SealedPart(bytes: [SealedPart.Format.part.rawValue] + Array(combined))
    }

    /// What a sealed part opened to: the part's own bytes, or (for `.v1` events) the whole
    /// personal data of that time.
    public enum Opened: Sendable {
        case part([UInt8])
        case legacy(PersonalData)
    }

    /// Opens `sealed` as `part`; nil when the key does not open it (another member, another
    /// part, tampered, or erased).
    public func open(_ sealed: SealedPart, as part: Part) -> Opened? {
        guard let format = sealed.format, let box = try? AES.GCM.SealedBox(combined: sealed.box) else { return nil }
        switch format {
        case .part:
            guard let plain = try? AES.GCM.open(box, using: key, authenticating: associatedData(part)) else { return nil }
            return .part(Array(plain))
        case .legacy:
            guard let plain = try? AES.GCM.open(box, using: key, authenticating: Array(memberID.utf8)),
                let data = try? PersonalData(legacyEncoded: Array(plain))
            else { return nil }
            return .legacy(data)
        }
    }

    private func associatedData(_ part: Part) -> [UInt8] { Array(memberID.utf8) + [0] + Array(part.name.utf8) }

    // MARK: Typed parts

    public func seal<R: RandomNumberGenerator>(_ profile: PersonalData.Profile, random: inout R) throws -> SealedPart {
        try seal(profile.encoded, as: .profile, random: &random)
    }

    public func seal<R: RandomNumberGenerator>(_ contact: PersonalData.Contact, random: inout R) throws -> SealedPart {
        try seal(contact.encoded, as: .contact, random: &random)
    }

    public func seal<R: RandomNumberGenerator>(question: String, random: inout R) throws -> SealedPart {
        var w = BinaryWriter()
        w.write(question)
        return try seal(w.bytes, as: .question, random: &random)
    }

    public func seal<R: RandomNumberGenerator>(_ address: PersonalData.Address, random: inout R) throws -> SealedPart {
        try seal(address.encodedFields, as: .address(id: address.id), random: &random)
    }

    public func profile(_ sealed: SealedPart) -> PersonalData.Profile? {
        switch open(sealed, as: .profile) {
        case .part(let bytes): try? PersonalData.Profile(encoded: bytes)
        case .legacy(let data): data.profile
        case nil: nil
        }
    }

    public func contact(_ sealed: SealedPart) -> PersonalData.Contact? {
        switch open(sealed, as: .contact) {
        case .part(let bytes): try? PersonalData.Contact(encoded: bytes)
        case .legacy(let data): data.contact
        case nil: nil
        }
    }

    public func question(_ sealed: SealedPart) -> String? {
        switch open(sealed, as: .question) {
        case .part(let bytes): try? BinaryReader.read(bytes) { try $0.readString() }
        case .legacy(let data): data.securityQuestion
        case nil: nil
        }
    }

    /// An address from a per-address part (`kind` and `isDefault` come from the event).
    public func address(_ sealed: SealedPart, id: String, kind: PersonalData.Address.Kind, isDefault: Bool) -> PersonalData.Address? {
        guard case .part(let bytes) = open(sealed, as: .address(id: id)) else { return nil }
        return try? PersonalData.Address(id: id, kind: kind, isDefault: isDefault, encodedFields: bytes)
    }

    /// The addresses of a `.v1` whole-data blob.
    public func legacyAddresses(_ sealed: SealedPart) -> [PersonalData.Address]? {
        guard case .legacy(let data) = open(sealed, as: .profile) else { return nil }
        return data.addresses
    }
}
