import EventSourcing
import Crypto
import CryptoExtras
import Foundation
import Verification

/// A password hash in the PHC string format: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`
/// (base64 without padding). The parameters travel with the hash, so raising them later
/// leaves old hashes verifiable.
///
/// scrypt because OWASP's Password Storage Cheat Sheet puts it next after Argon2id (no
/// well-kept Argon2 binding is available here) and it is memory-hard, unlike bcrypt and
/// PBKDF2: N=2^17, r=8, p=1 (128 MiB per hash) is its recommended setting.
public struct PasswordHash: Hashable, Sendable {
    public struct Parameters: Hashable, Sendable {
        /// log2 of N.
        public var logN: Int
        public var r: Int
        public var p: Int

        public init(logN: Int, r: Int, p: Int) { (self.logN, self.r, self.p) = (logN, r, p) }

        /// OWASP's scrypt setting: N=2^17, r=8, p=1.
        public static let owasp = Parameters(logN: 17, r: 8, p: 1)
        /// Cheap parameters for tests only.
        public static let testing = Parameters(logN: 10, r: 8, p: 1)

        /// Bytes of memory one hash takes (128 * r * N * p).
        public var memoryBytes: Int { 128 * r * (1 << logN) * p }
    }

    public let encoded: String

    public init?(encoded: String) {
        guard Self.parse(encoded) != nil else { return nil }
        self.encoded = encoded
    }

    /// Hashes `password` with a fresh `salt` (16 random bytes). Slow on purpose: call it off
    /// the cooperative pool (`PasswordHasher`).
    public static func make(password: String, salt: [UInt8], parameters: Parameters) throws -> PasswordHash {
        let hash = try derive(password: password, salt: salt, parameters: parameters)
        let p = parameters
        return PasswordHash(
            trusted: "$scrypt$ln=\(p.logN),r=\(p.r),p=\(p.p)$\(base64(salt))$\(base64(hash))")
    }

    /// Whether `password` is the one hashed, compared in constant time. Slow on purpose.
    public func matches(_ password: String) -> Bool {
        guard let (parameters, salt, expected) = Self.parse(encoded),
            let actual = try? Self.derive(password: password, salt: salt, parameters: parameters)
        else { return false }
        return ConstantTime.equal(actual, expected)
    }

    private init(trusted: String) { encoded = trusted }

    static func derive(password: String, salt: [UInt8], parameters p: Parameters) throws -> [UInt8] {
        let bytes = Array(password.precomposedStringWithCanonicalMapping.utf8)
        let key = try KDF.Scrypt.deriveKey(
            from: bytes, salt: salt, outputByteCount: 32, rounds: 1 << p.logN, blockSize: p.r, parallelism: p.p,
            maxMemory: 2 * p.memoryBytes + (1 << 20))
        return key.withUnsafeBytes { Array($0) }
    }

    static func parse(_ encoded: String) -> (Parameters, [UInt8], [UInt8])? {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
        var values: [Substring: Int] = [:]
        for pair in parts[2].split(separator: ",") {
            let kv = pair.split(separator: "=")
            guard kv.count == 2, let value = Int(kv[1]) else { return nil }
            values[kv[0]] = value
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"], (1...24).contains(logN),
            (1...32).contains(r), (1...16).contains(p),
            let salt = unbase64(parts[3]), let hash = unbase64(parts[4]), hash.count == 32
        else { return nil }
        return (Parameters(logN: logN, r: r, p: p), salt, hash)
    }

    static func base64(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    static func unbase64(_ text: Substring) -> [UInt8]? {
        var padded = String(text)
        while padded.utf8.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded).map(Array.init)
    }
}
