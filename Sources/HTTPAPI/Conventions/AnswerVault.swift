import Crypto
public import EventSourcing
public import Members
public import Verification

/// Seals the answers stored for idempotent replay and opens them again. An answer that
/// carries a bearer token is sealed under a server key; one that holds a member's
/// personal data under that member's own key, so deleting the member makes it unreadable
/// like the rest of their data (API.md Conventions).
///
/// Stored bytes: a tag (0 plain, 1 server-sealed, 2 member-sealed), for tag 2 the member
/// id (varint length ++ UTF-8), then the body or its sealed box.
public struct AnswerVault: Sendable {
    public enum Sealing: Sendable, Hashable {
        case plain
        case server
        case member(String)
    }

    /// The member whose answer it was is deleted: the answer is gone with their data.
    public struct Erased: Error {}

    let secrets: CodeSecrets
    let keys: any MemberKeyStore

    public init(secrets: CodeSecrets, keys: any MemberKeyStore) {
        self.secrets = secrets
        self.keys = keys
    }

    func seal(_ body: [UInt8], as sealing: Sealing) throws -> [UInt8] {
        var random = SystemRandomNumberGenerator()
        var writer = BinaryWriter(capacity: body.count + 64)
        switch sealing {
        case .plain:
            writer.write(byte: 0)
            writer.writeRaw(body)
        case .server:
            writer.write(byte: 1)
            writer.writeRaw(try secrets.seal(body, random: &random))
        case .member(let id):
            guard let key = keys.key(for: id) else { throw Erased() }
            writer.write(byte: 2)
            writer.write(id)
            writer.writeRaw(try PersonalDataSeal(memberID: id, key: key).seal(body, as: .answer, random: &random).bytes)
        }
        return writer.bytes
    }

    func open(_ stored: [UInt8]) throws -> [UInt8] {
        try BinaryReader.read(stored) { reader in
            switch try reader.readByte() {
            case 0:
                return reader.readRemaining()
            case 1:
                return try secrets.open(reader.readRemaining())
            case 2:
                let id = try reader.readString()
                guard let key = keys.key(for: id),
                    case .part(let body)? = PersonalDataSeal(memberID: id, key: key).open(SealedPart(bytes: reader.readRemaining()), as: .answer)
                else { throw Erased() }
                return body
            default:
                throw BinaryReader.Error(description: "unknown answer sealing")
            }
        }
    }
}
