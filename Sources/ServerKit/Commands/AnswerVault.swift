import Crypto
import EventSourcing

/// Seals a member's stored answers under that member's own key (the members domain answers).
public protocol MemberAnswerSealing: Sendable {
    /// `body` sealed for `memberID`; throws `AnswerVault.Erased` when the member has no key.
    func seal(_ body: [UInt8], for memberID: String) throws -> [UInt8]
    /// The body; throws `AnswerVault.Erased` when the member's key is gone.
    func open(_ sealed: [UInt8], for memberID: String) throws -> [UInt8]
}

/// Seals the answers stored for idempotent replay and opens them again. An answer that
/// carries a bearer token is sealed under a server key; one that holds a member's
/// personal data under that member's own key, so deleting the member makes it unreadable
/// like the rest of their data (API.md Conventions).
///
/// Stored bytes: a tag (0 plain, 1 server-sealed, 2 member-sealed), for tag 2 the member
/// id (varint length ++ UTF-8), then the body or its sealed box (AES-256-GCM: nonce ‖
/// ciphertext ‖ tag).
public struct AnswerVault: Sendable {
    public enum Sealing: Sendable, Hashable {
        case plain
        case server
        case member(String)
    }

    /// The member whose answer it was is deleted: the answer is gone with their data.
    public struct Erased: Error {
        public init() {}
    }

    let serverKey: SymmetricKey
    /// Keys the fingerprints of idempotent requests (`Idempotency.requestHash`): a keyed
    /// hash, so a request body holding a password cannot be guessed back from the log.
    let fingerprintKey: SymmetricKey
    let members: any MemberAnswerSealing

    /// `secret` is the server secret. (The server key's derivation label is the one stored
    /// answers used before this type existed, so they still open.)
    public init(secret: [UInt8], members: any MemberAnswerSealing) {
        serverKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret), info: Array("logbook verification delivery seal v1".utf8), outputByteCount: 32)
        fingerprintKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret), info: Array("logbook idempotency fingerprint v1".utf8), outputByteCount: 32)
        self.members = members
    }

    func seal(_ body: [UInt8], as sealing: Sealing) throws -> [UInt8] {
        var writer = BinaryWriter(capacity: body.count + 64)
        switch sealing {
        case .plain:
            writer.write(byte: 0)
            writer.writeRaw(body)
        case .server:
            writer.write(byte: 1)
            guard let box = try AES.GCM.seal(body, using: serverKey).combined else { throw Erased() }
            writer.writeRaw(Array(box))
        case .member(let id):
            writer.write(byte: 2)
            writer.write(id)
            writer.writeRaw(try members.seal(body, for: id))
        }
        return writer.bytes
    }

    func open(_ stored: [UInt8]) throws -> [UInt8] {
        try BinaryReader.read(stored) { reader in
            switch try reader.readByte() {
            case 0:
                return reader.readRemaining()
            case 1:
                return Array(try AES.GCM.open(try AES.GCM.SealedBox(combined: reader.readRemaining()), using: serverKey))
            case 2:
                let id = try reader.readString()
                return try members.open(reader.readRemaining(), for: id)
            default:
                throw BinaryReader.Error(description: "unknown answer sealing")
            }
        }
    }
}
