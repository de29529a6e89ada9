import Crypto
import EventSourcing

/// The server secret's uses in this domain: keyed hashes of codes and destinations, and
/// sealing deliveries so a code reaches its sender without being in the log in plaintext.
///
/// Codes are stored as HMAC-SHA256(code-key, key ‖ 0x00 ‖ code): binding the
/// verification key means equal codes hash differently. Destinations become
/// HMAC-SHA256(destination-key, channel ‖ 0x00 ‖ address), so stream names do not
/// reveal phone numbers. Deliveries are sealed with AES-256-GCM under a third derived
/// key, with a nonce from the decision's random source.
public struct CodeSecrets: Sendable {
    private let codeKey: SymmetricKey
    private let destinationKey: SymmetricKey
    private let sealKey: SymmetricKey
    private let captchaKey: SymmetricKey

    /// Derives the three keys from `secret` (32 bytes or more) with HKDF-SHA256.
    public init(secret: [UInt8]) {
        let master = SymmetricKey(data: secret)
        func derive(_ label: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Array("logbook \(label)".utf8), outputByteCount: 32)
        }
        codeKey = derive("verification code hash v1")
        destinationKey = derive("verification destination hash v1")
        sealKey = derive("verification delivery seal v1")
        captchaKey = derive("captcha answer hash v1")
    }

    /// The keyed hash stored for `code` of verification `key`.
    public func codeHash(key: String, code: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(key.utf8) + [0] + Array(code.utf8), using: codeKey))
    }

    /// Whether `code` matches `stored`, in constant time.
    public func matches(key: String, code: String, stored: [UInt8]) -> Bool {
        ConstantTime.equal(codeHash(key: key, code: code), stored)
    }

    /// The keyed hash stored for a captcha's answer (upper-cased: answers are case-insensitive).
    public func captchaHash(id: String, answer: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(id.utf8) + [0] + Array(answer.uppercased().utf8), using: captchaKey))
    }

    /// The stream-safe identity of a destination (hex): one per address, whatever the
    /// channel, since API.md's resend gap, hourly limit and cancellation are per `to` (a
    /// phone reached by SMS and by voice call is one destination; it keeps the identity SMS
    /// sends always had). A `scope` gives the same address a separate identity, so its sends
    /// count against separate limits (password resets).
    public func destinationID(_ destination: Destination, scope: String? = nil) -> String {
        let kind = destination.channel == .email ? Destination.Channel.email.rawValue : Destination.Channel.sms.rawValue
        return lookupID(kind: scope.map { "\($0):\(kind)" } ?? kind, value: destination.address)
    }

    /// The identity codes sent by voice call had before calls and SMS shared one (codes
    /// issued then are still matched to their phone until they expire).
    public func callDestinationID(_ destination: Destination) -> String? {
        destination.channel == .call ? lookupID(kind: Destination.Channel.call.rawValue, value: destination.address) : nil
    }

    /// A keyed hash (hex, 128 bits) of `value` in the namespace `kind`: how personal values
    /// (a phone, an email, a display name) are looked up without being stored.
    public func lookupID(kind: String, value: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(kind.utf8) + [0] + Array(value.utf8), using: destinationKey)
        return Array(mac).prefix(16).hexString
    }

    /// Seals `plaintext` with a nonce drawn from `random`.
    public func seal<R: RandomNumberGenerator>(_ plaintext: [UInt8], random: inout R) throws -> [UInt8] {
        var nonceBytes = [UInt8](repeating: 0, count: 12)
        for index in nonceBytes.indices { nonceBytes[index] = UInt8.random(in: 0...255, using: &random) }
        let box = try AES.GCM.seal(plaintext, using: sealKey, nonce: try AES.GCM.Nonce(data: nonceBytes))
        guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
        return Array(combined)
    }

    /// Opens what `seal` produced; throws when it was not sealed with this secret.
    public func open(_ sealed: [UInt8]) throws -> [UInt8] {
        Array(try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: sealKey))
    }
}
