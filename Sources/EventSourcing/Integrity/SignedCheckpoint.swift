import Crypto

/// A log head signed by the server (Ed25519): anyone holding it can later demand a
/// consistency proof that the log still extends it — the log was only appended to.
///
/// The signed message is the UTF-8 text
/// `logbook checkpoint v1\n<size>\n<root hex>\n<timestamp RFC 3339, or ->\n`.
public struct SignedCheckpoint: Hashable, Sendable {
    public var head: LogHead
    /// The Ed25519 public key, raw 32 bytes.
    public var publicKey: [UInt8]
    public var signature: [UInt8]

    /// The bytes that are signed.
    public static func message(_ head: LogHead) -> [UInt8] {
        Array("logbook checkpoint v1\n\(head.size)\n\(head.root.hex)\n\(head.timestamp?.rfc3339 ?? "-")\n".utf8)
    }

    /// Signs `head` with the raw 32-byte Ed25519 private key.
    public init(head: LogHead, privateKey: [UInt8]) throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: privateKey)
        self.head = head
        publicKey = Array(key.publicKey.rawRepresentation)
        signature = Array(try key.signature(for: Self.message(head)))
    }

    /// A new raw Ed25519 private key.
    public static func newPrivateKey() -> [UInt8] { Array(Curve25519.Signing.PrivateKey().rawRepresentation) }

    public init(head: LogHead, publicKey: [UInt8], signature: [UInt8]) {
        self.head = head
        self.publicKey = publicKey
        self.signature = signature
    }

    /// Whether the signature is the holder of `publicKey`'s over this head.
    public var hasValidSignature: Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: Self.message(head))
    }
}
